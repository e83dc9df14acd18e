import DecoyCore
import DecoyServer
import DecoyTinyCam
import Foundation
import Logging

/// A running Decoy with the parts a test harness drives: the journal, the fault rules and a
/// scenario session. `decoy run` plays its scenario in one; `decoy serve --control` keeps one
/// running for a long-lived sandbox; the control API acts on it.
public final class Sandbox: Sendable {
    public let runtime: DecoyRuntime
    /// What is served (the scenario's config in `decoy run`): rules and actions name its cameras and users.
    public let config: DecoyConfig
    public let journal: Journal
    public let clock: RunClock
    public let rules: RuleBook
    public let session: ScenarioSession
    public let performer: SandboxActionPerformer
    private let actions = ActionCounter()

    /// Starts Decoy with the journal and the fault layer at the responder seam, and sets t = 0
    /// once it listens. The run's clock is `options.clock` (a `VirtualClock` for `clock: virtual`). `outer` wraps what the transport sees (e.g. request metrics).
    /// `fixedScenario`: the session plays one scenario (`decoy run`); `faultLayer`: build the
    /// fault controller from the start (the scenario can fault requests).
    public static func start(
        config: DecoyConfig, options: DecoyRuntime.Options, seed: UInt64 = 0, faultLayer: Bool = false,
        fixedScenario: Bool = false,
        outer: @escaping @Sendable (any TinyCamResponder) -> any TinyCamResponder = { $0 }, logger: Logger
    ) async throws -> Sandbox {
        let journal = Journal()
        let clock = RunClock(clock: options.clock)
        let rules = RuleBook(seed: seed, config: config, enabled: faultLayer)
        var options = options
        options.transportFaults = { _ in TransportFaultLayer(journal: journal, clock: clock) { rules.controller } }
        options.responder = { api in
            rules.attach(tokens: api.services.authenticator.tokens)
            return outer(SandboxResponder(api, journal: journal, clock: clock, rules: rules))
        }
        let runtime = try await DecoyRuntime.start(config: config, options: options, logger: logger)
        clock.start()
        return Sandbox(
            runtime: runtime, config: config, journal: journal, clock: clock, rules: rules, fixed: fixedScenario,
            logger: logger)
    }

    private init(
        runtime: DecoyRuntime, config: DecoyConfig, journal: Journal, clock: RunClock, rules: RuleBook, fixed: Bool,
        logger: Logger
    ) {
        self.runtime = runtime
        self.config = config
        self.journal = journal
        self.clock = clock
        self.rules = rules
        performer = SandboxActionPerformer(runtime: runtime, rules: rules, clock: clock, logger: logger)
        session = ScenarioSession(journal: journal, clock: clock, rules: rules, performer: performer, fixed: fixed)
    }

    /// Does `action` now and journals it as a step labelled `control` (index -1), like a timeline
    /// step; nil when done, otherwise why not.
    public func perform(_ action: ScenarioAction) async -> String? {
        let time = clock.elapsedMilliseconds()
        let failure = await performer.perform(action)
        journal.append(
            JournalEntry(
                milliseconds: time,
                event: .step(
                    StepRecord(
                        label: "control", index: -1, occurrence: actions.next(), scheduledMilliseconds: time,
                        action: action.summary, failure: failure))))
        return failure
    }

    /// A clean slate for the next test: the journal emptied, the rules back to the scenario's
    /// (control rules, `network:` rules and failed-login state forgotten). Returns the number of
    /// journal entries and control rules removed.
    public func reset() -> (journal: Int, rules: Int) {
        let removed = rules.entries.filter { $0.origin == .control }.count
        rules.reset()
        return (journal.clear(), removed)
    }
}

/// Numbers the control API's actions (their `occurrence` in the journal).
private final class ActionCounter: @unchecked Sendable {  // `count` is only touched under `lock`
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
