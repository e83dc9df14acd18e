import DecoyFaults
import Foundation
import NIOConcurrencyHelpers

/// The scenario a sandbox plays, which the control API loads, starts, pauses, resumes and stops.
///
/// Its timeline runs on the scenario's own time: t = 0 when it starts, stopped while paused (a
/// step due during a pause fires on resume, and everything after it shifts by the pause). Rule
/// windows are installed in journal time when it starts and do not move with pauses. Stopping (or
/// reaching the duration) removes the scenario's rules and judges its expectations on the journal
/// entries since it started, with times counted from its start.
public final class ScenarioSession: Sendable {
    public enum Phase: String, Sendable, Codable {
        /// Nothing loaded.
        case empty
        case loaded, running, paused, stopped
        /// Reached its duration.
        case finished
    }

    /// What `GET /scenario` shows.
    public struct Status: Sendable, Codable, Equatable {
        public var phase: Phase
        public var name: String?
        public var file: String?
        public var durationMilliseconds: Int64?
        /// Scenario time (pauses left out) since it started; nil before it starts.
        public var elapsedMilliseconds: Int64?
        /// Journal time of the scenario's t = 0; nil before it starts.
        public var startedAtMilliseconds: Int64?
        public var steps: Int
        public var stepsFired: Int
        /// The expectations' verdicts once it stopped or finished.
        public var results: [ExpectationResult]?
        public var passed: Bool?
    }

    /// Why a command was refused (the control API answers 409 with the description).
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    private struct State {
        var scenario: Scenario?
        var phase = Phase.empty
        var schedule = TimelineSchedule(steps: [])
        var origin: Int64 = 0
        var pausedTotal: Int64 = 0
        var pausedAt: Int64?
        var fired = 0
        var generation = 0
        var task: Task<Void, Never>?
        var results: [ExpectationResult]?
    }

    public let journal: Journal
    public let clock: RunClock
    public let faults: FaultLayer
    public let performer: any ScenarioActionPerformer
    /// `decoy run`: the scenario is the run's, and another cannot be loaded.
    public let fixed: Bool
    private let box = NIOLockedValueBox(State())

    public init(
        journal: Journal, clock: RunClock, faults: FaultLayer, performer: any ScenarioActionPerformer,
        fixed: Bool = false
    ) {
        self.journal = journal
        self.clock = clock
        self.faults = faults
        self.performer = performer
        self.fixed = fixed
    }

    public var status: Status { box.withLockedValue { Self.status($0, now: clock.elapsedMilliseconds()) } }

    /// The scenario loaded (nil when none is): its timeline and expectations for the console.
    public var scenario: Scenario? { box.withLockedValue { $0.scenario } }

    /// Loads `scenario` (not while one runs or is paused: stop it first).
    public func load(_ scenario: Scenario) throws(Refusal) -> Status {
        try locked { (state: inout State) throws(Refusal) -> Status in
            if fixed, state.scenario != nil {
                throw Refusal(
                    description: "decoy run plays one scenario (\(state.scenario?.name ?? "")); load scenarios into "
                        + "a sandbox started with `decoy serve --control HOST:PORT` instead")
            }
            if state.phase == .running || state.phase == .paused {
                throw Refusal(
                    description: "scenario \(state.scenario?.name ?? "") is \(state.phase.rawValue); "
                        + "POST /scenario/stop first")
            }
            state = State(scenario: scenario, phase: .loaded)
            return Self.status(state, now: clock.elapsedMilliseconds())
        }
    }

    /// Starts the loaded scenario from its t = 0, at `origin` in journal time (default now); a
    /// stopped or finished one starts again from the beginning.
    @discardableResult
    public func start(origin: Int64? = nil) throws(Refusal) -> Status {
        try locked { (state: inout State) throws(Refusal) -> Status in
            guard let scenario = state.scenario else {
                throw Refusal(description: "no scenario is loaded; POST /scenario with a scenario file's text first")
            }
            guard state.phase != .running, state.phase != .paused else {
                throw Refusal(description: "scenario \(scenario.name) is already \(state.phase.rawValue)")
            }
            let start = origin ?? clock.elapsedMilliseconds()
            state = State(
                scenario: scenario, phase: .running, schedule: TimelineSchedule(steps: scenario.timeline),
                origin: start, generation: state.generation + 1)
            faults.installScenarioRules(scenario.rules, startingAt: start)
            state.task = drive(generation: state.generation)
            return Self.status(state, now: clock.elapsedMilliseconds())
        }
    }

    public func pause() throws(Refusal) -> Status {
        try locked { (state: inout State) throws(Refusal) -> Status in
            guard state.phase == .running else { throw Self.refusal(state, "pause", needs: "running") }
            state.pausedAt = clock.elapsedMilliseconds()
            state.phase = .paused
            state.generation += 1
            state.task?.cancel()
            state.task = nil
            return Self.status(state, now: clock.elapsedMilliseconds())
        }
    }

    public func resume() throws(Refusal) -> Status {
        try locked { (state: inout State) throws(Refusal) -> Status in
            guard state.phase == .paused, let pausedAt = state.pausedAt else {
                throw Self.refusal(state, "resume", needs: "paused")
            }
            state.pausedTotal += clock.elapsedMilliseconds() - pausedAt
            state.pausedAt = nil
            state.phase = .running
            state.generation += 1
            state.task = drive(generation: state.generation)
            return Self.status(state, now: clock.elapsedMilliseconds())
        }
    }

