import DecoyCore
import DecoyTinyCam
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Turns decoded HTTP requests into `TinyCamRequest` values, asks the responder (the tinyCam API
/// or a wrapper), and writes the answer: fixed bodies and files with `Content-Length` (keep-alive
/// honoured; files streamed from disk chunk by chunk), MJPEG streams close-delimited.
final class TinyCamHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Request bodies are not part of tinyCam's API; a small one is read and ignored, a large one refused.
    static let maximumBodyBytes = 64 * 1024

    private let responder: any TinyCamResponder
    private let services: TinyCamServices
    private let viewers: ViewerDirectory
    private let fileThreads: NIOThreadPool
    private let logger: Logger
    /// This connection's id and where its answers are recorded.
    let log: ConnectionLog
    /// Where the connection is in its request/answer cycle: every decision is this value's.
    private var state = ExchangeState(maximumBodyBytes: maximumBodyBytes)
    /// The exchange (connection and request id) of the request being read or answered.
    private var exchange: ExchangeID
    /// The task making the answer of the request with the responder; cancelled if the client goes.
    private var answerTask: Task<Void, Never>?
    private var viewer: MJPEGViewer?
    /// A `receive.wav` stream is being sent.
    private var listener: AudioListener?
    /// A file body is being opened or sent.
    private var fileWriter: FileBodyWriter?
    /// The client half-closed (sent FIN after its request, as `nc -N` and some HTTP/1.0 tools do).
    var inputClosed: Bool { state.inputClosed }
    /// The connection failed (a reset by the client, typically): a stream ending now was the client's doing.
    var failed: Bool { state.failed }
    /// The scenario's transport faults; nil: none, and none of the fault hooks below does anything.
    let transportFaults: (any TransportFaults)?
    /// The faults of the answer being written (nil: none).
    var exchangeFaults: ExchangeFaults?
    /// This connection's byte shaper, once a faulted answer needed one.
    var shaper: ByteShaper?
    /// The stream being sent, for its journal entry.
    var streamTarget = ""
    var streamFault: String?
    /// A restart is closing this connection (`ServerRestarting`), for the journal of its stream.
    var closedByRestart = false

    init(
        responder: any TinyCamResponder, services: TinyCamServices, viewers: ViewerDirectory,
        fileThreads: NIOThreadPool, logger: Logger, log: ConnectionLog, transportFaults: (any TransportFaults)? = nil
    ) {
        self.responder = responder
        self.services = services
        self.viewers = viewers
        self.fileThreads = fileThreads
        self.logger = logger
        self.log = log
        self.exchange = log.pendingExchange
        self.transportFaults = transportFaults
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .requestStarted = state.receivedHead(head) else { return }
            exchange = log.requestStarted()
            context.triggerUserOutboundEvent(ConnectionEvent.requestStarted, promise: nil)
        case .body(let part):
            guard state.receivedBody(part.readableBytesView) == .rejectBody, let head = state.head else { return }
            rejectBody(head, context: context)
        case .end:
            guard state.receivedEnd() == .dispatch, let head = state.head else { return }
            dispatch(head, context: context)
        }
    }

    /// After a half-close the answer in flight is still written, then the connection closes; a
    /// stream keeps going (the client can still read); an idle connection closes at once.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ServerRestarting {
            closedByRestart = true
            return
        }
        guard let event = event as? ChannelEvent, case .inputClosed = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if state.inputEnded() == .close { context.close(promise: nil) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            viewer?.writabilityChanged()
            listener?.writabilityChanged()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state.closed() == .cancelAnswer {
            // The client is gone: whatever the answer still awaits (a snapshot, a latency fault)
            // is cancelled, and what it returns is dropped unwritten (`answerReady` says `discard`).
            answerTask?.cancel()
            answerTask = nil
        }
        endStream()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { endStream() }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("connection error: \(error)")
        if state.errorCaught() == .close { context.close(promise: nil) }
    }

    /// The body passed the limit: 413 (from the transport, recorded as such), then close.
    private func rejectBody(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        exchangeFaults = nil
        let exchange = self.exchange
        let response = TransportRejection.bodyTooLarge.response(services.config.server)
        write(response, for: head, keepAlive: false, context: context) { sent in
            self.log.transportAnswered(exchange, sent, method: head.method.rawValue, target: head.uri)
        }
    }

    private func dispatch(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let request = TinyCamRequest(
            method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) },
            clientAddress: context.channel.remoteAddress?.ipAddress ?? "unknown", body: state.takeBody())
        let responder = self.responder
        let exchange = self.exchange
        let promise = context.eventLoop.makePromise(of: TinyCamResponse.self)
        let slot = transportFaults.map { _ in ExchangeFaultSlot() }
        answerTask = promise.completeWithTask {
            await ExchangeID.$current.withValue(exchange) {
                guard let slot else { return await responder.handle(request) }
                return await ExchangeFaultSlot.$current.withValue(slot) { await responder.handle(request) }
            }
        }
        let started = NIODeadline.now()
        promise.futureResult.assumeIsolated().whenSuccess { response in
            self.answerTask = nil
            switch self.state.answerReady(endless: response.isEndless) {
            case .write(let keepAlive):
                if let slot, self.applyExchangeFaults(slot.faults, target: head.uri, context: context) {
                    self.logAccess(request, response, exchange, since: started)
                    return
                }
                self.write(response, for: head, keepAlive: keepAlive, context: context) {
                    self.logAccess(request, $0, exchange, since: started)
                }
            case .discard:
                // The client reset while the answer was made: nothing is written or started.
                self.logAccess(request, response, exchange, since: started, size: "unsent")
            default:
                return
            }
        }
    }

    /// Writes `response`; `headSent` gets the answer actually sent once its head is out (a file that
    /// cannot be opened any more becomes a 404).
    private func write(
        _ response: TinyCamResponse, for head: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext,
        headSent: @escaping (TinyCamResponse) -> Void
    ) {
        var headers = HTTPHeaders(response.headers)
        let date = log.httpDate
        let status = HTTPResponseStatus(statusCode: response.status.code, reasonPhrase: response.status.reason)
        switch response.body {
        case .bytes(let original):
            let damaged = SnapshotFaults(exchangeFaults?.media, body: original, headers: headers, keepAlive: keepAlive)
            let (body, keepAlive) = (damaged.body, damaged.keepAlive)
            headers.add(contentsOf: damaged.extraHeaders)
            headers = AnswerFraming.headers(
                headers, status: response.status, date: date, contentLength: damaged.contentLength.map { Int64($0) },
                keepAlive: keepAlive)
            writeHead(status, headers, for: head, context: context)
            stallAfterHead()
            if body.readableBytes > 0 && head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            }
            end(keepAlive: keepAlive, context: context)
            headSent(response)
        case .file(let file):
            headers = AnswerFraming.headers(
                headers, status: response.status, date: date, contentLength: file.length, keepAlive: keepAlive)
            // HEAD never touches the file: the responder's `stat` gave everything the head says.
            guard head.method != .HEAD && file.length > 0 else {
                writeHead(status, headers, for: head, context: context)
                end(keepAlive: keepAlive, context: context)
                headSent(response)
                return
            }
            let answer = FileAnswerHead(status: status, headers: headers, response: response, request: head)
            sendFile(file, answer, keepAlive: keepAlive, context: context, headSent: headSent)
        case .mjpeg(let stream):
            if let media = exchangeFaults?.media { headers = HTTPHeaders(media.streamHeaders(headers.map { $0 })) }
            headers = AnswerFraming.headers(
                headers, status: response.status, date: date, contentLength: nil, keepAlive: false)
            let streaming = writeStreamHead(status, headers, for: head, context: context)
            headSent(response)
            if streaming { startStream(stream, target: head.uri, context: context) }
        case .audio(let stream):
            headers = AnswerFraming.headers(
                headers, status: response.status, date: date, contentLength: nil, keepAlive: false)
            let streaming = writeStreamHead(status, headers, for: head, context: context)
            headSent(response)
            if streaming { startAudio(stream, context: context) }
        }
    }

    /// The head of an endless, close-delimited stream; false for HEAD, which gets only the head.
    private func writeStreamHead(
        _ status: HTTPResponseStatus, _ headers: HTTPHeaders, for head: HTTPRequestHead, context: ChannelHandlerContext
    ) -> Bool {
        writeHead(status, headers, for: head, context: context)
        guard head.method == .HEAD else { return true }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
        return false
    }

    private func writeHead(
        _ status: HTTPResponseStatus, _ headers: HTTPHeaders, for head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
    }

    /// Ends the answer: the next request may come (keep-alive), or the connection closes.
    /// The state moves on before the end is written: writing it lets NIO's pipelining helper hand
    /// over the client's next request at once.
    private func end(keepAlive: Bool, context: ChannelHandlerContext) {
        let next = state.answerWritten(keepAlive: keepAlive)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if next == .awaitNextRequest, shaper != nil {
            // Paced or stalled bytes are still on their way: the idle timer starts once they are out.
            done.assumeIsolated().whenComplete { _ in
                context.triggerUserOutboundEvent(ConnectionEvent.responseCompleted, promise: nil)
            }
        } else if next == .awaitNextRequest {
            context.triggerUserOutboundEvent(ConnectionEvent.responseCompleted, promise: nil)
        } else {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Opens the file, then writes the head and streams the body. A file that cannot be opened
    /// (gone since the responder's `stat`) is answered with a 404 instead, as no byte is out yet;
    /// one that fails midway closes the connection (its `Content-Length` cannot be kept).
    private func sendFile(
        _ file: FileBody, _ answer: FileAnswerHead, keepAlive: Bool, context: ChannelHandlerContext,
        headSent: @escaping (TinyCamResponse) -> Void
    ) {
        let writer = FileBodyWriter(context: context, body: file, threadPool: fileThreads)
        fileWriter = writer
        writer.start { opened in
            switch opened {
            case .success:
                break
            case .failure(let error):
                self.fileWriter = nil
                self.logger.notice("cannot open \(file.path) to send it: \(error)")
                guard self.state.phase == .writing else { return false }
                var missing = TransportRejection.fileGone.response(self.services.config.server)
                missing.user = answer.response.user
                self.write(missing, for: answer.request, keepAlive: keepAlive, context: context, headSent: headSent)
                return false
            }
            // The client may have gone while the file was opened: then no byte is read.
            guard self.state.phase == .writing else { return false }
            self.writeHead(answer.status, answer.headers, for: answer.request, context: context)
            self.stallAfterHead()
            headSent(answer.response)
            return true
        } finished: { complete in
            self.fileWriter = nil
            if complete {
                self.end(keepAlive: keepAlive, context: context)
            } else {
                context.close(promise: nil)
            }
        }
    }

    private func startStream(_ stream: MJPEGStreamRequest, target: String, context: ChannelHandlerContext) {
        let media = exchangeFaults?.media
        if let text = media.map({ $0.preamble }) ?? MJPEGFraming.preamble {
            let preamble = context.channel.allocator.buffer(string: text)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(preamble))), promise: nil)
        }
        StreamSocket.configure(context.channel)
        services.counters.streamOpened()
        let group = viewers.group(for: stream.camera, variant: stream.variant, on: context.eventLoop)
        let viewer = MJPEGViewer(
            context: context, group: group, target: target, framesPerSecond: stream.framesPerSecond,
            faults: streamFaults(target: target))
        self.viewer = viewer
        connect(viewer)
        viewer.start()
    }

    private func startAudio(_ stream: AudioStreamRequest, context: ChannelHandlerContext) {
        StreamSocket.configure(context.channel)
        services.counters.streamOpened()
        let listener = AudioListener(context: context, stream: stream)
        self.listener = listener
        listener.start()
    }

    /// The stream is over (client gone, restart, shutdown): leave the camera and count it out.
    private func endStream() {
        if let listener {
            self.listener = nil
            listener.stop()
            services.counters.streamClosed()
            logger.info("audio stream \(listener.description) ended")
        }
        guard let viewer else { return }
        self.viewer = nil
        viewer.stop()
        services.counters.streamClosed()
        logger.info("MJPEG stream \(viewer.description) ended")
        journalStream(viewer)
    }

    /// The responder's answer in the access log (`size`: its body bytes, `stream`, or `unsent`).
    private func logAccess(
        _ request: TinyCamRequest, _ response: TinyCamResponse, _ exchange: ExchangeID, since started: NIODeadline,
        size: String? = nil
    ) {
        log.access(
            exchange, method: request.method, target: request.target, user: response.user,
            status: response.status.code, size: size ?? response.bodyLength.map { String($0) } ?? "stream",
            milliseconds: (NIODeadline.now() - started).nanoseconds / 1_000_000)
    }
}

extension TinyCamResponse {
    /// MJPEG and WAV answers never end by themselves.
    fileprivate var isEndless: Bool {
        switch body {
        case .mjpeg, .audio: true
        case .bytes, .file: false
        }
    }
}

/// The head of a file answer, written once the file is open.
private struct FileAnswerHead {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let response: TinyCamResponse
    let request: HTTPRequestHead
}
