/// Why the bytes on a connection are not an RTSP request, with the answer they get.
///
/// Every read error ends the connection: once framing is lost, the reader cannot know where the
/// next request starts. The socket layer answers `status` (with `cseq` echoed when the head was
/// far enough along to have one), then closes.
public struct RTSPReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The request line is longer than the limit: 414.
        case requestLineTooLong
        /// Not `METHOD target RTSP/1.0`, a control or non-ASCII byte in it, or a target that is
        /// not `rtsp://`, `rtsps://`, `*` or an absolute path: 400.
        case malformedRequestLine
        /// `RTSP/x.y` other than 1.0: 505.
        case unsupportedVersion
        /// Header lines beyond the byte limit: 400 (RTSP 1.0 has no 431).
        case headersTooLarge
        /// More header fields than the limit: 400.
        case tooManyHeaderFields
        /// A header line without a `name:`, or with a control byte: 400.
        case malformedHeader
        /// `Content-Length` not a decimal number, or given twice with different values: 400.
        case invalidContentLength
        /// `Content-Length` over the limit: 413.
        case bodyTooLarge
    }

    public let kind: Kind
    /// What the client is told, in a sentence (for the journal and logs).
    public let reason: String
    /// The request's `CSeq` when it could be found in what was read, so even an error echoes it.
    public let cseq: String?

    public init(_ kind: Kind, _ reason: String, cseq: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.cseq = cseq
    }

    /// The status this error is answered with.
    public var status: RTSPStatus {
        switch kind {
        case .requestLineTooLong: .requestURITooLarge
        case .unsupportedVersion: .versionNotSupported
        case .bodyTooLarge: .requestEntityTooLarge
        case .malformedRequestLine, .headersTooLarge, .tooManyHeaderFields, .malformedHeader, .invalidContentLength:
            .badRequest
        }
    }

    public var description: String { "\(status): \(reason)" }

    func with(cseq: String?) -> RTSPReadError { RTSPReadError(kind, reason, cseq: cseq) }
}
