/// An RTSP status code with its reason phrase (RFC 2326 section 7.1.1).
///
/// Only the codes a play-only camera answers are named. The phrases are RFC 2326's, which is what
/// gst-rtsp-server (and so Axis firmware) writes; clients act on the code alone.
public struct RTSPStatus: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: Int
    public let reason: String

    public init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code) \(reason)" }

    public static let ok = RTSPStatus(code: 200, reason: "OK")
    public static let badRequest = RTSPStatus(code: 400, reason: "Bad Request")
    public static let unauthorized = RTSPStatus(code: 401, reason: "Unauthorized")
    public static let forbidden = RTSPStatus(code: 403, reason: "Forbidden")
    public static let notFound = RTSPStatus(code: 404, reason: "Not Found")
    public static let methodNotAllowed = RTSPStatus(code: 405, reason: "Method Not Allowed")
    public static let requestEntityTooLarge = RTSPStatus(code: 413, reason: "Request Entity Too Large")
    public static let requestURITooLarge = RTSPStatus(code: 414, reason: "Request-URI Too Large")
    public static let parameterNotUnderstood = RTSPStatus(code: 451, reason: "Parameter Not Understood")
    public static let sessionNotFound = RTSPStatus(code: 454, reason: "Session Not Found")
    public static let methodNotValidInThisState = RTSPStatus(code: 455, reason: "Method Not Valid in This State")
    public static let aggregateOperationNotAllowed = RTSPStatus(code: 459, reason: "Aggregate operation not allowed")
    public static let onlyAggregateOperationAllowed = RTSPStatus(
        code: 460, reason: "Only aggregate operation allowed")
    public static let unsupportedTransport = RTSPStatus(code: 461, reason: "Unsupported transport")
    public static let internalServerError = RTSPStatus(code: 500, reason: "Internal Server Error")
    public static let notImplemented = RTSPStatus(code: 501, reason: "Not Implemented")
    public static let serviceUnavailable = RTSPStatus(code: 503, reason: "Service Unavailable")
    public static let versionNotSupported = RTSPStatus(code: 505, reason: "RTSP Version not supported")
    public static let optionNotSupported = RTSPStatus(code: 551, reason: "Option not supported")
}
