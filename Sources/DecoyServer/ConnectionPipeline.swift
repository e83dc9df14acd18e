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
/// With `transportFaults` a connection the `refuse` fault turns away gets only a handler that
/// resets it; the byte shaper of the other faults is added later, only to a faulted connection.
enum ConnectionPipeline {
    static func install(
        on pipeline: ChannelPipeline.SynchronousOperations, responder: any TinyCamResponder,
        services: TinyCamServices, viewers: ViewerDirectory, fileThreads: NIOThreadPool, headTimeout: TimeAmount,
        logger: Logger, transportFaults: (any TransportFaults)? = nil, client: String = "unknown",
        connection: UInt64 = 0
    ) throws {
        if let transportFaults, transportFaults.refusal(forClient: client) != nil {
            try pipeline.addHandler(RefuseFaultHandler())
            return
        }
        let log = ConnectionLog(
            connection: connection, client: client, services: services, logger: logger,
            observer: transportFaults as? any TransportAnswerObserver)
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
                responder: responder, services: services, viewers: viewers, fileThreads: fileThreads, logger: logger,
                log: log, transportFaults: transportFaults))
    }
}
