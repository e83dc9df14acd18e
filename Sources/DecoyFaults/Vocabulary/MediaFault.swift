/// A frame-level fault: how an MJPEG stream's framing or its JPEGs are damaged, or an RTSP
/// session's packets, each one a quirk real cameras or broken links show. Byte-exact; the
/// transport applies each (MJPEG framing in `MediaFault+Framing`, JPEG damage in `JPEGDamage`,
/// RTP in `RTPFaults`) and tests them byte for byte.
///
/// The RTSP faults (`noKeyframes` … `sessionExpiry`) touch only RTSP sessions, the MJPEG ones only
/// HTTP answers. On an RTSP session a media rule's window is followed while it plays (an NVR can be
/// left without keyframes from second 5 to 15 of a stream it opened at 0).
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
    /// RTSP: no IDR (nor the SPS and PPS before it) goes out while the fault hits; the P frames
    /// between do, so a decoder that lost its reference shows errors or nothing until the next IDR
    /// after the window (asked of the encoder as the window ends).
    case noKeyframes
    /// RTSP over UDP: each RTP packet is dropped with this probability (percent, 1...100), drawn
    /// from the run's seed (the same packets are lost every run).
    case packetLoss(percent: Int)
    /// RTSP: in each H.264 slice (or RTP/JPEG scan) bytes after the slice header are flipped, so
    /// pictures decode with errors; packet framing, sizes and NAL headers are kept.
    case corruptSlice
    /// RTSP: the RTP timestamps jump forward by this many milliseconds (of the 90 kHz clock) at
    /// the first frame the fault hits, and stay shifted (a camera whose clock was reset).
    case timestampJump(milliseconds: Int)
    /// RTSP: SETUP offering only this lower transport (`udp` or `tcp`) is refused with 461, as a
    /// camera or firewall that cannot do it; a client must fall back to the other.
    case denyTransport(udp: Bool)
    /// RTSP: the session's keep-alives (requests naming it, RTCP) are ignored, so it ends at its
    /// timeout however the client keeps it alive.
    case sessionExpiry

    /// The one spelling of each fault: the scenario language's word, the journal's and the summary's.
    public enum Name: String, Sendable, CaseIterable {
        case truncatedJPEG, corruptEntropy, missingBoundary, wrongBoundary, lyingContentLength, chunked
        case quotedBoundary, lfOnly, duplicateFrames, staleFrames
        case noKeyframes, packetLoss, corruptSlice, timestampJump, denyTransport, sessionExpiry
    }

    /// The faults that act on RTSP sessions (the others act on HTTP answers).
    public var isRTSP: Bool {
        switch self {
        case .noKeyframes, .packetLoss, .corruptSlice, .timestampJump, .denyTransport, .sessionExpiry: true
        default: false
        }
    }

    /// The RTSP faults applied packet by packet while their rule's window lasts (the others are
    /// decided with the request they change: `denyTransport` with SETUP, `sessionExpiry` too).
    public var followsWindow: Bool {
        switch self {
        case .noKeyframes, .packetLoss, .corruptSlice, .timestampJump: true
        default: false
        }
    }

    /// `packetLoss` without `by:`: 10 percent of packets.
    public static let defaultLossPercent = 10
    /// `timestampJump` without `by:`: ten seconds forward.
    public static let defaultJumpMilliseconds = 10_000

    /// The words of the scenario language, in declaration order.
    public static let names = Name.allCases.map(\.rawValue)

    /// `lyingContentLength` without `by:`: 64 bytes more than sent.
    public static let defaultLie = 64

    /// The fault a scenario word names (`lyingContentLength`, `packetLoss` and `timestampJump`
    /// with `by`, nil for their defaults; `denyTransport` with `udp`).
    public init?(name: String, by: Int? = nil, udp: Bool = true) {
        guard let name = Name(rawValue: name) else { return nil }
        switch name {
        case .truncatedJPEG: self = .truncatedJPEG
        case .corruptEntropy: self = .corruptEntropy
        case .missingBoundary: self = .missingBoundary
        case .wrongBoundary: self = .wrongBoundary
        case .lyingContentLength: self = .lyingContentLength(by: by ?? Self.defaultLie)
        case .chunked: self = .chunked
        case .quotedBoundary: self = .quotedBoundary
        case .lfOnly: self = .lfOnly
        case .duplicateFrames: self = .duplicateFrames
        case .staleFrames: self = .staleFrames
        case .noKeyframes: self = .noKeyframes
        case .packetLoss: self = .packetLoss(percent: by ?? Self.defaultLossPercent)
        case .corruptSlice: self = .corruptSlice
        case .timestampJump: self = .timestampJump(milliseconds: by ?? Self.defaultJumpMilliseconds)
        case .denyTransport: self = .denyTransport(udp: udp)
        case .sessionExpiry: self = .sessionExpiry
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
        case .noKeyframes: .noKeyframes
        case .packetLoss: .packetLoss
        case .corruptSlice: .corruptSlice
        case .timestampJump: .timestampJump
        case .denyTransport: .denyTransport
        case .sessionExpiry: .sessionExpiry
        }
    }

    public var description: String {
        switch self {
        case .lyingContentLength(let by): "\(name.rawValue) \(by >= 0 ? "+" : "")\(by)"
        case .packetLoss(let percent): "\(name.rawValue) \(percent)%"
        case .timestampJump(let milliseconds): "\(name.rawValue) +\(milliseconds) ms"
        case .denyTransport(let udp): "\(name.rawValue) \(udp ? "udp" : "tcp")"
        default: name.rawValue
        }
    }
}
