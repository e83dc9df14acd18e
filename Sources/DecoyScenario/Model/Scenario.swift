import DecoyCore
import DecoyFaults

/// A scenario file, validated: what Decoy serves, what happens when, and what the client must do.
///
/// Values only (no running parts), so a scenario can be checked without starting anything and the
/// same value drives `decoy run`, the control API and tests.
public struct Scenario: Sendable {
    /// The JUnit `testsuite` name.
    public var name: String
    public var description: String?
    /// Seeds everything random in a run: fault probabilities and latency jitter (tokens and
    /// nonces stay random and are outside determinism).
    public var seed: UInt64
    public var clock: ScenarioClock
    /// The longest the run lasts; it ends earlier when the client command exits.
    public var durationMilliseconds: Int64
    /// What Decoy serves: the inline `config:` over the embedded default (without its example events).
    public var config: DecoyConfig
    public var timeline: [TimelineStep]
    /// Faults active for a window or the whole run (`rules:`), in file order.
    public var rules: [FaultRule]
    public var expectations: [Expectation]
    /// The file the scenario came from (diagnostics and reports).
    public var file: String

    public init(
        name: String, description: String? = nil, seed: UInt64 = 0, clock: ScenarioClock = .real,
        durationMilliseconds: Int64, config: DecoyConfig = Scenario.defaultConfig, timeline: [TimelineStep] = [],
        rules: [FaultRule] = [], expectations: [Expectation] = [], file: String = "<scenario>"
    ) {
        self.name = name
        self.description = description
        self.seed = seed
        self.clock = clock
        self.durationMilliseconds = durationMilliseconds
        self.config = config
        self.timeline = timeline
        self.rules = rules
        self.expectations = expectations
        self.file = file
    }

    /// Whether anything in the scenario can fault a request: rules, `network:` steps, or `auth:`
    /// steps that fail or lock out logins or reject a stream's token. Without, the fault layer passes every request straight on.
    public var needsFaultLayer: Bool {
        !rules.isEmpty
            || timeline.contains { step in
                switch step.action {
                case .network, .auth(.failLogins), .auth(.lockout), .auth(.rejectStreamToken): true
                default: false
                }
            }
    }

    /// What a valid scenario holds, in one line (`decoy check`, `decoy run --check`).
    public var checkSummary: String {
        "scenario \(name), duration \(RunTime.text(durationMilliseconds)), \(timeline.count) step(s), "
            + "\(rules.count) rule(s), \(expectations.count) expectation(s)"
    }

    /// The embedded default without its first-start example events: a scenario's event list holds
    /// only what its timeline (and the cameras' own detection) made, so expectations are predictable.
    public static let defaultConfig: DecoyConfig = {
        var config = DecoyConfig.embeddedDefault
        config.isEmbeddedDefault = false
        return config
    }()
}

/// How time passes in a run.
public enum ScenarioClock: String, Sendable, CaseIterable {
    /// Wall-clock time: frames, tokens and the journal follow the host's clock.
    case real
    /// A `VirtualClock` from a fixed start (`VirtualClock.defaultStartMilliseconds`): without a
    /// client command it runs fast (time jumps from timer to timer once the work before has
    /// finished), so the same scenario gives the same frames and journal times; with one it runs at
    /// real speed from that start. Tokens, nonces and real durations (encode time) stay real.
    case virtual
}
