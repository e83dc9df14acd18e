import Crypto
import DecoyTinyCam
import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Switches an HTTP connection whose request the API accepted as an event WebSocket
/// (`TinyCamResponse.Body.eventSocket`) to WebSocket frames: the 101 head goes out through the
/// HTTP encoder, then the HTTP handlers leave the pipeline and SwiftNIO's WebSocket frame
/// decoder (bounded frame size), encoder, fragment aggregator (bounded message size) and
/// protocol-error handler (close 1002/1009 on bad frames) come in, ahead of the event stream.
enum EventSocketUpgrade {
    /// The largest frame, and the largest message after reassembly, a client may send: an
    /// `events:configure` with many filters fits easily.
    static let maximumFrameBytes = 64 * 1024

    /// The 101 answer's headers (RFC 6455 §4.2.2), after the API's own (`Server`, CORS).
    static func headers(_ headers: HTTPHeaders, key: String, date: String) -> HTTPHeaders {
        var headers = headers
        headers.add(name: "Date", value: date)
        headers.add(name: "Upgrade", value: "websocket")
        headers.add(name: "Connection", value: "Upgrade")
        headers.add(name: "Sec-WebSocket-Accept", value: accept(key: key))
        return headers
    }

    /// `Sec-WebSocket-Accept`: base64 of the SHA-1 of the key and RFC 6455's GUID.
    static func accept(key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))
        return Data(digest).base64EncodedString()
    }

    /// Replaces the HTTP handlers with WebSocket ones. `httpHandler` is the caller's own handler,
    /// removed last. Runs on the connection's loop, after the 101 head was written.
    static func switchProtocols(
        context: ChannelHandlerContext, httpHandler: ChannelHandler, request: AxisEventSocketRequest,
        exchange: CurrentExchange, log: ConnectionLog, onClose: @escaping () -> Void
    ) {
        let pipeline = context.pipeline.syncOperations
        context.flush()
        do {
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandlers(
                [
                    ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: maximumFrameBytes)),
                    WebSocketFrameEncoder(),
                ], position: .after(decoder.handler))
            func remove<Handler: ChannelHandler>(_ type: Handler.Type) {
                if let found = try? pipeline.context(handlerType: type) {
                    pipeline.removeHandler(context: found, promise: nil)
                }
            }
            // The HTTP handlers between the decoder and the API handler: the encoder, NIO's header
            // validator and pipelining helper, Decoy's parser-error answers.
            remove(HTTPResponseEncoder.self)
            remove(NIOHTTPResponseHeadersValidator.self)
            remove(HTTPServerPipelineHandler.self)
            remove(HTTPErrorResponder.self)
            pipeline.removeHandler(context: decoder, promise: nil)
            try pipeline.addHandlers(
                [
                    WebSocketProtocolErrorHandler(),
                    NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64,
                        maxAccumulatedFrameSize: maximumFrameBytes),
                    AxisEventSocketHandler(request: request, exchange: exchange, log: log, onClose: onClose),
                ], position: .after(httpHandler))
            try pipeline.removeHandler(context: pipeline.context(handler: httpHandler), promise: nil)
        } catch {
            context.close(promise: nil)
        }
    }
}
