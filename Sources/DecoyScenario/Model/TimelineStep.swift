import DecoyCore

/// One entry of `timeline:`: when it fires and what it does.
public struct TimelineStep: Sendable, Equatable {
    /// The name other steps (`after:`) and expectations (`of:`) refer to.
    public var id: String?
    public var timing: StepTiming
    public var action: ScenarioAction
    /// The line of the step in its file, for messages.
    public var line: Int

    public init(id: String? = nil, timing: StepTiming, action: ScenarioAction, line: Int = 0) {
        self.id = id
        self.timing = timing
        self.action = action
        self.line = line
    }

    /// How the step is named in journals and evidence: its id, else its position.
    public func label(index: Int) -> String { id ?? "step \(index + 1)" }
}

/// The one time key of a step. Times are milliseconds since t = 0 (the listener bound).
public enum StepTiming: Sendable, Equatable {
    /// `at: 3s`: once, at that time.
    case at(Int64)
    /// `after: ring` (+ `delay: 2s`): once, that long after the first firing of step `ring`.
    case after(String, delayMilliseconds: Int64)
    /// `every: 10s` (+ `until: 1m` or `times: 3`): at 1×, 2×, 3× the interval, … while the time is
    /// at most `until` and fewer than `times` occurrences fired (to the end of the run without either).
    case every(Int64, untilMilliseconds: Int64?, times: Int?)
}

/// What a step does. The actions not built yet (`camera`, `auth`, `network`, `media`, `storage`,
/// `battery`, `settings`) are rejected by validation with a message naming them.
public enum ScenarioAction: Sendable, Equatable {
    /// The camera (name or id, as written) has an event: the picture shows the object, its motion
    /// flag goes up and a camera that records records it.
    case motion(camera: String, type: EventType, durationMilliseconds: Int64)
    /// What `restart.cgi` does: connections close, tokens are forgotten, it listens again after
    /// `server.restartDelay`.
    case restart
    /// A line in the journal and the log (marks a phase of the run).
    case log(String)

    /// A short human description for journals and summaries.
    public var summary: String {
        switch self {
        case .motion(let camera, let type, let duration):
            "motion \(type.rawValue) on \(camera) for \(RunTime.text(duration))"
        case .restart: "restart"
        case .log(let message): "log \(message)"
        }
    }
}
