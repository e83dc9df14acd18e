import DecoyTinyCam

/// One entry of `expect:`: an assertion on the journal (or the client's exit code) with a name.
public struct Expectation: Sendable, Equatable {
    /// The JUnit `testcase` name.
    public var name: String
    public var kind: ExpectationKind
    public var line: Int

    public init(name: String, kind: ExpectationKind, line: Int = 0) {
        self.name = name
        self.kind = kind
        self.line = line
    }
}

/// What an expectation asserts. Times are milliseconds since t = 0.
public enum ExpectationKind: Sendable, Equatable {
    /// A matching request in [S, S + window], S being when step `of` first fired.
    case within(RequestPattern, windowMilliseconds: Int64, step: String)
    /// The number of matching requests: over the whole run, or per window (`per:`). With `per`,
    /// `atMost` holds for every sliding window of that length and `atLeast` for every complete
    /// consecutive window from t = 0.
    case count(RequestPattern, atLeast: Int?, atMost: Int?, perMilliseconds: Int64?)
    /// No request matches.
    case never(RequestPattern)
    /// Requests matching each pattern, in this order (each after the previous one's match).
    case order([RequestPattern])
    /// The client command exited with this status.
    case clientExit(Int32)
    /// Stream sessions (MJPEG `video.cgi`) matching the pattern: at least one, one with enough
    /// frames, or never too many open at once from one client.
    case streams(RequestPattern, StreamCheck)
    /// After every interruption of a matching stream or request (a stream a fault, restart or
    /// outage ended; a request a fault hit), the same client sends a matching request again no
    /// sooner than `backoff` and no later than `within` after it.
    case reconnects(RequestPattern, withinMilliseconds: Int64, backoffMilliseconds: Int64)
}

/// What `streams:` checks.
public enum StreamCheck: Sendable, Equatable {
    /// At least one matching session.
    case exists
    /// At least one matching session sent this many frames.
    case framesAtLeast(Int)
    /// No client ever had more than this many matching sessions open at once.
    case concurrentAtMost(Int)
}

/// Which requests an expectation looks at. Every field left out matches anything; the status is
/// ignored unless named; `path` and parameter values are exact unless they hold `*` (any text).
public struct RequestPattern: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var method: String?
    public var status: Int?
    public var user: String?
    public var auth: AuthKind?
    /// Decoded parameter names and the values they must have (`*` globs).
    public var parameters: [String: String]
    /// The faults the journal says were applied (`*` globs, e.g. `latency*`); a request no fault
    /// touched never matches a pattern that names one.
    public var fault: String?
    /// `http` or `rtsp`; nil matches both.
    public var `protocol`: TinyCamRequest.Wire?
    /// For stream sessions: `tcp` or `udp` (how RTSP's packets went); nil matches any.
    public var transport: String?

    public init(
        path: String, method: String? = nil, status: Int? = nil, user: String? = nil, auth: AuthKind? = nil,
        parameters: [String: String] = [:], fault: String? = nil, protocol wire: TinyCamRequest.Wire? = nil,
        transport: String? = nil
    ) {
        self.protocol = wire
        self.transport = transport
        self.path = path
        self.method = method
        self.status = status
        self.user = user
        self.auth = auth
        self.parameters = parameters
        self.fault = fault
    }

    /// `GET /api/v1/login` (or just the path) with the other conditions in brackets, for evidence text.
    public var description: String {
        var conditions: [String] = []
        if let status { conditions.append("status \(status)") }
        if let user { conditions.append("user \(user)") }
        if let auth { conditions.append("auth \(auth.rawValue)") }
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) { conditions.append("\(name)=\(value)") }
        if let fault { conditions.append("fault \(fault)") }
        if let wire = self.protocol { conditions.append("protocol \(wire.rawValue)") }
        if let transport { conditions.append("transport \(transport)") }
        let head = method.map { "\($0) \(path)" } ?? path
        return conditions.isEmpty ? head : "\(head) [\(conditions.joined(separator: ", "))]"
    }
}
