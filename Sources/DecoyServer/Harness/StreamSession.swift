import DecoyTinyCam

/// One stream session (MJPEG over HTTP, or an RTSP session's RTP) as it ended, for the journal: who watched what, which frames went
/// out, what was wrong with them, and why the stream stopped.
public struct StreamSession: Sendable, Equatable {
    /// Why a stream ended.
    public enum Ending: String, Sendable, Equatable, Codable {
        /// The client closed or reset its connection.
        case clientClosed
        /// A fault ended it (`closeAfterFrames`, `closeAfterBytes`, a `drop` action).
        case fault
        /// Decoy shut down (the end of a run, `decoy serve` stopping).
        case serverClosed
        /// Decoy's web server restarted (`restart.cgi`, a `restart` step) and closed every connection.
        case restart
        /// The client took no byte for `MJPEGViewer.stallLimit`, or an RTSP session over UDP heard
        /// nothing from its client for its timeout.
        case timeout
        /// Its camera went offline.
        case cameraOffline
    }

    /// When it started (its request's arrival).
    public var startedAt: JournalStamp
    public var client: String
    public var cameraName: String
    public var variant: String
    /// The request target as sent (secrets included: the journal masks them).
    public var target: String
    /// Parts written (a duplicated frame counts twice).
    public var framesSent: Int
    /// The hub sequence numbers of the first and last frame written (nil: none was).
    public var firstSequence: UInt64?
    public var lastSequence: UInt64?
    /// Body bytes handed to the connection (parts, boundaries and framing; not the head).
    public var bytesSent: Int64
    public var durationMilliseconds: Int64
    /// The faults applied (`ExchangeFaults.label`); nil: none.
    public var fault: String?
    public var ending: Ending
    /// The protocol that carried it: an MJPEG stream over HTTP or an RTSP session's RTP.
    public var wire: TinyCamRequest.Wire
    /// How RTP went (`tcp` interleaved or `udp`); nil for HTTP streams.
    public var transport: String?

    public init(
        startedAt: JournalStamp, client: String, cameraName: String, variant: String, target: String, framesSent: Int,
        firstSequence: UInt64?,
        lastSequence: UInt64?, bytesSent: Int64, durationMilliseconds: Int64, fault: String?, ending: Ending,
        wire: TinyCamRequest.Wire = .http, transport: String? = nil
    ) {
        self.wire = wire
        self.transport = transport
        self.startedAt = startedAt
        self.client = client
        self.cameraName = cameraName
        self.variant = variant
        self.target = target
        self.framesSent = framesSent
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.bytesSent = bytesSent
        self.durationMilliseconds = durationMilliseconds
        self.fault = fault
        self.ending = ending
    }
}
