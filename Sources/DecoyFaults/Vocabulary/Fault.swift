import DecoyCore

/// What goes wrong with a faulted exchange.
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

    /// Whether the transport applies it to bytes and frames (network and media faults) rather
    /// than to the answer.
    public var isTransport: Bool {
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

/// A byte-level fault: what happens to the connection of a faulted exchange.
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
    /// A stream closes (FIN) once this many frames are out.
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
