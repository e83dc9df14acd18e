/// One client's RTSP session as a pure value: its tracks and their transports, where it is in
/// RFC 2326's server state machine, and when it expires. The socket layer keeps these in a
/// registry by id and asks the value what each request may do.
///
/// States follow RFC 2326 appendix A and gst-rtsp-server: there is no session value before the
/// first SETUP (Init); SETUP makes one in Ready; PLAY goes to Playing; PAUSE back to Ready;
/// TEARDOWN ends it. A request valid in no state of its session gets 455.
public struct RTSPSession: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        case ready, playing
        /// Torn down: remove it from the registry; any later request naming it gets 454.
        case ended
    }

    /// The `timeout=` a session gets unless told otherwise (Axis and gst-rtsp-server: 60 s).
    public static let defaultTimeoutSeconds = 60
    /// gst-rtsp-server lets a session live this much past its timeout, so a client that sends its
    /// keep-alive exactly on time is not dropped.
    public static let graceSeconds = 5

    public let id: String
    /// The presentation the session plays; every track belongs to it.
    public let presentation: RTSPPresentation
    public let timeoutSeconds: Int
    public internal(set) var phase: Phase = .ready
    /// Set-up tracks by index, with their transport.
    public internal(set) var tracks: [Int: RTSPTransportChoice] = [:]
    /// The last request naming the session, or RTCP from its client (on the one clock).
    public private(set) var lastActivityMilliseconds: Int64

    private init(id: String, presentation: RTSPPresentation, timeoutSeconds: Int, atMilliseconds now: Int64) {
        self.id = id
        self.presentation = presentation
        self.timeoutSeconds = timeoutSeconds
        self.lastActivityMilliseconds = now
    }

    /// `Session: <id>;timeout=<seconds>`.
    public var header: RTSPSessionHeader { RTSPSessionHeader(id: id, timeoutSeconds: timeoutSeconds) }

    /// When the session ends unless something keeps it alive before then.
    public var expiresAtMilliseconds: Int64 {
        lastActivityMilliseconds + Int64(timeoutSeconds + Self.graceSeconds) * 1000
    }

    public func hasExpired(atMilliseconds now: Int64) -> Bool { now >= expiresAtMilliseconds }

    /// A keep-alive: any request naming the session, or RTCP from its client.
    public mutating func touch(atMilliseconds now: Int64) {
        lastActivityMilliseconds = max(lastActivityMilliseconds, now)
    }

    /// Interleaved channels taken by this session's TCP tracks.
    public var channelsInUse: Set<UInt8> {
        Set(
            tracks.values.flatMap { choice -> [UInt8] in
                if case .tcp(let rtp, let rtcp) = choice.delivery { return [rtp, rtcp] }
                return []
            })
    }

    /// The answer to a request that names no session: PLAY, PAUSE and TEARDOWN need one (454,
    /// as gst-rtsp-server answers); a GET_PARAMETER or SET_PARAMETER with a body asks for a
    /// parameter this server does not have (451); nil lets the request go on (OPTIONS, DESCRIBE,
    /// SETUP, which starts a session, and keep-alives).
    public static func refusalWithoutSession(_ method: RTSPMethod, body: [UInt8]) -> RTSPStatus? {
        switch method {
        case .play, .pause, .teardown: .sessionNotFound
        case .getParameter, .setParameter: body.isEmpty ? nil : .parameterNotUnderstood
        default: nil
        }
    }

    /// Init → Ready: the first SETUP. `trackCount` is how many tracks the presentation has.
    public static func start(
        id: String, target: RTSPControlTarget, trackCount: Int, transportHeader: String?,
        allowedTransports: Set<RTSPTransportSpec.LowerTransport> = [.tcp, .udp],
        timeoutSeconds: Int = defaultTimeoutSeconds, atMilliseconds now: Int64
    ) -> Result<(session: RTSPSession, track: Int), RTSPStatus> {
        var session = RTSPSession(
            id: id, presentation: target.presentation, timeoutSeconds: timeoutSeconds, atMilliseconds: now)
        return session.setup(
            target: target, trackCount: trackCount, transportHeader: transportHeader,
            allowedTransports: allowedTransports, atMilliseconds: now
        ).map { (session, $0) }
    }
}
