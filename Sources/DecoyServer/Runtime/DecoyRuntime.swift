import DecoyCore
import DecoyTinyCam
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// A running Decoy: cameras, API and web server built from one configuration. The command line
/// and the integration tests start Decoy the same way, through this type.
public final class DecoyRuntime: Sendable {
    /// What the configuration file does not say.
    public struct Options: Sendable {
        /// Recordings, certificates and presets; nil keeps everything in memory (tests).
        public var stateDirectory: String?
        public var clock: any DecoyClock
        public var networkThreads: Int
        public var mediaThreads: Int
        /// The in-memory logs the admin log pages show (the app log is fed by the log handler).
        public var logs: ServerLogs
        /// What answers requests, given the tinyCam API: the API itself by default; a scenario or a
        /// test may wrap it (inject faults, serve extra paths) and still use the real transport.
        public var responder: @Sendable (TinyCamAPI) -> any TinyCamResponder
        /// Makes each listening camera's sound source: synthetic by default; the `decoy` command
        /// sets one that also captures from ALSA devices (DecoyCore knows no devices).
        public var audioSources: AudioSourceFactory = AudioSources.synthetic
        /// The harness's fault layer and journal (a scenario's, the control API's): nil by
        /// default, and then the transport describes, decides and journals nothing at all.
        public var harness: TransportHarness?
        /// Makes each camera's picture source: synthetic by default (a `v4l2` camera shows NO SIGNAL);
        /// the `decoy` command sets one that captures from V4L2 devices.
        public var videoSources: VideoSourceFactory = VideoSources.synthetic

        public init(
            stateDirectory: String?, clock: any DecoyClock = SystemClock(),
            networkThreads: Int = System.coreCount, mediaThreads: Int = System.coreCount,
            logs: ServerLogs = ServerLogs(),
            responder: @escaping @Sendable (TinyCamAPI) -> any TinyCamResponder = { $0 },
            harness: TransportHarness? = nil
        ) {
            self.harness = harness
            self.logs = logs
            self.responder = responder
            self.stateDirectory = stateDirectory
            self.clock = clock
            self.networkThreads = networkThreads
            self.mediaThreads = mediaThreads
        }
    }

    public let services: TinyCamServices
    public let server: HTTPServer
    /// The runtime's logger: what it is given, and the app log (`applog.cgi`) too, so the admin
    /// log pages show Decoy's own log however Decoy was started (`serve`, `run`, a test).
    public let logger: Logger
    /// Where the server listens (with the real port).
    public let address: SocketAddress
    /// The certificate served when HTTPS is on.
    public let certificatePath: String?
    private let networkGroup: MultiThreadedEventLoopGroup
    private let mediaGroup: MultiThreadedEventLoopGroup

    private init(
        services: TinyCamServices, server: HTTPServer, logger: Logger, address: SocketAddress, certificatePath: String?,
        networkGroup: MultiThreadedEventLoopGroup, mediaGroup: MultiThreadedEventLoopGroup
    ) {
        self.services = services
        self.server = server
        self.logger = logger
        self.address = address
        self.certificatePath = certificatePath
        self.networkGroup = networkGroup
        self.mediaGroup = mediaGroup
    }

    /// Builds everything and starts listening. Every failure is a `StartupError` saying what
    /// failed: the state folder, the certificate or key, or the listening address.
    public static func start(config: DecoyConfig, options: Options, logger given: Logger) async throws -> DecoyRuntime {
        let logger = Self.logging(given, into: options.logs.app, clock: options.clock)
        let stateURL = options.stateDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let stateDirectory = options.stateDirectory { try StartupError.makeStateFolder(stateDirectory) }
        var tls: NIOSSLContext?
        var certificatePath: String?
        if config.server.https {
            let folder = options.stateDirectory ?? NSTemporaryDirectory() + "decoy-\(getpid())"
            let setup: (NIOSSLContext, certificate: String, generated: Bool)
            do {
                setup = try TLSSetup.context(
                    certificatePath: config.server.certificatePath, keyPath: config.server.privateKeyPath,
                    stateDirectory: folder)
            } catch {
                throw StartupError(.certificate, "HTTPS cannot start: \(error)")
            }
            tls = setup.0
            certificatePath = setup.certificate
            if setup.generated { logger.notice("generated a self-signed certificate: \(setup.certificate)") }
        }
        let networkGroup = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.networkThreads))
        let mediaGroup = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.mediaThreads))
        let cameras = CameraRegistry(
            config: config, clock: options.clock, mediaGroup: mediaGroup, stateDirectory: stateURL,
            audioSources: options.audioSources, videoSources: options.videoSources)
        let services = TinyCamServices(
            config: config, cameras: cameras, clock: options.clock, stateDirectory: options.stateDirectory,
            logs: options.logs)
        let responder = options.responder(TinyCamAPI(services: services))
        var serverOptions = HTTPServer.Options(config: config.server, tls: tls)
        serverOptions.harness = options.harness
        serverOptions.rtspListen = config.rtspListen
        let server = HTTPServer(
            group: networkGroup, responder: responder, services: services, options: serverOptions, logger: logger)
        do {
            let address = try await server.start()
            services.logs.lifecycle.append(
                "\(CivilTime.logTimestamp(options.clock.nowMilliseconds())) web server listening on \(address)")
            return DecoyRuntime(
                services: services, server: server, logger: logger, address: address, certificatePath: certificatePath,
                networkGroup: networkGroup, mediaGroup: mediaGroup)
        } catch {
            cameras.shutdown()
            try? await networkGroup.shutdownGracefully()
            try? await mediaGroup.shutdownGracefully()
            throw error
        }
    }

    /// `logger`, also writing to `ring` from `info` up, whatever level `logger` itself has.
    private static func logging(_ logger: Logger, into ring: LogRing, clock: any DecoyClock) -> Logger {
        let handler = logger.handler
        return Logger(label: logger.label) { label in
            MultiplexLogHandler([handler, RingLogHandler(label: label, ring: ring, level: .info, clock: clock)])
        }
    }

    /// The port actually bound (after restarts too).
    public var port: Int { server.boundAddress?.port ?? address.port ?? 0 }

    /// Stops serving, finishes and keeps the clips being recorded, and releases every thread.
    public func shutdown() async {
        await server.stop()
        await services.cameras.stop()
        try? await networkGroup.shutdownGracefully()
        try? await mediaGroup.shutdownGracefully()
    }
}
