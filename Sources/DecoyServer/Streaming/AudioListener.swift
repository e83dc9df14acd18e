import DecoyCore
import DecoyMedia
import DecoyTinyCam
import NIOCore
import NIOHTTP1

/// One `receive.wav` listener: writes the WAV header, then every block the camera's audio hub
/// queues for it, in order. Blocks are written only while the channel is writable (the stream
/// socket's one-byte watermark and `TCP_NOTSENT_LOWAT` make that "the kernel keeps up"), so a slow
/// listener's backlog stays in its bounded `AudioSubscription`; one that stops reading overflows
/// it and the hub closes it, which touches no other listener.
///
/// Lives on its channel's event loop; never shared.
final class AudioListener {
    private let context: ChannelHandlerContext
    private let stream: AudioStreamRequest
    private var subscription: AudioSubscription?
    private var active = false
    private(set) var bytesSent = 0
    private let started = NIODeadline.now()

    init(context: ChannelHandlerContext, stream: AudioStreamRequest) {
        self.context = context
        self.stream = stream
    }

    /// Sends the header and joins the hub.
    func start() {
        let header = context.channel.allocator.buffer(bytes: WAVHeader.streaming(sampleRate: stream.hub.sampleRate))
        bytesSent += header.readableBytes
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(header))), promise: nil)
        let listener = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        active = true
        subscription = stream.hub.subscribe(
            onAvailable: { loop.execute { listener.value.drain() } },
            onClosed: { loop.execute { listener.value.context.close(promise: nil) } })
    }

    /// Leaves the hub (the connection is over).
    func stop() {
        guard active, let subscription else { return }
        active = false
        stream.hub.unsubscribe(subscription)
    }

    /// The channel drained: send what queued meanwhile.
    func writabilityChanged() { drain() }

    /// Writes every queued block, then flushes once; nothing while the channel is not writable.
    private func drain() {
        guard active, let subscription, context.channel.isWritable else { return }
        let blocks = subscription.takeAll()
        guard !blocks.isEmpty else { return }
        for block in blocks {
            bytesSent += block.pcm.readableBytes
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(block.pcm))), promise: nil)
        }
        context.flush()
    }

    /// Who listened to what, for how long, and what they got and lost.
    var description: String {
        let seconds = Double((NIODeadline.now() - started).nanoseconds / 1_000_000) / 1000
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        let counts = subscription?.counts
        let dropped = counts.map { ", \($0.dropped) blocks dropped" } ?? ""
        return "to \(address) of \(stream.camera.config.name) at \(stream.hub.sampleRate) Hz: "
            + "\(bytesSent) bytes in \(seconds) s\(dropped)"
    }
}
