import DecoyCore
import DecoyTinyCam
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix

@testable import DecoyServer

/// The per-connection pipeline of `HTTPServer` (`ConnectionPipeline`) on
/// an `NIOAsyncTestingChannel`: exact bytes in, exact bytes out, and virtual time for timeouts.
/// The clock is a `ManualClock`, so `Date` is fixed: `Tue, 29 Sep 2020 12:06:04 GMT`.
final class EmbeddedServer: Sendable {
    static let date = "Tue, 29 Sep 2020 12:06:04 GMT"
    let channel: NIOAsyncTestingChannel
    let services: TinyCamServices
    private let mediaGroup: MultiThreadedEventLoopGroup
    private let fileThreads: NIOThreadPool

    private init(
        channel: NIOAsyncTestingChannel, services: TinyCamServices, mediaGroup: MultiThreadedEventLoopGroup,
        fileThreads: NIOThreadPool
    ) {
        self.channel = channel
        self.services = services
        self.mediaGroup = mediaGroup
        self.fileThreads = fileThreads
    }

    static func start(headTimeout: TimeAmount = .seconds(15)) async throws -> EmbeddedServer {
        let mediaGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let clock = ManualClock()
        let config = DecoyConfig(cameras: TestServer.cameras)
        let cameras = CameraRegistry(config: config, clock: clock, mediaGroup: mediaGroup, stateDirectory: nil)
        let services = TinyCamServices(config: config, cameras: cameras, clock: clock, stateDirectory: nil)
        let api = TinyCamAPI(services: services)
        let channel = NIOAsyncTestingChannel()
        let fileThreads = NIOThreadPool(numberOfThreads: 1)
        fileThreads.start()
        try await channel.testingEventLoop.executeInContext {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(ClosedSocket())
            try ConnectionPipeline.install(
                on: pipeline, responder: api, services: services, viewers: ViewerDirectory(),
                fileThreads: fileThreads, headTimeout: headTimeout, logger: TestServer.quietLogger)
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50_000)).get()
        return EmbeddedServer(channel: channel, services: services, mediaGroup: mediaGroup, fileThreads: fileThreads)
    }

    func send(_ text: String) async throws {
        try await channel.writeInbound(ByteBuffer(string: text))
    }

    /// Everything written so far plus whatever arrives until `done` holds (polled, at most 10 s).
    func output(until done: ([UInt8]) -> Bool) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<1000 {
            while let data = try await channel.readOutbound(as: IOData.self) {
                guard case .byteBuffer(let buffer) = data else { throw ResponseError("unexpected file region") }
                bytes += buffer.readableBytesView
            }
            if done(bytes) { return bytes }
            try await Task.sleep(for: .milliseconds(10))
        }
        return bytes
    }

    /// Everything written until the connection closes (polled, at most 10 s).
    func outputUntilClosed() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<1000 {
            let closed = try await isClosed
            bytes += try await output { _ in true }
            if closed { return bytes }
            try await Task.sleep(for: .milliseconds(10))
        }
        return bytes
    }

    /// The separate writes (each one `IOData`) that reached the socket so far or within 10 s,
    /// until `count` of them arrived.
    func writes(count: Int) async throws -> [[UInt8]] {
        var writes: [[UInt8]] = []
        for _ in 0..<1000 {
            while writes.count < count, let data = try await channel.readOutbound(as: IOData.self) {
                guard case .byteBuffer(let buffer) = data else { throw ResponseError("unexpected file region") }
                if buffer.readableBytes > 0 { writes.append(Array(buffer.readableBytesView)) }
            }
            if writes.count >= count { return writes }
            try await Task.sleep(for: .milliseconds(10))
        }
        return writes
    }

    var isClosed: Bool {
        get async throws {
            let channel = self.channel
            return try await channel.testingEventLoop.executeInContext { !channel.isActive }
        }
    }

    func shutdown() async {
        try? await channel.close()
        _ = try? await channel.finish(acceptAlreadyClosed: true)
        services.cameras.shutdown()
        try? await mediaGroup.shutdownGracefully()
        try? await fileThreads.shutdownGracefully()
    }
}

/// Fails writes once the channel is closed, as a real socket does: the testing channel's core
/// would otherwise record bytes written after `close` (e.g. by handlers reacting to
/// `channelInactive`), bytes no client could ever receive.
private final class ClosedSocket: ChannelOutboundHandler, Sendable {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard context.channel.isActive else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(data, promise: promise)
    }
}

/// Runs `body` with an embedded server and always shuts it down.
func withEmbeddedServer(
    headTimeout: TimeAmount = .seconds(15), _ body: (EmbeddedServer) async throws -> Void
) async throws {
    let server = try await EmbeddedServer.start(headTimeout: headTimeout)
    do {
        try await body(server)
        await server.shutdown()
    } catch {
        await server.shutdown()
        throw error
    }
}

extension [UInt8] {
    /// Whether a complete head (`CRLF CRLF`) is present.
    var hasCompleteHead: Bool { firstRange(of: [UInt8].headEnd) != nil }

    /// The text up to and including the first blank line.
    var headText: String? {
        guard let range = firstRange(of: [UInt8].headEnd) else { return nil }
        return String(decoding: self[..<range.upperBound], as: UTF8.self)
    }

    /// The bytes after the first blank line.
    var afterHead: [UInt8] {
        guard let range = firstRange(of: [UInt8].headEnd) else { return [] }
        return Array(self[range.upperBound...])
    }
}
