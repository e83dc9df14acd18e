/// An RTSP request's method (RFC 2326 section 10).
///
/// The parser keeps any well-formed method token, so an extension method is answered 501 Not
/// Implemented instead of being mistaken for a framing error (400).
public enum RTSPMethod: Hashable, Sendable {
    case options, describe, setup, play, pause, teardown, getParameter, setParameter, announce, record
    /// A well-formed token this server does not know (`REDIRECT`, `FOO`): answered 501.
    case other(String)

    /// The method named by `token`; methods are case-sensitive (RFC 2326 section 6.1).
    public init(token: String) {
        self = Self.known.first { $0.token == token } ?? .other(token)
    }

    /// The method's name on the wire.
    public var token: String {
        switch self {
        case .options: "OPTIONS"
        case .describe: "DESCRIBE"
        case .setup: "SETUP"
        case .play: "PLAY"
        case .pause: "PAUSE"
        case .teardown: "TEARDOWN"
        case .getParameter: "GET_PARAMETER"
        case .setParameter: "SET_PARAMETER"
        case .announce: "ANNOUNCE"
        case .record: "RECORD"
        case .other(let token): token
        }
    }

    /// Every method RFC 2326 defines for a client to send, except `REDIRECT` (server to client).
    public static let known: [RTSPMethod] = [
        .options, .describe, .setup, .play, .pause, .teardown, .getParameter, .setParameter, .announce, .record,
    ]

    /// What a play-only camera serves, in the order gst-rtsp-server lists them in `Public`.
    /// `ANNOUNCE` and `RECORD` (publishing to the server) are known but refused with 405.
    public static let served: [RTSPMethod] = [
        .options, .describe, .getParameter, .pause, .play, .setup, .setParameter, .teardown,
    ]

    /// The `Public` (and `Allow`) header value: the served methods, comma separated.
    public static var publicHeaderValue: String { served.map(\.token).joined(separator: ", ") }
}
