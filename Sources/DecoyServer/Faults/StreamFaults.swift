import DecoyCore
import DecoyFaults
import NIOCore
import NIOHTTP1

/// The faults of one MJPEG viewer, applied to each frame it sends. Only a faulted viewer has one:
/// the others write the shared part as it is, with no per-frame fault work. Faults that change
/// the parts build this viewer's own bytes around slices of the shared frame (the JPEG is copied
/// only by `corruptEntropy`, which must change it).
final class StreamFaults {
    let plan: ExchangeFaults
    let shaper: ByteShaper?
    /// The frame `staleFrames` keeps sending.
    private var pinned: EncodedFrame?
    private var stallPending: Bool
    /// Called once, when `closeAfterFrames` is reached (before the close).
    private var onFrameLimit: (() -> Void)?

    init(plan: ExchangeFaults, shaper: ByteShaper?, onFrameLimit: (() -> Void)? = nil) {
        self.plan = plan
        self.shaper = shaper
        self.onFrameLimit = onFrameLimit
        stallPending = plan.stallMilliseconds != nil
    }

    /// Whether the viewer must wait before its next frame (held or stalled bytes).
    var isHolding: Bool { shaper?.isHolding ?? false }

    /// Writes `frame` as the faults say, after `partsSent` parts; returns the parts and body bytes
    /// written and, when the stream must now end (`closeAfterFrames`, or `limit`: a cut put on
    /// the stream while it runs), when its last byte is out.
    func write(
        _ frame: EncodedFrame, partsSent: Int, context: ChannelHandlerContext, limit: Int? = nil
    ) -> (parts: Int, bytes: Int, closeAfter: EventLoopFuture<Void>?) {
        var frame = frame
        if plan.media == .staleFrames {
            if let pinned { frame = pinned } else { pinned = frame }
        }
        let buffers = Self.part(frame, media: plan.media, allocator: context.channel.allocator)
        var copies = plan.media == .duplicateFrames ? 2 : 1
        let planned = plan.closeAfterFrames
        if let limit = [planned, limit].compactMap({ $0 }).min() { copies = min(copies, max(0, limit - partsSent)) }
        var bytes = 0
        var last: EventLoopFuture<Void>?
        for _ in 0..<copies {
            for buffer in buffers {
                bytes += buffer.readableBytes
                last = context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))))
            }
        }
        context.flush()
        if stallPending, let milliseconds = plan.stallMilliseconds {
            stallPending = false
            shaper?.stall(milliseconds: milliseconds)
        }
        let planLimitReached = planned.map { partsSent + copies >= $0 } ?? false
        let close = planLimitReached || limit.map { partsSent + copies >= $0 } ?? false
        if planLimitReached, let limitReached = onFrameLimit {
            onFrameLimit = nil
            limitReached()
        }
        return (copies, bytes, close ? (last ?? context.eventLoop.makeSucceededVoidFuture()) : nil)
    }

    /// The bytes of one part (after the stream's opening boundary) with `media` applied: the
    /// shared part itself unless the fault rewrites parts.
    static func part(_ frame: EncodedFrame, media: MediaFault?, allocator: ByteBufferAllocator) -> [ByteBuffer] {
        guard let media, media.rewritesParts else { return [frame.part] }
        let jpeg = frame.jpeg
        let crlfTrailer = MJPEGFraming.partTrailer
        switch media {
        case .truncatedJPEG:
            let cut = JPEGDamage.truncatedLength(jpeg.readableBytes)
            return [
                allocator.buffer(string: MJPEGFraming.partHeader(jpegLength: cut)),
                jpeg.getSlice(at: jpeg.readerIndex, length: cut)!, allocator.buffer(string: crlfTrailer),
            ]
        case .corruptEntropy:
            let damaged = JPEGDamage.corruptEntropy(Array(jpeg.readableBytesView))
            var buffer = allocator.buffer(capacity: frame.part.readableBytes)
            buffer.writeString(MJPEGFraming.partHeader(jpegLength: damaged.count))
            buffer.writeBytes(damaged)
            buffer.writeString(crlfTrailer)
            return [buffer]
        case .lyingContentLength(let by):
            let claimed = max(0, jpeg.readableBytes + by)
            return [
                allocator.buffer(string: MJPEGFraming.partHeader(jpegLength: claimed)), jpeg,
                allocator.buffer(string: crlfTrailer),
            ]
        case .lfOnly:
            let header = "Content-Type: image/jpeg\nContent-Length: \(jpeg.readableBytes)\n\n"
            return [
                allocator.buffer(string: header), jpeg, allocator.buffer(string: "\n--\(MJPEGFraming.boundary)\n"),
            ]
        default:
            return [frame.part]
        }
    }
}
