import DecoyCore
import DecoyTinyCam
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The emulated tinyCam web server: HTTP/1.1 (or HTTPS on the same port) on SwiftNIO.
///
/// Owns the listening socket and every open connection, so `restart.cgi` can do what restarting
/// tinyCam's web server does: close every connection, forget every token, and listen again on the
/// same port after a delay.
public final class HTTPServer: Sendable {
    /// Transport settings.
    public struct Options: Sendable {
        public var listen: ListenAddress
        public var tls: NIOSSLContext?
        public var headTimeout: TimeAmount
        public var maxConnections: Int
        public var restartDelay: TimeAmount
        /// Kernel accept queue: large, so bursts of clients are not refused.
        public var backlog: Int32 = 1024

        public init(config: ServerConfig, tls: NIOSSLContext?) {
            self.listen = config.listen
            self.tls = tls
            self.headTimeout = .milliseconds(Int64(config.requestTimeoutSeconds * 1000))
            self.maxConnections = config.maxConnections
            self.restartDelay = .milliseconds(Int64(config.restartDelaySeconds * 1000))
        }
    }

    private let group: any EventLoopGroup
    private let api: TinyCamAPI
    private let options: Options
    private let logger: Logger
    private let viewers = ViewerDirectory()
    private let connections = ConnectionRegistry()
    private let listener = NIOLockedValueBox<ListenerState>(.stopped)

    private enum ListenerState {
        case stopped
        case listening(any Channel)
        case restarting
    }

    public init(group: any EventLoopGroup, api: TinyCamAPI, options: Options, logger: Logger) {
        self.group = group
        self.api = api
        self.options = options
        self.logger = logger
    }

    /// The address actually bound (the port is real even when 0 was asked for).
    public var boundAddress: SocketAddress? {
        if case .listening(let channel) = listener.withLockedValue({ $0 }) { return channel.localAddress }
        return nil
    }

    /// Binds and starts accepting. Throws with the OS's reason when the address is unusable.
    @discardableResult
    public func start() async throws -> SocketAddress {
        try await bind(port: options.listen.port)
    }

    /// Stops listening and closes every connection.
    public func stop() async {
        let channel = listener.withLockedValue { state -> (any Channel)? in
            defer { state = .stopped }
            if case .listening(let channel) = state { return channel }
            return nil
        }
        try? await channel?.close()
        await connections.closeAll()
    }

    private func bind(port: Int) async throws -> SocketAddress {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: options.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.configure(channel) }
            }
        let channel = try await bootstrap.bind(host: options.listen.host, port: port).get()
        listener.withLockedValue { $0 = .listening(channel) }
        return channel.localAddress!
    }

    private func configure(_ channel: any Channel) throws {
        let pipeline = channel.pipeline.syncOperations
        guard connections.add(channel, limit: options.maxConnections) else {
            try pipeline.addHandler(RefuseHandler(serverHeader: api.services.config.server.serverHeader))
            return
        }
        if let tls = options.tls { try pipeline.addHandler(NIOSSLServerHandler(context: tls)) }
        try pipeline.addHandler(ConnectionGuard(traffic: api.services.traffic, headTimeout: options.headTimeout))
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = ConnectionGuard.maximumRequestLine
        limits.maxHeaderListSize = ConnectionGuard.maximumRequestLine + 16 * 1024
        limits.maxHeaderFieldCount = 100
        var encoder = HTTPResponseEncoder.Configuration()
        encoder.automaticallySetFramingHeaders = false
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false, withEncoderConfiguration: encoder,
            withDecoderLimitConfiguration: limits)
        try pipeline.addHandler(HTTPErrorResponder(serverHeader: api.services.config.server.serverHeader))
        try pipeline.addHandler(TinyCamHTTPHandler(api: api, viewers: viewers, logger: logger))
    }
}

extension HTTPServer: ServerControl {
    /// Restarts shortly after the current answer is out: close everything, forget tokens, wait
    /// the configured delay, listen again on the same port. Restarts requested meanwhile merge.
    public func scheduleRestart() {
        let channel = listener.withLockedValue { state -> (any Channel)? in
            guard case .listening(let channel) = state else { return nil }
            state = .restarting
            return channel
        }
        guard let channel, let port = channel.localAddress?.port else { return }
        let delay = options.restartDelay
        Task {
            try? await Task.sleep(for: .milliseconds(100))
            self.logger.notice("restart.cgi: web server restarting, back in \(delay.nanoseconds / 1_000_000) ms")
            self.api.services.logs.lifecycle.append(
                "\(CivilTime.logTimestamp(self.api.services.clock.nowMilliseconds())) web server restarting")
            try? await channel.close()
            await self.connections.closeAll()
            self.api.services.authenticator.tokens.revokeAll()
            try? await Task.sleep(for: .nanoseconds(delay.nanoseconds))
            do {
                _ = try await self.bind(port: port)
                self.api.services.counters.restarted(at: self.api.services.clock.nowMilliseconds())
                self.api.services.logs.lifecycle.append(
                    "\(CivilTime.logTimestamp(self.api.services.clock.nowMilliseconds())) web server listening again")
                self.logger.notice("web server listening again on port \(port)")
            } catch {
                self.listener.withLockedValue { $0 = .stopped }
                self.logger.error("web server could not listen again on port \(port): \(error)")
            }
        }
    }
}

/// Every open connection, for closing them all on restart and for the connection limit.
final class ConnectionRegistry: Sendable {
    private let channels = NIOLockedValueBox([ObjectIdentifier: any Channel]())

    /// Registers `channel` unless `limit` connections are already open.
    func add(_ channel: any Channel, limit: Int) -> Bool {
        let added = channels.withLockedValue { channels -> Bool in
            guard channels.count < limit else { return false }
            channels[ObjectIdentifier(channel)] = channel
            return true
        }
        let key = ObjectIdentifier(channel)
        channel.closeFuture.whenComplete { _ in _ = self.channels.withLockedValue { $0.removeValue(forKey: key) } }
        return added
    }

    var count: Int { channels.withLockedValue { $0.count } }

    func closeAll() async {
        let all = channels.withLockedValue { Array($0.values) }
        for channel in all { try? await channel.close() }
    }
}

/// Answers 503 on a connection over the limit, then closes it.
private final class RefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let serverHeader: String

    init(serverHeader: String) { self.serverHeader = serverHeader }

    func channelActive(context: ChannelHandlerContext) {
        let body = "HTTP 503. Too many connections; try again later.\n"
        let text =
            "HTTP/1.1 503 Service Unavailable\r\nServer: \(serverHeader)\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nRetry-After: 1\r\nConnection: close\r\n\r\n\(body)"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)))
            .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
