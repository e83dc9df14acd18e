import NIOCore
import NIOPosix

/// A UDP session's two server ports, RTP on an even port and RTCP on the next (RFC 3550 11), bound
/// on the RTSP connection's event loop at the address the client connected to. Whatever arrives on
/// either (RTCP receiver reports, the NAT "punch" packets ffmpeg sends) is a sign of life.
final class UDPPortPair: Sendable {
    let rtp: any Channel
    let rtcp: any Channel

    private init(rtp: any Channel, rtcp: any Channel) {
        self.rtp = rtp
        self.rtcp = rtcp
    }

    var ports: (rtp: Int, rtcp: Int) { (rtp.localAddress?.port ?? 0, rtcp.localAddress?.port ?? 0) }

    /// Binds a pair on `host`, trying ephemeral even ports until the next one is free too (at most
    /// `attempts` tries). `received` runs on `loop` with each datagram's payload.
    static func bind(
        host: String, on loop: any EventLoop, attempts: Int = 16,
        received: NIOLoopBound<(ByteBuffer) -> Void>
    ) -> EventLoopFuture<UDPPortPair> {
        bindOne(host: host, port: 0, on: loop, received: received).flatMap { first in
            let port = first.localAddress?.port ?? 0
            guard port % 2 == 0, port < 65535 else {
                first.close(promise: nil)
                return retry(host: host, on: loop, attempts: attempts, received: received, error: nil)
            }
            return bindOne(host: host, port: port + 1, on: loop, received: received)
                .map { UDPPortPair(rtp: first, rtcp: $0) }
                .flatMapError { error in
                    first.close(promise: nil)
                    return retry(host: host, on: loop, attempts: attempts, received: received, error: error)
                }
        }
    }

    private static func retry(
        host: String, on loop: any EventLoop, attempts: Int, received: NIOLoopBound<(ByteBuffer) -> Void>,
        error: (any Error)?
    ) -> EventLoopFuture<UDPPortPair> {
        guard attempts > 1 else { return loop.makeFailedFuture(error ?? ChannelError.inappropriateOperationForState) }
        return bind(host: host, on: loop, attempts: attempts - 1, received: received)
    }

    private static func bindOne(
        host: String, port: Int, on loop: any EventLoop, received: NIOLoopBound<(ByteBuffer) -> Void>
    ) -> EventLoopFuture<any Channel> {
        DatagramBootstrap(group: loop).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(DatagramSink(received: received))
            }
        }.bind(host: host, port: port)
    }

    func close() {
        rtp.close(promise: nil)
        rtcp.close(promise: nil)
    }
}

/// Hands each datagram's payload to the session (on the loop both share).
private final class DatagramSink: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let received: NIOLoopBound<(ByteBuffer) -> Void>

    init(received: NIOLoopBound<(ByteBuffer) -> Void>) { self.received = received }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received.value(unwrapInboundIn(data).data)
    }
}
