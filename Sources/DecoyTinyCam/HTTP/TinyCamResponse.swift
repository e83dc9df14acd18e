import DecoyCore
import NIOCore

/// An HTTP response as a value. The transport adds the framing (`Content-Length`, `Date`,
/// `Connection`) and the headers every answer carries (`Server`, CORS).
public struct TinyCamResponse: Sendable {
    public var status: HTTPStatus
    public var headers: [(name: String, value: String)]
    public var body: Body
    /// The authenticated user the answer went to (for the access log); nil before authentication.
    public var user: String?
    /// What the server does once this answer is out (nil: nothing).
    public var effect: ServerEffect?

    /// What follows the head.
    public enum Body: Sendable {
        /// A complete body of known length.
        case bytes(ByteBuffer)
        /// An endless MJPEG stream (close-delimited), fed by a camera's frame hub.
        case mjpeg(MJPEGStreamRequest)
        /// Part of a file on disk, streamed by the transport with `Content-Length: length`
        /// (built by `TinyCamResponse.file(atPath:contentType:request:)`).
        case file(FileBody)
        /// An endless WAV stream (close-delimited), fed by a camera's audio hub.
        case audio(AudioStreamRequest)
        /// An RTSP presentation (only ever answered to an RTSP DESCRIBE or SETUP): the RTSP layer
        /// describes it and streams it over RTP.
        case rtspMedia(RTSPMediaRequest)
        /// The Axis event WebSocket (answered 101 only to a valid upgrade): the transport switches
        /// the connection to WebSocket frames and runs the stream.
        case eventSocket(AxisEventSocketRequest)
    }

    public init(status: HTTPStatus, headers: [(name: String, value: String)] = [], body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A text answer.
    public static func text(
        _ status: HTTPStatus, _ text: String, headers: [(name: String, value: String)] = []
    )
        -> TinyCamResponse
    {
        TinyCamResponse(
            status: status, headers: [("Content-Type", "text/plain; charset=utf-8")] + headers,
            body: .bytes(ByteBuffer(string: text)))
    }

    /// The success answer of command CGIs (ptz, lightcontrol, param, restart): 200 with an empty body,
    /// which both the official web UI (Angular JSON parsing) and Home Assistant accept.
    public static let emptySuccess = TinyCamResponse(
        status: .ok, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(ByteBuffer()))

    /// The body's bytes when they are in memory (nil for streams and files).
    public var bodyBytes: ByteBuffer? {
        if case .bytes(let buffer) = body { return buffer }
        return nil
    }

    /// The number of body bytes a GET gets, when known in advance (nil for endless streams).
    public var bodyLength: Int64? {
        switch body {
        case .bytes(let buffer): Int64(buffer.readableBytes)
        case .file(let file): file.length
        case .mjpeg, .audio, .rtspMedia, .eventSocket: nil
        }
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Something an answer asks the server hosting the API to do once it is sent, so endpoints act on
/// the server without holding it (the transport carries it out through `ServerControl`).
public enum ServerEffect: Sendable, Equatable {
    /// `restart.cgi`: close every connection, forget every token, listen again after a delay.
    case restartServer
}

/// What an MJPEG viewer asked for: the transport subscribes it to the camera's hub.
public struct MJPEGStreamRequest: Sendable {
    public let camera: Camera
    public let variant: FrameVariant
    /// Frames per second the viewer wants; nil or ≥ native = every frame.
    public let framesPerSecond: Int?

    public init(camera: Camera, variant: FrameVariant, framesPerSecond: Int?) {
        self.camera = camera
        self.variant = variant
        self.framesPerSecond = framesPerSecond
    }
}

/// What a `receive.wav` listener asked for: the transport writes the WAV header and subscribes
/// it to the camera's audio hub.
public struct AudioStreamRequest: Sendable {
    public let camera: Camera
    public let hub: AudioHub

    public init(camera: Camera, hub: AudioHub) {
        self.camera = camera
        self.hub = hub
    }
}

/// An HTTP status code with its reason phrase.
public struct HTTPStatus: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let reason: String

    public init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code) \(reason)" }

    public static let ok = HTTPStatus(code: 200, reason: "OK")
    public static let noContent = HTTPStatus(code: 204, reason: "No Content")
    public static let partialContent = HTTPStatus(code: 206, reason: "Partial Content")
    public static let notModified = HTTPStatus(code: 304, reason: "Not Modified")
    public static let badRequest = HTTPStatus(code: 400, reason: "Bad Request")
    public static let unauthorized = HTTPStatus(code: 401, reason: "Unauthorized")
    public static let forbidden = HTTPStatus(code: 403, reason: "Forbidden")
    public static let notFound = HTTPStatus(code: 404, reason: "Not Found")
    public static let methodNotAllowed = HTTPStatus(code: 405, reason: "Method Not Allowed")
    public static let contentTooLarge = HTTPStatus(code: 413, reason: "Content Too Large")
    public static let rangeNotSatisfiable = HTTPStatus(code: 416, reason: "Range Not Satisfiable")
    public static let internalServerError = HTTPStatus(code: 500, reason: "Internal Server Error")
    public static let serviceUnavailable = HTTPStatus(code: 503, reason: "Service Unavailable")

    /// The status with its standard reason phrase (`Client Error`, `Server Error` or `OK` for a
    /// code without one here): what a fault rule's `status: 429` answers with.
    public init(code: Int) {
        let reason = Self.standardReasons[code] ?? (code < 400 ? "OK" : code < 500 ? "Client Error" : "Server Error")
        self.init(code: code, reason: reason)
    }

    /// The one table of reason phrases: the statuses above, and those fault rules commonly give.
    private static let standardReasons: [Int: String] = Dictionary(
        uniqueKeysWithValues: [
            ok, noContent, partialContent, notModified, badRequest, unauthorized, forbidden, notFound, methodNotAllowed,
            contentTooLarge, rangeNotSatisfiable, internalServerError, serviceUnavailable,
            HTTPStatus(code: 408, reason: "Request Timeout"), HTTPStatus(code: 429, reason: "Too Many Requests"),
            HTTPStatus(code: 502, reason: "Bad Gateway"), HTTPStatus(code: 504, reason: "Gateway Timeout"),
        ].map { ($0.code, $0.reason) })
}
