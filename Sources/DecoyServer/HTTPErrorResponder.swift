import NIOCore
import NIOHTTP1

/// Answers requests the HTTP parser rejects, then closes: an oversized header section gets 431,
/// anything else malformed (garbage request line, bad header syntax, bad Content-Length) 400.
/// Only when no answer has started on the connection (a half-sent answer is simply cut).
final class HTTPErrorResponder: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var responseInProgress = false
    private let serverHeader: String

    init(serverHeader: String) { self.serverHeader = serverHeader }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if !responseInProgress {
            let (status, reason) = Self.answer(for: parserError)
            let body = "HTTP \(status.code). \(reason)\n"
            let headers = HTTPHeaders([
                ("Server", serverHeader), ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", String(body.utf8.count)), ("Connection", "close"),
            ])
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil)
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.close(promise: nil)
        }
    }

    static func answer(for error: HTTPParserError) -> (HTTPResponseStatus, String) {
        switch error {
        case .headerOverflow:
            return (
                .requestHeaderFieldsTooLarge,
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
