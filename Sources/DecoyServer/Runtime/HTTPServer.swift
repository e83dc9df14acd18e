import DecoyCore
import DecoyFaults
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
        /// Threads that open and read served files, so a slow disk never blocks an event loop.
        public var fileThreads = 2
        /// The harness's fault layer and journal; nil (`decoy serve`): no exchange is described,
        /// decided or journaled, at no cost.
        public var harness: TransportHarness?
        /// Answer RTSP on the HTTP port too (`server.rtsp`): the first bytes of a connection decide.
        public var rtsp: Bool
        /// A listener for RTSP alone (`server.rtspListen`, the axis profile's port 554).
        public var rtspListen: ListenAddress?
        /// Whether failing to bind `rtspListen` stops the start (it was asked for) or is only logged
        /// (the axis profile's default, which needs a privileged port).
        public var rtspListenRequired = false

        public init(config: ServerConfig, tls: NIOSSLContext?) {
            self.listen = config.listen
            self.tls = tls
            self.rtsp = config.rtsp
            if config.rtsp, case .at(let address) = config.rtspListen {
                self.rtspListen = address
                self.rtspListenRequired = true
            }
            self.headTimeout = .milliseconds(Int64(config.requestTimeoutSeconds * 1000))
            self.maxConnections = config.maxConnections
            self.restartDelay = .milliseconds(Int64(config.restartDelaySeconds * 1000))
        }
    }

    private let group: any EventLoopGroup
    private let responder: any TinyCamResponder
    private let services: TinyCamServices
    private let options: Options
    private let logger: Logger
    private let viewers = ViewerDirectory()
    private let rtspCounters = RTSPStreamCounters()
    private let connections = ConnectionRegistry()
    private let connectionIDs = ConnectionCounter()
    private let listener = NIOLockedValueBox<ListenerState>(.stopped)
    /// The RTSP-only listener, when one is bound.
    private let rtspListener = NIOLockedValueBox<(any Channel)?>(nil)
    /// Runs from `start()` to `stop()` (across restarts).
    private let fileThreads = NIOLockedValueBox<NIOThreadPool?>(nil)

    private enum ListenerState {
        case stopped
        case listening(any Channel)
        /// Down between `restart.cgi` and listening again; the old listener until it is closed.
        case restarting(any Channel)
    }

    /// A server answering with `responder` (the tinyCam API, or something wrapping it); `services`
    /// gives the transport its clock, counters, logs, traffic meter and token store.
    public init(
        group: any EventLoopGroup, responder: any TinyCamResponder, services: TinyCamServices, options: Options,
        logger: Logger
    ) {
        self.group = group
        self.responder = responder
        self.services = services
        self.options = options
        self.logger = logger
    }

    /// What the MJPEG viewers of the camera with id `camera` got: frames sent and dropped, open
    /// streams (for the control API's `/metrics`; cheap: one lock).
    public func streamCounts(forCamera camera: Int64) -> StreamFrameCounts { viewers.counts(forCamera: camera) }

    /// What the RTSP sessions of the camera with id `camera` did (for `/metrics`).
    public func rtspCounts(forCamera camera: Int64) -> RTSPCameraCounts { rtspCounters.counts(forCamera: camera) }

    /// Ends one open MJPEG stream early, as a fault: the first (cameras in id order, then the
    /// longest-running stream) whose facts `claim` takes closes after `afterFrames` more frames.
    /// `claim` returns the fault's label for the journal (nil: not this one) and runs on the
    /// stream's event loop; `reached` gets the stream's facts as its last frame is written, before
    /// the close. Whether a stream was found. (A `rejectStreamToken` on a stream already open.)
    public func cutOpenStream(
        afterFrames: Int, claim: @escaping @Sendable (ExchangeFacts) -> String?,
        reached: @escaping @Sendable (ExchangeFacts) -> Void
    ) async -> Bool {
        await viewers.cutOne(afterFrames: afterFrames, claim: claim, reached: reached)
    }

    /// Ends every open connection `match` takes (a `drop` action): by what it is doing now — its
    /// stream, or the request it is answering — or, idle, by its client alone. Reset (RST) or
    /// closed (FIN); each stream session it ends is journaled as ended by the fault `label`.
    /// How many connections it ended.
    public func drop(matching match: FaultMatch, label: String, reset: Bool) async -> Int {
        var dropped = 0
        for channel in connections.all {
            let ended = try? await channel.eventLoop.submit {
                let pipeline = channel.pipeline.syncOperations
                if let handler = try? pipeline.handler(type: RTSPConnectionHandler.self) {
                    let context = try pipeline.context(handlerType: RTSPConnectionHandler.self)
                    return handler.drop(matching: match, label: label, reset: reset, context: context)
                }
                // An event WebSocket has left HTTP behind: its own handler answers for it.
                if let socket = try? pipeline.handler(type: AxisEventSocketHandler.self) {
                    let context = try pipeline.context(handlerType: AxisEventSocketHandler.self)
                    return socket.drop(matching: match, label: label, reset: reset, context: context)
                }
                let handler = try pipeline.handler(type: TinyCamHTTPHandler.self)
                let context = try pipeline.context(handlerType: TinyCamHTTPHandler.self)
                return handler.drop(matching: match, label: label, reset: reset, context: context)
            }.get()
            if ended == true { dropped += 1 }
        }
        return dropped
    }

    /// The address actually bound (the port is real even when 0 was asked for).
    public var boundAddress: SocketAddress? {
        if case .listening(let channel) = listener.withLockedValue({ $0 }) { return channel.localAddress }
        return nil
    }

    /// Binds and starts accepting. Throws a `StartupError` saying why when the address is unusable.
    @discardableResult
    public func start() async throws(StartupError) -> SocketAddress {
        let created = fileThreads.withLockedValue { current -> NIOThreadPool? in
            guard current == nil else { return nil }
            let pool = NIOThreadPool(numberOfThreads: max(1, options.fileThreads))
            pool.start()
            current = pool
            return pool
        }
        do {
            let address = try await bind(port: options.listen.port)
            try await bindRTSPListener()
            return address
        } catch let error as StartupError {
            await stop()
            throw error
        } catch {
            if let created {
                fileThreads.withLockedValue { $0 = nil }
                try? await created.shutdownGracefully()
            }
            throw StartupError(listening: options.listen, error: error)
        }
    }

    /// Stops listening and closes every connection.
    public func stop() async {
        let channel = listener.withLockedValue { state -> (any Channel)? in
            defer { state = .stopped }
            switch state {
            case .listening(let channel), .restarting(let channel): return channel
            case .stopped: return nil
            }
        }
        try? await channel?.close()
        try? await rtspListener.withLockedValue({ listener in
            defer { listener = nil }
            return listener
        })?.close()
        await connections.closeAll()
        let pool = fileThreads.withLockedValue { pool in
            defer { pool = nil }
            return pool
        }
        try? await pool?.shutdownGracefully()
    }

    private var isRestarting: Bool {
        listener.withLockedValue { if case .restarting = $0 { true } else { false } }
    }

    private func bind(port: Int) async throws -> SocketAddress {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: options.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A client may half-close after its request and still expect the answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
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
            let log = ConnectionLog(
                connection: connectionIDs.next(), client: channel.remoteAddress?.ipAddress ?? "unknown",
                services: services, logger: logger, harness: options.harness)
            try pipeline.addHandler(RefuseHandler(log: log))
            return
        }
        guard let fileThreads = fileThreads.withLockedValue({ $0 }) else { throw ChannelError.ioOnClosedChannel }
        if let tls = options.tls { try pipeline.addHandler(NIOSSLServerHandler(context: tls)) }
        try ConnectionPipeline.install(
            on: pipeline, responder: responder, services: services, viewers: viewers, fileThreads: fileThreads,
            control: self, headTimeout: options.headTimeout, logger: logger, harness: options.harness,
            client: channel.remoteAddress?.ipAddress ?? "unknown", connection: connectionIDs.next(),
            rtsp: options.rtsp ? rtspEnvironment : nil)
    }

    /// What every RTSP connection shares (the URLs it writes take their scheme from the client's).
    private var rtspEnvironment: RTSPEnvironment {
        RTSPEnvironment(
            responder: responder, services: services, headTimeout: options.headTimeout, counters: rtspCounters)
    }

    /// The RTSP port of its own, when configured: plain RTSP, every connection straight to the RTSP
    /// handler. Unbindable: a `StartupError` when it was asked for, a warning for the axis default.
    private func bindRTSPListener() async throws {
        guard let address = options.rtspListen else { return }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: options.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    guard connections.add(channel, limit: options.maxConnections) else {
                        channel.close(promise: nil)
                        return
                    }
                    try ConnectionPipeline.installRTSPOnly(
                        on: pipeline, environment: rtspEnvironment, services: services, logger: logger,
                        harness: options.harness, client: channel.remoteAddress?.ipAddress ?? "unknown",
                        connection: connectionIDs.next())
                }
            }
        do {
            let channel = try await bootstrap.bind(host: address.host, port: address.port).get()
            rtspListener.withLockedValue { $0 = channel }
            logger.info(
                "RTSP also listens on its own port: rtsp://\(address.host):\(channel.localAddress?.port ?? address.port)/"
            )
        } catch {
            guard !options.rtspListenRequired else { throw StartupError(listening: address, error: error) }
            logger.notice(
                "RTSP's own port \(address) could not be bound (\(error)); RTSP is still served on the HTTP port. Set server.rtspListen to a free port such as 0.0.0.0:8554, or allow binding port 554 (CAP_NET_BIND_SERVICE)."
            )
        }
    }

    /// The RTSP-only listener's address, when bound.
    public var rtspBoundAddress: SocketAddress? { rtspListener.withLockedValue { $0?.localAddress } }
}

