import DecoyCore
import DecoyFaults
import DecoyServer
import DecoyTinyCam
import Logging
import NIOConcurrencyHelpers

/// A running Decoy with the parts a test harness drives: the journal, the fault layer and a
/// scenario session. `decoy run` plays its scenario in one; `decoy serve --control` keeps one
/// running for a long-lived sandbox; the control API acts on it.
///
/// Built in one place (`start`): the journal and the fault layer are made first and handed to the
/// transport as its harness, so nothing is attached after the fact.
public final class Sandbox: Sendable {
    public let runtime: DecoyRuntime
    /// What is served (the scenario's config in `decoy run`): rules and actions name its cameras and users.
    public let config: DecoyConfig
    public let journal: Journal
    public let clock: RunClock
    /// The one owner of the fault state: rules (the scenario's and the control API's), timed
    /// steps, failed logins, lockouts, stream-token rejections, the seeded draws.
    public let faults: FaultLayer
    public let session: ScenarioSession
    public let performer: RuntimeActionPerformer
    private let actions = NIOLockedValueBox(0)

    /// Starts Decoy with the journal and the fault layer in its transport, and sets t = 0 once it
    /// listens. The run's clock is `options.clock` (a `VirtualClock` for `clock: virtual`).
    /// `outer` wraps what answers requests (e.g. request metrics). `fixedScenario`: the session
    /// plays one scenario (`decoy run`).
    public static func start(
        config: DecoyConfig, options: DecoyRuntime.Options, seed: UInt64 = 0, fixedScenario: Bool = false,
        outer: @escaping @Sendable (any TinyCamResponder) -> any TinyCamResponder = { $0 }, logger: Logger
    ) async throws -> Sandbox {
        let journal = Journal()
        let clock = RunClock(clock: options.clock)
        let faults = FaultLayer(seed: seed)
        var options = options
        options.harness = TransportHarness(faults: faults, journal: JournalRecorder(journal: journal, clock: clock))
        options.responder = { outer($0) }
        let runtime = try await DecoyRuntime.start(config: config, options: options, logger: logger)
        clock.start()
        return Sandbox(
            runtime: runtime, config: config, journal: journal, clock: clock, faults: faults, fixed: fixedScenario,
            logger: logger)
    }

    private init(
        runtime: DecoyRuntime, config: DecoyConfig, journal: Journal, clock: RunClock, faults: FaultLayer,
        fixed: Bool, logger: Logger
    ) {
        self.runtime = runtime
        self.config = config
        self.journal = journal
        self.clock = clock
        self.faults = faults
        performer = RuntimeActionPerformer(runtime: runtime, faults: faults, clock: clock, logger: logger)
        session = ScenarioSession(journal: journal, clock: clock, faults: faults, performer: performer, fixed: fixed)
    }

    /// Does `action` now and journals it as a step labelled `control` (index -1), like a timeline
    /// step; nil when done, otherwise why not.
    public func perform(_ action: ScenarioAction) async -> String? {
        let stamp = journal.stamp(at: clock.elapsedMilliseconds())
        let time = stamp.milliseconds
        let failure = await performer.perform(action)
        let occurrence = actions.withLockedValue {
            $0 += 1
            return $0
        }
        journal.append(
            JournalEntry(
                milliseconds: time,
                event: .step(
                    StepRecord(
                        label: "control", index: -1, occurrence: occurrence, scheduledMilliseconds: time,
                        action: action.summary, failure: failure))), sequence: stamp.sequence)
        return failure
    }

    /// A clean slate for the next test: the journal emptied, the fault layer back to the
    /// scenario's rules with fresh draws and no session state. Returns the number of journal
    /// entries and control rules removed.
    public func reset() -> (journal: Int, rules: Int) {
        let rules = faults.reset()
        return (journal.clear(), rules)
    }
}
