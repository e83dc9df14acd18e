import DecoyRTSP
import NIOCore

/// Decides from a connection's first bytes which protocol it speaks, as a tinyCam server does on
/// its one port: an RTSP request line (`DESCRIBE rtsp://…`) gets the RTSP handlers, anything else
/// the HTTP ones, exactly as without this handler. It holds the bytes until they decide (at most
/// `RTSPSniffer.bytesNeeded`; most HTTP methods are decided by their first byte), installs the
/// chosen handlers after itself, replays `channelActive` and the held bytes through them, and
/// leaves the pipeline.
///
/// A client that connects and sends nothing is closed after `headTimeout` (what the HTTP guard
/// does to an idle connection); one that sent a few undecided bytes goes to HTTP, whose guard
/// then answers it as a slow request.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let headTimeout: TimeAmount
    private let installHTTP: (ChannelPipeline.SynchronousOperations) throws -> Void
    private let installRTSP: (ChannelPipeline.SynchronousOperations) throws -> Void
    private var held: ByteBuffer?
    private var timer: Scheduled<Void>?
    private var decided = false

    init(
        headTimeout: TimeAmount, http: @escaping (ChannelPipeline.SynchronousOperations) throws -> Void,
        rtsp: @escaping (ChannelPipeline.SynchronousOperations) throws -> Void
    ) {
        self.headTimeout = headTimeout
        self.installHTTP = http
        self.installRTSP = rtsp
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        // Not passed on: the handlers that need it are not there yet; `decide` replays it.
        armTimer(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if var held = held.take() {
            held.writeBuffer(&bytes)
            bytes = held
        }
        switch RTSPSniffer.firstBytesLookLikeRTSP(bytes) {
        case .rtsp: decide(rtsp: true, replaying: bytes, context: context)
        case .http: decide(rtsp: false, replaying: bytes, context: context)
        case .needMoreBytes: held = bytes
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    private func armTimer(context: ChannelHandlerContext) {
        guard timer == nil, !decided else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: headTimeout) {
            guard !self.decided else { return }
            if let held = self.held.take() {
                self.decide(rtsp: false, replaying: held, context: context)
            } else {
                context.close(promise: nil)
            }
        }
    }

    private func decide(rtsp: Bool, replaying bytes: ByteBuffer, context: ChannelHandlerContext) {
        decided = true
        timer?.cancel()
        do {
            try (rtsp ? installRTSP : installHTTP)(context.pipeline.syncOperations)
        } catch {
            context.close(promise: nil)
            return
        }
        context.fireChannelActive()
        context.fireChannelRead(wrapInboundOut(bytes))
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

extension Optional {
    /// The value, leaving nil behind.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
