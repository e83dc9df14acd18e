import DecoyCore
import DecoyServer
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The control API's own HTTP listener: its own port (loopback unless told otherwise), its own
/// event loop and its own router, so nothing of it is reachable on the tinyCam port and the
/// emulated surface stays exactly tinyCam's.
public final class ControlServer: Sendable {
    /// Request bodies above this are refused with 413 (a rule, an action or a scenario file is a
    /// few kilobytes).
    public static let maximumBodyBytes = 1 << 20

    /// Where it listens (with the real port when 0 was asked).
    public let address: SocketAddress
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let serving: Task<Void, Never>

    private init(
        address: SocketAddress, group: MultiThreadedEventLoopGroup, channel: any Channel, serving: Task<Void, Never>
    ) {
        self.address = address
        self.group = group
        self.channel = channel
        self.serving = serving
    }

    public var port: Int { address.port ?? 0 }

    /// `http://HOST:PORT`, no trailing slash; a wildcard address is reached over loopback.
    public var url: String {
        var host = address.ipAddress ?? "127.0.0.1"
        if host == "0.0.0.0" { host = "127.0.0.1" }
        if host == "::" { host = "::1" }
        if host.contains(":") { host = "[\(host)]" }
        return "http://\(host):\(port)"
    }

    /// Binds `listen` and serves `router` until `stop`. Fails with a `StartupError`-like message
    /// when the address cannot be bound.
    public static func start(listen: ListenAddress, router: ControlRouter, logger: Logger) async throws -> ControlServer
    {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: listen.host, port: listen.port) { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                            wrappingChannelSynchronously: child)
                    }
                }
        } catch {
            try? await group.shutdownGracefully()
            let reason = StartupError(listening: listen, error: error)
            throw ControlStartError(message: "the control API \(reason); choose another with --control HOST:PORT")
        }
        let channel = server.channel
        guard let address = channel.localAddress else {
            try? await channel.close()
            try? await group.shutdownGracefully()
            throw ControlStartError(message: "the control API listener on \(listen) has no local address")
        }
        let serving = Task {
            do {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await Self.serve(connection, router: router, logger: logger) }
                        }
                    }
                }
            } catch {
                logger.debug("control API listener ended: \(error)")
            }
        }
        logger.info("control API listening on \(address)")
        return ControlServer(address: address, group: group, channel: channel, serving: serving)
    }

    /// Stops listening, ends open connections and releases the thread.
    public func stop() async {
        serving.cancel()
        try? await channel.close()
        await serving.value
        try? await group.shutdownGracefully()
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, router: ControlRouter,
        logger: Logger
    ) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var reading = RequestReader()
                for try await part in inbound {
                    guard let complete = reading.take(part) else { continue }
                    let response: ControlResponse
                    switch complete {
                    case .tooLarge(let bytes, _):
                        response = .error(
                            .payloadTooLarge,
                            "the body is \(bytes.map { "\($0) bytes" } ?? "too large"); the control API takes at most "
                                + "\(maximumBodyBytes) bytes (one rule, action or scenario file)")
                    case .request(let request, _):
                        if let stream = router.eventStream(for: request) {
                            // Server-sent events: the answer lasts as long as the client reads it.
                            try await stream.write(to: outbound)
                            return
                        }
                        response = await router.answer(request)
                    }
                    let keepAlive = complete.keepAlive
                    try await write(response, to: outbound, keepAlive: keepAlive)
                    if !keepAlive { return }
                }
            }
        } catch {
            logger.debug("control API connection ended: \(error)")
        }
    }

    private static func write(
        _ response: ControlResponse, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        keepAlive: Bool
    ) async throws {
        var head = HTTPResponseHead(version: .http1_1, status: response.status)
        head.headers.add(name: "Content-Type", value: response.contentType)
        if response.status != .notModified {
            head.headers.add(name: "Content-Length", value: String(response.body.count))
        }
        if !response.headers.contains(where: { $0.0.lowercased() == "cache-control" }) {
            head.headers.add(name: "Cache-Control", value: "no-store")
        }
        for (name, value) in response.headers { head.headers.add(name: name, value: value) }
        if !keepAlive { head.headers.add(name: "Connection", value: "close") }
        try await outbound.write(.head(head))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        try await outbound.write(.end(nil))
    }
}

/// The control API could not start.
public struct ControlStartError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Collects one request's head and body, refusing bodies past the limit (from `Content-Length`
/// or from what arrives) but reading them out so the connection can answer 413.
struct RequestReader {
    enum Complete {
        case request(ControlRequest, keepAlive: Bool)
        case tooLarge(Int?, keepAlive: Bool)

        var keepAlive: Bool {
            switch self {
            case .request(_, let keepAlive), .tooLarge(_, let keepAlive): keepAlive
            }
        }
    }

    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var received = 0

    mutating func take(_ part: HTTPServerRequestPart) -> Complete? {
        switch part {
        case .head(let next):
            head = next
            body.clear()
            received = 0
            return nil
        case .body(var chunk):
            received += chunk.readableBytes
            if received <= ControlServer.maximumBodyBytes { body.writeBuffer(&chunk) }
            return nil
        case .end:
            guard let head else { return nil }
            self.head = nil
            if received > ControlServer.maximumBodyBytes { return .tooLarge(received, keepAlive: false) }
            let text = body.readString(length: body.readableBytes) ?? ""
            return .request(
                ControlRequest(method: head.method, uri: head.uri, body: text, headers: head.headers),
                keepAlive: head.isKeepAlive)
        }
    }
}