    /// Stops the timeline, removes the scenario's rules and judges its expectations.
    @discardableResult
    public func stop() throws(Refusal) -> Status {
        try locked { (state: inout State) throws(Refusal) -> Status in
            guard state.phase == .running || state.phase == .paused else {
                throw Self.refusal(state, "stop", needs: "running")
            }
            end(&state, as: .stopped)
            return Self.status(state, now: clock.elapsedMilliseconds())
        }
    }

    /// `withLockedValue` with a typed error (the box's is untyped).
    private func locked(_ body: (inout State) throws(Refusal) -> Status) throws(Refusal) -> Status {
        let outcome = box.withLockedValue { state in Result { () throws(Refusal) in try body(&state) } }
        return try outcome.get()
    }

    private static func refusal(_ state: State, _ command: String, needs phase: String) -> Refusal {
        let what = state.scenario.map { "scenario \($0.name) is \(state.phase.rawValue)" } ?? "no scenario is loaded"
        return Refusal(description: "cannot \(command): \(what); \(command) needs a \(phase) scenario")
    }

    private func end(_ state: inout State, as phase: Phase) {
        let now = clock.elapsedMilliseconds()
        if state.pausedAt == nil { state.pausedAt = now }
        state.phase = phase
        state.generation += 1
        state.task?.cancel()
        state.task = nil
        faults.installScenarioRules([], startingAt: 0)
        guard let scenario = state.scenario else { return }
        let (entries, dropped) = journal.snapshot()
        let origin = state.origin
        let since = entries.filter { $0.milliseconds >= origin }.map { entry in
            var shifted = entry
            shifted.milliseconds -= origin
            return shifted
        }
        state.results = ExpectationEvaluator(entries: since, runMilliseconds: now - origin, dropped: dropped)
            .evaluate(scenario.expectations)
    }

    private static func status(_ state: State, now: Int64) -> Status {
        let started =
            state.phase == .running || state.phase == .paused || state.phase == .stopped
            || state.phase == .finished
        return Status(
            phase: state.phase, name: state.scenario?.name, file: state.scenario?.file,
            durationMilliseconds: state.scenario?.durationMilliseconds,
            elapsedMilliseconds: started ? scenarioTime(state, now: now) : nil,
            startedAtMilliseconds: started ? state.origin : nil, steps: state.scenario?.timeline.count ?? 0,
            stepsFired: state.fired, results: state.results, passed: state.results.map { $0.allSatisfy(\.passed) })
    }

    private static func scenarioTime(_ state: State, now: Int64) -> Int64 {
        (state.pausedAt ?? now) - state.origin - state.pausedTotal
    }

    /// The timeline task of one running stretch (a pause ends it, a resume starts another). It
    /// sleeps on the run's clock in a hold taken here, before the task starts: on a virtual clock
    /// time stands still while a step is performed, so each step happens exactly at its time.
    private func drive(generation: Int) -> Task<Void, Never> {
        let hold = clock.base.hold()
        return Task { [self] in
            await hold.run {
                while let wake = nextWake(generation: generation) {
                    do {
                        try await clock.sleep(untilElapsedMilliseconds: wake.elapsed)
                    } catch {
                        return
                    }
                    guard let firings = due(generation: generation, upTo: wake.due) else { return }
                    for (step, firing) in firings { await perform(step, firing) }
                }
            }
        }
    }

    private func perform(_ step: TimelineStep, _ firing: TimelineSchedule.Firing) async {
        let stamp = journal.stamp(at: clock.elapsedMilliseconds())
        let time = stamp.milliseconds
        let failure = await performer.perform(step.action)
        journal.append(
            JournalEntry(
                milliseconds: time,
                event: .step(
                    StepRecord(
                        label: step.label(index: firing.step), index: firing.step, occurrence: firing.occurrence,
                        scheduledMilliseconds: firing.scheduledMilliseconds, action: step.action.summary,
                        failure: failure))), sequence: stamp.sequence)
    }

    /// When the next step (or the end) is due, as scenario time and as run time (`RunClock`).
    private func nextWake(generation: Int) -> (due: Int64, elapsed: Int64)? {
        box.withLockedValue { state in
            guard state.generation == generation, state.phase == .running, let scenario = state.scenario else {
                return nil
            }
            let end = scenario.durationMilliseconds
            let due = min(state.schedule.nextDueMilliseconds ?? end, end)
            return (due, state.origin + state.pausedTotal + due)
        }
    }

    /// The steps due now; nil when this stretch is over (paused, stopped, or the duration reached).
    private func due(generation: Int, upTo scheduled: Int64) -> [(TimelineStep, TimelineSchedule.Firing)]? {
        box.withLockedValue { state in
            guard state.generation == generation, state.phase == .running, let scenario = state.scenario else {
                return nil
            }
            let now = Self.scenarioTime(state, now: clock.elapsedMilliseconds())
            if max(now, scheduled) >= scenario.durationMilliseconds {
                end(&state, as: .finished)
                return nil
            }
            let firings = state.schedule.fire(upTo: max(scheduled, now))
            state.fired += firings.count
            return firings.map { (scenario.timeline[$0.step], $0) }
        }
    }
}
