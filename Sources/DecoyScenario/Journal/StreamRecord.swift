import DecoyServer
import DecoyTinyCam

/// A stream session (MJPEG over HTTP, or an RTSP session's RTP) as the journal keeps it, written when the stream ends and timed at
/// its start: who watched which camera, the frames sent (with the hub's frame sequence numbers),
/// the bytes, the fault it had, and how it ended.
public struct StreamRecord: Sendable, Equatable, Codable {
    public var client: String
    public var camera: String
    /// The variant served, e.g. `320x240@q70`.
    public var variant: String
    /// The decoded path (`/axis-cgi/mjpg/video.cgi`) and parameters, secrets masked as for requests.
    public var path: String
    public var parameters: [RequestRecord.Parameter]
    public var framesSent: Int
    /// The frame sequence numbers of the first and last frame sent (nil when none was).
    public var firstFrame: UInt64?
    public var lastFrame: UInt64?
    public var bytesSent: Int64
    public var durationMilliseconds: Int64
    /// The faults applied, e.g. `media truncatedJPEG (rules[0])`; nil when none was.
    public var fault: String?
    /// clientClosed, fault, restart, serverClosed (shutdown), timeout or cameraOffline.
    public var ended: StreamSession.Ending
    /// `http` (MJPEG) or `rtsp`.
    public var `protocol`: TinyCamRequest.Wire?
    /// How an RTSP session's packets went: `tcp` (interleaved) or `udp`; nil for HTTP.
    public var transport: String?

    public init(
        client: String, camera: String, variant: String, path: String, parameters: [RequestRecord.Parameter],
        framesSent: Int, firstFrame: UInt64?, lastFrame: UInt64?, bytesSent: Int64, durationMilliseconds: Int64,
        fault: String?, ended: StreamSession.Ending
    ) {
        self.client = client
        self.camera = camera
        self.variant = variant
        self.path = path
        self.parameters = parameters
        self.framesSent = framesSent
        self.firstFrame = firstFrame
        self.lastFrame = lastFrame
        self.bytesSent = bytesSent
        self.durationMilliseconds = durationMilliseconds
        self.fault = fault
        self.ended = ended
    }

    /// The journal's record of `session` (its target parsed and masked like a request's).
    public init(_ session: StreamSession) {
        let request = TinyCamRequest(method: "GET", target: session.target, clientAddress: session.client)
        self.init(
            client: session.client, camera: session.cameraName, variant: session.variant, path: request.path,
            parameters: RequestRecord.masked(request.parameters.queryPairs), framesSent: session.framesSent,
            firstFrame: session.firstSequence,
            lastFrame: session.lastSequence, bytesSent: session.bytesSent,
            durationMilliseconds: session.durationMilliseconds, fault: session.fault, ended: session.ending)
        self.protocol = session.wire
        self.transport = session.transport
    }
}
