import DecoyTinyCam
import Logging
import NIOCore
import NIOHTTP1

/// The handlers of one HTTP connection, in order (after TLS when HTTPS is on): the connection
/// guard (traffic, 414, head timeouts), NIO's HTTP/1.1 codec with Decoy's limits and without
/// automatic framing headers (Decoy writes its own, close-delimited streams included), the parser
/// error answers (400/431) and the tinyCam handler. Shared by the server and its byte-exact tests.
enum ConnectionPipeline {
    static func install(
        on pipeline: ChannelPipeline.SynchronousOperations, api: TinyCamAPI, viewers: ViewerDirectory,
        headTimeout: TimeAmount, logger: Logger
    ) throws {
        let serverHeader = api.services.config.server.serverHeader
        try pipeline.addHandler(
            ConnectionGuard(
                traffic: api.services.traffic, headTimeout: headTimeout, serverHeader: serverHeader,
                clock: api.services.clock))
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = ConnectionGuard.maximumRequestLine
        limits.maxHeaderListSize = ConnectionGuard.maximumRequestLine + 16 * 1024
        limits.maxHeaderFieldCount = 100
        var encoder = HTTPResponseEncoder.Configuration()
        encoder.automaticallySetFramingHeaders = false
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false, withEncoderConfiguration: encoder,
            withDecoderLimitConfiguration: limits)
        try pipeline.addHandler(HTTPErrorResponder(serverHeader: serverHeader))
        try pipeline.addHandler(TinyCamHTTPHandler(api: api, viewers: viewers, logger: logger))
    }
}
