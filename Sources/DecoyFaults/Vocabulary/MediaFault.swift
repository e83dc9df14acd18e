/// A frame-level fault: how an MJPEG stream's framing or its JPEGs are damaged, each one a quirk
/// real cameras or broken links show. Byte-exact; the transport applies each (its framing in
/// `MediaFault+Framing`, the JPEG damage in `JPEGDamage`) and tests them byte for byte.
public enum MediaFault: Sendable, Equatable, CustomStringConvertible {
    /// Every JPEG is cut to its first half (`n / 2` bytes): SOI, the tables and part of the scan,
    /// no EOI. The part's `Content-Length` is the cut length, so the multipart framing holds.
    /// Snapshot: the body is cut the same way.
    case truncatedJPEG
    /// Bytes of the entropy-coded data are flipped; markers, length and framing are kept, so the
    /// picture decodes with errors. Snapshot: the same.
    case corruptEntropy
    /// The opening `--myboundary` after the head is left out (the legacy Axis layout); the parts
    /// after the first keep theirs.
    case missingBoundary
    /// The head says `boundary=--myboundary` while the parts are delimited by `--myboundary` (the
    /// leading-dashes quirk of some Panasonic and Sony cameras: by RFC 2046 the delimiter would
    /// be `----myboundary`).
    case wrongBoundary
    /// Every part's `Content-Length` says `jpeg length + by` (negative: fewer bytes than sent).
    /// Snapshot: the `Content-Length` header lies the same way and the connection closes after it.
    case lyingContentLength(by: Int)
    /// The stream is sent with `Transfer-Encoding: chunked`, one chunk per write (the opening
    /// boundary, then each part). Snapshot: chunked instead of `Content-Length`.
    case chunked
    /// The head says `boundary="myboundary"` (quoted; Safari freezes on it).
    case quotedBoundary
    /// LF instead of CRLF in boundary lines and part headers (`--myboundary\n`, `Content-Type:
    /// image/jpeg\n`, …, the blank line `\n`, and the `\n` after the JPEG).
    case lfOnly
    /// Every frame is sent twice in a row (same sequence, two parts).
    case duplicateFrames
    /// The first frame the viewer got is sent again instead of every newer one, at the camera's
    /// rate: the stream flows, the picture never changes. Snapshot: the first JPEG served for that
    /// camera, size and quality while the fault hits is served again (pinned by the fault layer).
    case staleFrames

    /// The one spelling of each fault: the scenario language's word, the journal's and the summary's.
    public enum Name: String, Sendable, CaseIterable {
        case truncatedJPEG, corruptEntropy, missingBoundary, wrongBoundary, lyingContentLength, chunked
        case quotedBoundary, lfOnly, duplicateFrames, staleFrames
    }

    /// The words of the scenario language, in declaration order.
    public static let names = Name.allCases.map(\.rawValue)

    /// `lyingContentLength` without `by:`: 64 bytes more than sent.
    public static let defaultLie = 64

    /// The fault a scenario word names (`lyingContentLength` with `by`).
    public init?(name: String, by: Int = MediaFault.defaultLie) {
        guard let name = Name(rawValue: name) else { return nil }
        switch name {
        case .truncatedJPEG: self = .truncatedJPEG
        case .corruptEntropy: self = .corruptEntropy
        case .missingBoundary: self = .missingBoundary
        case .wrongBoundary: self = .wrongBoundary
        case .lyingContentLength: self = .lyingContentLength(by: by)
        case .chunked: self = .chunked
        case .quotedBoundary: self = .quotedBoundary
        case .lfOnly: self = .lfOnly
        case .duplicateFrames: self = .duplicateFrames
        case .staleFrames: self = .staleFrames
        }
    }

    public var name: Name {
        switch self {
        case .truncatedJPEG: .truncatedJPEG
        case .corruptEntropy: .corruptEntropy
        case .missingBoundary: .missingBoundary
        case .wrongBoundary: .wrongBoundary
        case .lyingContentLength: .lyingContentLength
        case .chunked: .chunked
        case .quotedBoundary: .quotedBoundary
        case .lfOnly: .lfOnly
        case .duplicateFrames: .duplicateFrames
        case .staleFrames: .staleFrames
        }
    }

    public var description: String {
        guard case .lyingContentLength(let by) = self else { return name.rawValue }
        return "\(name.rawValue) \(by >= 0 ? "+" : "")\(by)"
    }
}
