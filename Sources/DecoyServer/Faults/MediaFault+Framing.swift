import DecoyCore
import DecoyFaults

/// How the transport frames an MJPEG stream under a media fault (the damage to the JPEGs
/// themselves is `JPEGDamage`'s).
extension MediaFault {
    /// Whether the parts themselves change (so the viewer writes its own bytes, not the shared part).
    var rewritesParts: Bool {
        switch self {
        case .truncatedJPEG, .corruptEntropy, .lyingContentLength, .lfOnly: true
        default: false
        }
    }

    /// The head of the stream's answer with this fault: the boundary parameter or the framing.
    func streamHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        switch self {
        case .wrongBoundary:
            return replacingContentType(headers, with: "multipart/x-mixed-replace; boundary=--\(MJPEGFraming.boundary)")
        case .quotedBoundary:
            return replacingContentType(
                headers, with: "multipart/x-mixed-replace; boundary=\"\(MJPEGFraming.boundary)\"")
        case .chunked:
            return headers + [("Transfer-Encoding", "chunked")]
        default:
            return headers
        }
    }

    /// What follows the head (nil: nothing).
    var preamble: String? {
        switch self {
        case .missingBoundary: nil
        case .lfOnly: "--\(MJPEGFraming.boundary)\n"
        default: MJPEGFraming.preamble
        }
    }

    private func replacingContentType(
        _ headers: [(name: String, value: String)], with value: String
    ) -> [(name: String, value: String)] {
        headers.map { $0.name.lowercased() == "content-type" ? ($0.name, value) : $0 }
    }
}
