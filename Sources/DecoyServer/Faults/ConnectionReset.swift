import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP reset instead of a close: `SO_LINGER` {1, 0}, then close, so the kernel sends RST and
/// drops anything unsent (the client sees ECONNRESET: curl exits 56).
enum ConnectionReset {
    static func reset(_ channel: any Channel) {
        guard let provider = channel as? any SocketOptionProvider else {
            channel.close(promise: nil)
            return
        }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// The only handler of a connection the `refuse` fault turned away: reset as soon as it is active.
final class RefuseFaultHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        ConnectionReset.reset(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
