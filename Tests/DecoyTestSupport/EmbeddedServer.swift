import DecoyCore
import DecoyTinyCam
import NIOConcurrencyHelpers
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

    /// `responder` answers instead of the API (given the API); `harness` puts a fault layer and a
    /// journal in the transport; `clock` is the server's (a `ManualClock`: latency faults wait for it).
    static func start(
        headTimeout: TimeAmount = .seconds(15), config: DecoyConfig = DecoyConfig(cameras: TestServer.cameras),
        clock: any DecoyClock = ManualClock(), harness: TransportHarness? = nil,
        responder: @escaping @Sendable (TinyCamAPI) -> any TinyCamResponder = { $0 }
    ) async throws -> EmbeddedServer {
        let mediaGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let cameras = CameraRegistry(config: config, clock: clock, mediaGroup: mediaGroup, stateDirectory: nil)
        let services = TinyCamServices(config: config, cameras: cameras, clock: clock, stateDirectory: nil)
        let api = responder(TinyCamAPI(services: services))
        let channel = NIOAsyncTestingChannel()
        let fileThreads = NIOThreadPool(numberOfThreads: 1)
        fileThreads.start()
        try await channel.testingEventLoop.executeInContext {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(ClosedSocket())
            try ConnectionPipeline.install(
                on: pipeline, responder: api, services: services, viewers: ViewerDirectory(),
                fileThreads: fileThreads, control: NoRestarts(), headTimeout: headTimeout,
                logger: TestServer.quietLogger, harness: harness, client: "127.0.0.1", connection: 1)
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
            // Work the loop handed to itself (`execute` from on the loop) runs now, as on a real loop.
            await channel.testingEventLoop.run()
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

    /// Sends `GET target` (keep-alive) and reads its whole answer: the head, then the body by its
    /// `Content-Length` (or to the close). Waits at most 10 s.
    func get(_ target: String, headers: [(name: String, value: String)] = []) async throws -> RawResponse {
        let extra = headers.map { "\($0.name): \($0.value)\r\n" }.joined()
        try await send("GET \(target) HTTP/1.1\r\nHost: decoy\r\n\(extra)\r\n")
        return try await response()
    }

    /// The next whole answer on the connection (at most 10 s).
    func response() async throws -> RawResponse {
        var bytes = pending.withLockedValue { $0 }
        var closed = false
        for _ in 0..<1000 {
            bytes += try await output { _ in true }
            if let (answer, rest) = try Self.split(bytes, closed: closed) {
                pending.withLockedValue { $0 = rest }
                return answer
            }
            if closed { break }
            closed = try await isClosed
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ResponseError("no whole answer within 10 s; got \(String(decoding: bytes, as: UTF8.self).prefix(300))")
    }

    /// Bytes read past the last answer returned (the start of the next one).
    private let pending = NIOLockedValueBox<[UInt8]>([])

    /// The first whole answer in `bytes`, and what follows it.
    private static func split(_ bytes: [UInt8], closed: Bool) throws -> (RawResponse, [UInt8])? {
        guard let end = bytes.firstRange(of: [UInt8].headEnd)?.upperBound,
            let head = String(validating: bytes[..<end], as: UTF8.self)
        else { return nil }
        var answer = try RawResponse(head: head)
        let body = Array(bytes[end...])
        guard let length = answer.header("Content-Length").flatMap(Int.init) else {
            guard closed else { return nil }
            answer.body = body
            return (answer, [])
        }
        guard body.count >= length else { return closed ? (answer, []) : nil }
        answer.body = Array(body[..<length])
        return (answer, Array(body[length...]))
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

/// A single connection has no server to restart.
private struct NoRestarts: ServerControl {
    func scheduleRestart() {}
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
