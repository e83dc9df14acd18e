import DecoyFaults
import NIOCore
import NIOHTTP1

/// The media faults of a single JPEG answer (`image.cgi`): applied to a fixed body whose
/// `Content-Type` is `image/jpeg`; every other answer is untouched. Framing faults that only
/// exist in a multipart stream (boundaries, LF-only lines, duplicate frames) leave a snapshot as
/// it is; `staleFrames` is applied before, by the fault layer (it pins the first snapshot).
struct SnapshotFaults {
    var body: ByteBuffer
    /// The `Content-Length` to send; nil: none (chunked).
    var contentLength: Int?
    var extraHeaders: [(String, String)] = []
    /// False when the answer's framing lies: the connection must close after it.
    var keepAlive: Bool

    /// `body` as `media` damages it, when `headers` say it is a JPEG.
    init(_ media: MediaFault?, body: ByteBuffer, headers: HTTPHeaders, keepAlive: Bool) {
        self.body = body
        self.contentLength = body.readableBytes
        self.keepAlive = keepAlive
        guard let media, headers.first(name: "Content-Type") == "image/jpeg" else { return }
        switch media {
        case .truncatedJPEG:
            let cut = JPEGDamage.truncatedLength(body.readableBytes)
            self.body = body.getSlice(at: body.readerIndex, length: cut)!
            contentLength = cut
        case .corruptEntropy:
            self.body = ByteBuffer(bytes: JPEGDamage.corruptEntropy(Array(body.readableBytesView)))
        case .lyingContentLength(let by):
            contentLength = max(0, body.readableBytes + by)
            self.keepAlive = false
        case .chunked:
            contentLength = nil
            extraHeaders = [("Transfer-Encoding", "chunked")]
        default:
            break
        }
    }
}
