import DecoyCore
import DecoyServer

/// One entry of `rules:` (or the fault of a `network:`/`media:` step): which requests, when, how
/// often, and what goes wrong with them. Request-level faults replace, delay or re-status the
/// answer before the transport sees it; network and media faults are carried to the transport
/// (`ExchangeFaults`), which applies them to the bytes and frames of that answer.
public struct FaultRule: Sendable, Equatable {
    /// Shown in the journal next to the fault; nil: the rule's position.
    public var name: String?
    public var match: FaultMatch
    /// When the rule is active, in milliseconds since t = 0: [from, until), to the end without `until`.
    public var fromMilliseconds: Int64
    public var untilMilliseconds: Int64?
    /// The chance (0–1) that a matching request is faulted, drawn from the scenario's seeded
    /// generator; nil: every matching request.
    public var probability: Double?
    public var fault: Fault
    public var line: Int

    public init(
        name: String? = nil, match: FaultMatch = FaultMatch(), fromMilliseconds: Int64 = 0,
        untilMilliseconds: Int64? = nil, probability: Double? = nil, fault: Fault, line: Int = 0
    ) {
        self.name = name
        self.match = match
        self.fromMilliseconds = fromMilliseconds
        self.untilMilliseconds = untilMilliseconds
        self.probability = probability
        self.fault = fault
        self.line = line
    }

    /// Whether the rule is active at `milliseconds`.
    public func isActive(at milliseconds: Int64) -> Bool {
        milliseconds >= fromMilliseconds && untilMilliseconds.map { milliseconds < $0 } ?? true
    }

    /// The same rule active for `duration` from `start` (a `network:` step when it fires).
    public func shifted(to start: Int64, forMilliseconds duration: Int64) -> FaultRule {
        var rule = self
        rule.fromMilliseconds = start
        rule.untilMilliseconds = start + duration
        return rule
    }
}

/// Which requests a rule touches; every field left out matches anything.
public struct FaultMatch: Sendable, Equatable {
    /// The camera's id (a name in the file is resolved when it is read): matches `cameraId=<id>`
    /// or `camera=<position>` in the query.
    public var cameraID: Int64?
    /// The decoded path, exact unless it holds `*`.
    public var path: String?
    /// The role of the user the request claims (token session, `user=` or the Basic/Digest name).
    public var role: Role?
    /// The user the request claims (not checked: a wrong password still names a user).
    public var user: String?
    public var auth: AuthKind?
    /// The client's IP address, exact unless it holds `*`.
    public var client: String?

    public init(
        cameraID: Int64? = nil, path: String? = nil, role: Role? = nil, user: String? = nil, auth: AuthKind? = nil,
        client: String? = nil
    ) {
        self.cameraID = cameraID
        self.path = path
        self.role = role
        self.user = user
        self.auth = auth
        self.client = client
    }

    /// Whether matching needs to know who the request claims to be (a token lookup).
    var needsIdentity: Bool { role != nil || user != nil }
}

/// What goes wrong with a faulted request.
public enum Fault: Sendable, Equatable {
    /// Answered with this status and body (default `HTTP <code>. <reason>.`) without reaching the API.
    case status(code: Int, body: String?)
    /// Answered this much later: `fixed` plus a uniform draw in [0, jitter].
    case latency(fixedMilliseconds: Int64, jitterMilliseconds: Int64)
    /// `true`: the `HTTP 403. …` errors come with status 200 (as some tinyCam builds do); `false`:
    /// with 403 whatever `server.legacyErrorStatus200` says.
    case legacyErrors(Bool)
    /// Something happens to the connection (reset, stall, bandwidth, close after N, refuse).
    case network(NetworkFault)
    /// The MJPEG stream's framing or JPEGs (or the `image.cgi` snapshot) are damaged.
    case media(MediaFault)

    /// Whether the transport applies it (network and media faults) rather than the responder.
    var isTransport: Bool {
        switch self {
        case .network, .media: true
        default: false
        }
    }

    public var summary: String {
        switch self {
        case .network(let fault): fault.summary
        case .media(let fault): "media \(fault)"
        case .status(let code, _): "status \(code)"
        case .latency(let fixed, let jitter):
            "latency \(RunTime.text(fixed))" + (jitter > 0 ? " + jitter \(RunTime.text(jitter))" : "")
        case .legacyErrors(let on): "legacyErrors \(on ? "on" : "off")"
        }
    }
}

/// A byte-level fault: what happens to the connection of a faulted request.
public enum NetworkFault: Sendable, Equatable {
    /// TCP reset (`SO_LINGER` {1, 0}, then close) instead of the answer: not one byte of it.
    case reset
    /// A new connection from a matching client is reset as soon as it is accepted (before any
    /// byte is read or written). Matches on `client` only: nothing else is known yet.
    case refuse
    /// The head goes out (a stream's head and first frame), then nothing for this long on an open
    /// connection, then the rest.
    case stall(milliseconds: Int64)
    /// The connection is paced to this many bytes per second from this answer on.
    case bandwidth(bytesPerSecond: Int)
    /// The connection closes (FIN) once this many bytes of the answer (head included) are out.
    case closeAfterBytes(Int)
    /// An MJPEG stream closes (FIN) once this many parts are out.
    case closeAfterFrames(Int)

    public var summary: String {
        switch self {
        case .reset: "reset"
        case .refuse: "refuse"
        case .stall(let milliseconds): "stall \(RunTime.text(milliseconds))"
        case .bandwidth(let rate): "bandwidth \(rate) B/s"
        case .closeAfterBytes(let count): "closeAfterBytes \(count)"
        case .closeAfterFrames(let count): "closeAfterFrames \(count)"
        }
    }
}
