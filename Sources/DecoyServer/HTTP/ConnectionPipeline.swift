import DecoyFaults
import DecoyTinyCam
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The handlers of one HTTP connection, in order (after TLS when HTTPS is on): the connection
/// guard (traffic, 414, head timeouts), NIO's HTTP/1.1 codec with Decoy's limits and without
/// automatic framing headers (Decoy writes its own, close-delimited streams included), the parser
/// error answers (400/431) and the tinyCam handler. Shared by the server and its byte-exact tests.
///
/// `connection` numbers the connection in the access log and journal (the server counts them).
///
/// With a harness whose fault layer refuses the client (`refuse`), the connection gets only a
/// handler that resets it, and the refusal is journaled; the byte shaper of the other faults is
/// added later, only to a faulted connection.
enum ConnectionPipeline {
    static func install(
        on pipeline: ChannelPipeline.SynchronousOperations, responder: any TinyCamResponder,
        services: TinyCamServices, viewers: ViewerDirectory, fileThreads: NIOThreadPool, control: any ServerControl,
        headTimeout: TimeAmount, logger: Logger, harness: TransportHarness? = nil, client: String = "unknown",
        connection: UInt64 = 0, rtsp: RTSPEnvironment? = nil
    ) throws {
        let log = ConnectionLog(
            connection: connection, client: client, services: services, logger: logger, harness: harness)
        guard try !refused(log, on: pipeline) else { return }
        let http = { (pipeline: ChannelPipeline.SynchronousOperations) throws in
            try installHTTP(
                on: pipeline, responder: responder, services: services, viewers: viewers, fileThreads: fileThreads,
                control: control, headTimeout: headTimeout, logger: logger, log: log)
        }
        guard let rtsp else { return try http(pipeline) }
        try pipeline.addHandler(
            ProtocolSniffer(
                headTimeout: headTimeout, http: http,
                rtsp: { pipeline in
                    try pipeline.addHandler(RTSPConnectionHandler(environment: rtsp, log: log, logger: logger))
                }))
    }

    /// What RTSP-only listeners (`server.rtspListen`) install: no HTTP, no sniffing.
    static func installRTSPOnly(
        on pipeline: ChannelPipeline.SynchronousOperations, environment: RTSPEnvironment, services: TinyCamServices,
        logger: Logger, harness: TransportHarness?, client: String, connection: UInt64
    ) throws {
        let log = ConnectionLog(
            connection: connection, client: client, services: services, logger: logger, harness: harness)
        guard try !refused(log, on: pipeline) else { return }
        try pipeline.addHandler(RTSPConnectionHandler(environment: environment, log: log, logger: logger))
    }

    /// A `refuse` rule that takes the client: the connection gets only a handler that resets it,
    /// and the refusal is journaled. True when refused.
    private static func refused(
        _ log: ConnectionLog, on pipeline: ChannelPipeline.SynchronousOperations
    ) throws
        -> Bool
    {
        guard let faults = log.harness?.faults, let label = faults.refusal(client: log.client, at: log.now()) else {
            return false
        }
        log.transportAnswered(log.unreadExchange, .emptySuccess, outcome: .refused, fault: label)
        try pipeline.addHandler(RefuseFaultHandler())
        return true
    }

    private static func installHTTP(
        on pipeline: ChannelPipeline.SynchronousOperations, responder: any TinyCamResponder,
        services: TinyCamServices, viewers: ViewerDirectory, fileThreads: NIOThreadPool, control: any ServerControl,
        headTimeout: TimeAmount, logger: Logger, log: ConnectionLog
    ) throws {
        try pipeline.addHandler(ConnectionGuard(traffic: services.traffic, headTimeout: headTimeout, log: log))
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = ConnectionGuard.maximumRequestLine
        limits.maxHeaderListSize = ConnectionGuard.maximumRequestLine + 16 * 1024
        limits.maxHeaderFieldCount = 100
        var encoder = HTTPResponseEncoder.Configuration()
        encoder.automaticallySetFramingHeaders = false
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false, withEncoderConfiguration: encoder,
            withDecoderLimitConfiguration: limits)
        try pipeline.addHandler(HTTPErrorResponder(log: log))
        try pipeline.addHandler(
            TinyCamHTTPHandler(
                responder: responder, services: services, viewers: viewers, fileThreads: fileThreads,
                control: control, logger: logger, log: log))
    }
}
