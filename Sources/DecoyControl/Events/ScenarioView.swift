import DecoyScenario

/// What the console shows of the sandbox's scenario, sent by `/events/scenario` whenever it
/// changes: the session's status, the timeline around now (steps fired, with when and whether
/// they failed, and the ones to come), each expectation's live verdict with its evidence, and
/// the fault rules in force.
struct ScenarioView: Encodable, Sendable {
    var status: ScenarioSession.Status
    var description: String?
    var timeline: [Firing]
    /// Whether fired steps before the window shown, or planned ones after it, were left out.
    var earlierFired: Bool
    var laterPlanned: Bool
    var expectations: [Verdict]
    var rules: [RuleView]

    /// One occurrence of a step, fired or planned.
    struct Firing: Encodable, Sendable, Equatable {
        var label: String
        var index: Int
        var occurrence: Int
        /// Scenario time.
        var scheduledMilliseconds: Int64
        var action: String
        /// `fired` (journaled), `due` (its time has come, about to fire) or `upcoming`.
        var state: String
        /// When it fired, counted from the scenario's start (journal time minus the start).
        var firedAtMilliseconds: Int64?
        var failure: String?
    }

    /// An expectation's verdict now: `pass`, `fail` or `pending` (failing so far, but more of the
    /// run could still make it pass). `final` once the scenario stopped or finished.
    struct Verdict: Encodable, Sendable, Equatable {
        var name: String
        var verdict: String
        var evidence: String
        var final: Bool
    }

    /// Fired and planned firings shown around now.
    static let firedShown = 40
    static let upcomingShown = 40
}

/// Builds `ScenarioView`s, keeping the expensive part (reading the journal and judging the
/// expectations) until the journal has changed.
struct ScenarioViewBuilder {
    let sandbox: Sandbox
    private var judged: (key: String, fired: [FiringKey: StepRecordTime], verdicts: [ScenarioView.Verdict])?

    struct FiringKey: Hashable {
        var index: Int
        var occurrence: Int
    }

    struct StepRecordTime {
        var milliseconds: Int64
        var failure: String?
    }

    init(sandbox: Sandbox) { self.sandbox = sandbox }

    /// The view now; `journalChanged` says whether entries were appended since the last call.
    mutating func view(journalChanged: Bool) -> ScenarioView {
        let session = sandbox.session
        let status = session.status
        let scenario = session.scenario
        let key = "\(status.phase) \(status.startedAtMilliseconds ?? -1) \(status.stepsFired) \(scenario?.name ?? "")"
        if journalChanged || judged?.key != key { judged = judge(status: status, scenario: scenario, key: key) }
        let (timeline, earlier, later) = plan(
            scenario, elapsed: status.elapsedMilliseconds ?? -1, fired: judged?.fired ?? [:])
        return ScenarioView(
            status: status, description: scenario?.description, timeline: timeline, earlierFired: earlier,
            laterPlanned: later, expectations: judged?.verdicts ?? [],
            rules: sandbox.faults.rules.map(RuleView.init))
    }

    private func judge(
        status: ScenarioSession.Status, scenario: Scenario?, key: String
    ) -> (String, [FiringKey: StepRecordTime], [ScenarioView.Verdict]) {
        guard let scenario, let origin = status.startedAtMilliseconds else {
            let verdicts = (scenario?.expectations ?? []).map {
                ScenarioView.Verdict(name: $0.name, verdict: "pending", evidence: "not started", final: false)
            }
            return (key, [:], verdicts)
        }
        let (entries, dropped) = sandbox.journal.snapshot()
        var fired: [FiringKey: StepRecordTime] = [:]
        var since: [JournalEntry] = []
        for entry in entries where entry.milliseconds >= origin {
            var shifted = entry
            shifted.milliseconds -= origin
            since.append(shifted)
            if let step = entry.step, step.index >= 0 {
                fired[FiringKey(index: step.index, occurrence: step.occurrence)] = StepRecordTime(
                    milliseconds: shifted.milliseconds, failure: step.failure)
            }
        }
        if let results = status.results {
            return (
                key, fired,
                results.map {
                    .init(name: $0.name, verdict: $0.passed ? "pass" : "fail", evidence: $0.evidence, final: true)
                }
            )
        }
        let now = sandbox.clock.elapsedMilliseconds() - origin
        let evaluator = ExpectationEvaluator(entries: since, runMilliseconds: now, dropped: dropped)
        let verdicts = scenario.expectations.map { expectation in
            let result = evaluator.evaluate(expectation)
            let verdict = result.passed ? "pass" : Self.failsForGood(expectation.kind) ? "fail" : "pending"
            return ScenarioView.Verdict(name: result.name, verdict: verdict, evidence: result.evidence, final: false)
        }
        return (key, fired, verdicts)
    }

    /// Whether a failing verdict of this kind can no longer turn: too many requests, or one that
    /// must never happen, stays so whatever comes next.
    static func failsForGood(_ kind: ExpectationKind) -> Bool {
        switch kind {
        case .never: true
        case .count(_, let atLeast, let atMost, _): atLeast == nil && atMost != nil
        case .streams(_, .concurrentAtMost): true
        default: false
        }
    }

    /// The firings around `elapsed` (scenario time): the last fired ones and the next planned ones,
    /// from the timeline's own schedule, so `after:` and `every:` show exactly when they will fire.
    private func plan(
        _ scenario: Scenario?, elapsed: Int64, fired: [FiringKey: StepRecordTime]
    ) -> ([ScenarioView.Firing], Bool, Bool) {
        guard let scenario else { return ([], false, false) }
        var schedule = TimelineSchedule(steps: scenario.timeline)
        var past: [ScenarioView.Firing] = []
        var upcoming: [ScenarioView.Firing] = []
        var earlier = false
        while let next = schedule.nextDueMilliseconds, next < scenario.durationMilliseconds {
            for firing in schedule.fire(upTo: next) {
                let step = scenario.timeline[firing.step]
                let record = fired[FiringKey(index: firing.step, occurrence: firing.occurrence)]
                let state = record != nil ? "fired" : firing.scheduledMilliseconds <= elapsed ? "due" : "upcoming"
                let shown = ScenarioView.Firing(
                    label: step.label(index: firing.step), index: firing.step, occurrence: firing.occurrence,
                    scheduledMilliseconds: firing.scheduledMilliseconds, action: step.action.summary, state: state,
                    firedAtMilliseconds: record?.milliseconds, failure: record?.failure)
                if state == "upcoming" {
                    guard upcoming.count < ScenarioView.upcomingShown else { return (past + upcoming, earlier, true) }
                    upcoming.append(shown)
                } else {
                    past.append(shown)
                    if past.count > ScenarioView.firedShown {
                        past.removeFirst()
                        earlier = true
                    }
                }
            }
        }
        return (past + upcoming, earlier, false)
    }
}
