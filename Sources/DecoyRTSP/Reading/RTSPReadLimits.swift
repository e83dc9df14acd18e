/// How much of a request the reader holds before it gives up: the bound on a connection's memory
/// whatever a client sends.
///
/// The defaults match the HTTP side's request-line limit and are generous for RTSP, whose
/// requests are a line, a dozen headers and (only for `SET_PARAMETER`/`GET_PARAMETER`) a small
/// body.
public struct RTSPReadLimits: Hashable, Sendable {
    /// Longest request line, without its line end; longer is answered 414.
    public var requestLineBytes: Int
    /// Most bytes of the header section (its lines with their line ends, and the blank line that
    /// closes it); more is 400.
    public var headerBytes: Int
    /// Most header fields (a folded continuation line is part of its field); more is 400.
    public var headerFields: Int
    /// Largest `Content-Length`; larger is 413.
    public var bodyBytes: Int

    public init(requestLineBytes: Int = 8192, headerBytes: Int = 16384, headerFields: Int = 100, bodyBytes: Int = 65536)
    {
        self.requestLineBytes = requestLineBytes
        self.headerBytes = headerBytes
        self.headerFields = headerFields
        self.bodyBytes = bodyBytes
    }

    public static let standard = RTSPReadLimits()

    /// The most bytes one request can occupy, so the most a reader ever holds beyond the bytes of
    /// the latest `append` (an interleaved frame is at most 4 + 65535 bytes, less than this).
    public var maximumRequestBytes: Int { requestLineBytes + 2 + headerBytes + bodyBytes }
}
