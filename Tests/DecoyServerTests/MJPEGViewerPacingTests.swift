import DecoyCore
import DecoyMedia
import DecoyTinyCam
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import DecoyServer

/// A viewer that asked for fewer frames per second than the camera makes paces against the rate
/// stamped on each frame, not against the hub read back per frame.
@Suite struct MJPEGViewerPacing {
    private final class Sink: ChannelOutboundHandler {
        typealias OutboundIn = Any
    }

    private static let variant = FrameVariant(size: PixelSize(width: 16, height: 16), quality: 50)

    private static func frame(_ sequence: UInt64, framesPerSecond: Int) -> EncodedFrame {
        [0xFF, 0xD8, 0xFF, 0xD9].withUnsafeBytes {
            EncodedFrame(
                sequence: sequence, timeMilliseconds: Int64(sequence) * 100, framesPerSecond: framesPerSecond,
                variant: variant, jpeg: $0, allocator: ByteBufferAllocator())
        }
    }

    @Test func aPacedViewerFollowsTheRateOnEachFrame() throws {
        let channel = EmbeddedChannel()
        let sink = Sink()
        try channel.pipeline.syncOperations.addHandler(sink)
        let context = try channel.pipeline.syncOperations.context(handler: sink)
        // The camera's hub stays at 10 fps: only the frames say the rate went down to 4.
        let camera = Camera(
            config: CameraConfig(name: "Paced", id: 1, resolution: Self.variant.size, fps: 10), index: 1,
            clock: ManualClock(), presets: PresetStore(file: nil), timeZone: LocalTimeZone(identifier: "UTC"),
            mediaLoop: channel.eventLoop)
        let group = ViewerGroup(loop: channel.eventLoop, camera: camera, variant: Self.variant) { _ in }
        let exchange = CurrentExchange(
            id: ExchangeID(connection: 1, request: 1),
            request: TinyCamRequest(method: "GET", target: "/", clientAddress: "127.0.0.1"),
            head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"),
            arrivedAt: JournalStamp(milliseconds: 0, sequence: 0))
        let viewer = MJPEGViewer(
            context: context, group: group, exchange: exchange, framesPerSecond: 2, faults: nil)
        var sent: [UInt64] = []
        for sequence in UInt64(1)...20 {
            let tally = viewer.offer(Self.frame(sequence, framesPerSecond: sequence <= 10 ? 10 : 4))
            if tally.sent == 1 { sent.append(sequence) }
        }
        // 2 of 10 fps: one frame in five (half a camera frame of slack at the start); 2 of 4 fps: one in two.
        #expect(sent == [1, 5, 10, 15, 17, 19])
        _ = try channel.finish()
    }
}
