/// What the wire does to one answer: byte-level (network) and frame-level (media) faults,
/// decided by the fault layer per request and carried to the transport in an `ExchangeFaultSlot`.
///
/// Several may hit one request (bandwidth and a media fault, say): each field is independent.
public struct ExchangeFaults: Sendable, Equatable {
    /// Reset the connection (`SO_LINGER` {1, 0}, then close) instead of answering: no byte goes out.
    public var reset = false
    /// The head goes out (for a stream, the head and the first frame), then nothing for this long
    /// on a connection kept open, then the rest.
    public var stallMilliseconds: Int64?
    /// Every byte of the connection from this answer on is paced to this rate.
    public var bytesPerSecond: Int?
    /// The connection closes (FIN) once this many bytes of the answer (head included) are out.
    public var closeAfterBytes: Int?
    /// An MJPEG stream closes (FIN) once this many parts are out; other answers are untouched.
    public var closeAfterFrames: Int?
    /// How the stream's framing or its JPEGs are damaged (`image.cgi`: the snapshot's).
    public var media: MediaFault?
    /// What was applied, with the rules that did it, for the journal of stream sessions.
    public var label: String

    public init(
        reset: Bool = false, stallMilliseconds: Int64? = nil, bytesPerSecond: Int? = nil, closeAfterBytes: Int? = nil,
        closeAfterFrames: Int? = nil, media: MediaFault? = nil, label: String = ""
    ) {
        self.reset = reset
        self.stallMilliseconds = stallMilliseconds
        self.bytesPerSecond = bytesPerSecond
        self.closeAfterBytes = closeAfterBytes
        self.closeAfterFrames = closeAfterFrames
        self.media = media
        self.label = label
    }

    /// Whether the bytes need the per-connection `ByteShaper` (pacing, a stall, a byte budget).
    var needsShaper: Bool { stallMilliseconds != nil || bytesPerSecond != nil || closeAfterBytes != nil }
}
