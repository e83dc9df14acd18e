import DecoyCore
import DecoyTinyCam
import Logging
import NIOCore
import NIOHTTP1

/// Turns decoded HTTP requests into `TinyCamRequest` values, asks the API, and writes the answer:
/// fixed bodies with `Content-Length` (keep-alive honoured), MJPEG streams close-delimited.
final class TinyCamHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Request bodies are not part of tinyCam's API; a small one is read and ignored, a large one refused.
    static let maximumBodyBytes = 64 * 1024

    private let api: TinyCamAPI
    private let viewers: ViewerDirectory
    private let logger: Logger
    private var head: HTTPRequestHead?
    private var bodyBytes = 0
    private var viewer: MJPEGViewer?
    /// A request is with the API and its answer is not written yet.
    private var answerPending = false
    /// The client half-closed (sent FIN after its request, as `nc -N` and some HTTP/1.0 tools do).
    private var inputClosed = false

    init(api: TinyCamAPI, viewers: ViewerDirectory, logger: Logger) {
        self.api = api
        self.viewers = viewers
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            bodyBytes = 0
            context.triggerUserOutboundEvent(ConnectionEvent.requestStarted, promise: nil)
        case .body(let body):
            bodyBytes += body.readableBytes
            if bodyBytes > Self.maximumBodyBytes, let current = head {
                head = nil
                let reason = "HTTP 413. Request bodies are limited to \(Self.maximumBodyBytes) bytes.\n"
                write(.text(.contentTooLarge, reason), for: current, keepAlive: false, context: context)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            dispatch(head, context: context)
        }
    }

    /// After a half-close the answer in flight is still written, then the connection closes; a
    /// stream keeps going (the client can still read); an idle connection closes at once.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? ChannelEvent, case .inputClosed = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        inputClosed = true
        if !answerPending && viewer == nil { context.close(promise: nil) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { viewer?.writabilityChanged() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        endStream()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { endStream() }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("connection error: \(error)")
        context.close(promise: nil)
    }

    private func dispatch(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let request = TinyCamRequest(
            method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) },
            clientAddress: context.channel.remoteAddress?.ipAddress ?? "unknown")
        let api = self.api
        let promise = context.eventLoop.makePromise(of: TinyCamResponse.self)
        promise.completeWithTask { await api.handle(request) }
        let started = NIODeadline.now()
        answerPending = true
        promise.futureResult.assumeIsolated().whenSuccess { response in
            self.answerPending = false
            self.write(response, for: head, keepAlive: head.isKeepAlive && !self.inputClosed, context: context)
            self.logAccess(request, response, since: started)
        }
    }

    private func write(
        _ response: TinyCamResponse, for head: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders(response.headers)
        headers.add(name: "Date", value: CivilTime.httpDate(api.services.clock.nowMilliseconds()))
        let status = HTTPResponseStatus(statusCode: response.status.code, reasonPhrase: response.status.reason)
        switch response.body {
        case .bytes(let body):
            // RFC 9110 §8.6: no Content-Length on 1xx and 204 answers (the CORS preflight).
            if response.status.code >= 200 && response.status.code != 204 {
                headers.add(name: "Content-Length", value: String(body.readableBytes))
            }
            headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                promise: nil)
            if body.readableBytes > 0 && head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if keepAlive {
                context.triggerUserOutboundEvent(ConnectionEvent.responseCompleted, promise: nil)
            } else {
                done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        case .mjpeg(let stream):
            headers.add(name: "Connection", value: "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                promise: nil)
            if head.method == .HEAD {
                context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
                return
            }
            startStream(stream, context: context)
        }
    }

    private func startStream(_ stream: MJPEGStreamRequest, context: ChannelHandlerContext) {
        let preamble = context.channel.allocator.buffer(string: MJPEGFraming.preamble)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(preamble))), promise: nil)
        StreamSocket.configure(context.channel)
        api.services.counters.streamOpened()
        let group = viewers.group(for: stream.camera, variant: stream.variant, on: context.eventLoop)
        let viewer = MJPEGViewer(context: context, group: group, framesPerSecond: stream.framesPerSecond)
        self.viewer = viewer
        viewer.start()
    }

    /// The stream is over (client gone, restart, shutdown): leave the camera and count it out.
    private func endStream() {
        guard let viewer else { return }
        self.viewer = nil
        viewer.stop()
        api.services.counters.streamClosed()
        logger.info("MJPEG stream \(viewer.description) ended")
    }

    private func logAccess(_ request: TinyCamRequest, _ response: TinyCamResponse, since started: NIODeadline) {
        let milliseconds = (NIODeadline.now() - started).nanoseconds / 1_000_000
        let size = response.bodyBytes.map { String($0.readableBytes) } ?? "stream"
        let line =
            "\(request.clientAddress) \(response.user ?? "-") \"\(request.method) \(AccessLogRedaction.redact(request.target))\" "
            + "\(response.status.code) \(size) \(milliseconds)ms"
        api.services.logs.access.append("\(CivilTime.logTimestamp(api.services.clock.nowMilliseconds())) \(line)")
        logger.info("\(line)")
    }
}