extension HTTPServer: ServerControl {
    /// Restarts shortly after the current answer is out: close everything, forget tokens, wait
    /// the configured delay, listen again on the same port. Restarts requested meanwhile merge.
    public func scheduleRestart() {
        let channel = listener.withLockedValue { state -> (any Channel)? in
            guard case .listening(let channel) = state else { return nil }
            state = .restarting(channel)
            return channel
        }
        guard let channel, let port = channel.localAddress?.port else { return }
        let delay = options.restartDelay
        // The delay is clock time (a virtual run restarts in virtual time); the hold keeps a virtual
        // clock still meanwhile, so the server is back exactly `delay` after it went down.
        let clock = services.clock
        let hold = clock.hold()
        Task { await hold.run { await self.restart(channel: channel, port: port, delay: delay, clock: clock) } }
    }

    private func restart(channel: any Channel, port: Int, delay: TimeAmount, clock: any DecoyClock) async {
        // Real time: the answer that asked for the restart must get out first.
        try? await Task.sleep(for: .milliseconds(100))
        // `stop()` meanwhile (server shutdown) closed everything already: stay down.
        guard self.isRestarting else { return }
        self.logger.notice("restart.cgi: web server restarting, back in \(delay.nanoseconds / 1_000_000) ms")
        self.services.logs.lifecycle.append(
            "\(CivilTime.logTimestamp(self.services.clock.nowMilliseconds())) web server restarting")
        try? await channel.close()
        await self.connections.closeAll(event: ServerRestarting())
        self.services.authenticator.tokens.revokeAll()
        try? await clock.sleep(forMilliseconds: delay.nanoseconds / 1_000_000)
        guard self.isRestarting else { return }
        do {
            _ = try await self.bind(port: port)
            self.services.counters.restarted(at: self.services.clock.nowMilliseconds())
            self.services.logs.lifecycle.append(
                "\(CivilTime.logTimestamp(self.services.clock.nowMilliseconds())) web server listening again")
            self.logger.notice("web server listening again on port \(port)")
        } catch {
            self.listener.withLockedValue { $0 = .stopped }
            self.logger.error("web server could not listen again on port \(port): \(error)")
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

    /// Every open connection now.
    var all: [any Channel] { channels.withLockedValue { Array($0.values) } }

    /// Closes every connection; `event` first reaches each pipeline (on its loop, before the close),
    /// so handlers can tell why they are closed (a restart, not a shutdown).
    func closeAll(event: (any Sendable)? = nil) async {
        for channel in all {
            if let event { channel.pipeline.fireUserInboundEventTriggered(event) }
            try? await channel.close()
        }
    }
}

/// Sent down every connection's pipeline just before a restart closes it.
struct ServerRestarting: Sendable {
}

/// Answers 503 on a connection over the limit (the one transport answer, recorded like the
/// others), then closes it.
private final class RefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let log: ConnectionLog

    init(log: ConnectionLog) { self.log = log }

    func channelActive(context: ChannelHandlerContext) {
        let response = TransportRejection.tooManyConnections.response(log.serverConfig)
        log.transportAnswered(log.unreadExchange, response)
        let bytes = AnswerFraming.closingBytes(response, date: log.httpDate, allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(bytes)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
