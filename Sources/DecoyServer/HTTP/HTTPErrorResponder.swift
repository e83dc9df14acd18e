import DecoyTinyCam
import NIOCore
import NIOHTTP1

/// Answers requests the HTTP parser rejects, then closes: an oversized header section gets 431,
/// anything else malformed (garbage request line, bad header syntax, bad Content-Length) 400.
/// Only when no answer has started on the connection (a half-sent answer is simply cut).
final class HTTPErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var responseInProgress = false
    private let log: ConnectionLog

    init(log: ConnectionLog) { self.log = log }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !responseInProgress else {
            context.close(promise: nil)
            return
        }
        // The connection is gone (the guard rejected it, or the client left mid-head, which the
        // parser reports as an error at EOF): there is nobody to answer.
        guard context.channel.isActive else { return }
        let (status, reason) = Self.answer(for: parserError)
        let response = TransportRejection.malformed(status, reason: reason).response(log.serverConfig)
        let body = response.bodyBytes ?? ByteBuffer()
        let headers = AnswerFraming.headers(
            HTTPHeaders(response.headers), status: status, date: log.httpDate,
            contentLength: Int64(body.readableBytes), keepAlive: false)
        let responseStatus = HTTPResponseStatus(statusCode: status.code, reasonPhrase: status.reason)
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: responseStatus, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
        log.transportAnswered(log.unreadExchange, response)
    }

    /// The status and reason for a parser error, saying what to fix.
    static func answer(for error: HTTPParserError) -> (HTTPStatus, String) {
        switch error {
        case .headerOverflow:
            return (
                HTTPStatus(code: 431, reason: "Request Header Fields Too Large"),
                "The request headers are too large (at most 8 KiB per field, 16 KiB in all)."
            )
        case .invalidMethod:
            return (.badRequest, "The request line is not HTTP (unknown method).")
        case .invalidVersion:
            return (.badRequest, "The request line is not HTTP (bad version).")
        case .invalidURL, .invalidPath, .invalidQueryString, .invalidFragment, .invalidCharactersUsed:
            return (.badRequest, "The request target contains characters HTTP does not allow (percent-encode them).")
        case .invalidContentLength:
            return (.badRequest, "Invalid Content-Length.")
        default:
            return (.badRequest, "Malformed HTTP request (\(error)).")
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responseInProgress = true
        case .end: responseInProgress = false
        default: break
        }
        context.write(data, promise: promise)
    }
}
