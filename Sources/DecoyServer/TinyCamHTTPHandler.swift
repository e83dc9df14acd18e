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
    private var head: HTTPRequestHead?
    private var bodyBytes = 0
    /// The body of the request being read (bounded by `maximumBodyBytes`).
    private var body: [UInt8] = []
    private var viewer: MJPEGViewer?
    /// A `receive.wav` stream is being sent.
    private var listener: AudioListener?
    /// A file body is being opened or sent.
    private var fileWriter: FileBodyWriter?
    /// A request is with the API and its answer is not written yet.
    private var answerPending = false
    /// The client half-closed (sent FIN after its request, as `nc -N` and some HTTP/1.0 tools do).
    private(set) var inputClosed = false
    /// The connection failed (a reset by the client, typically): a stream ending now was the client's doing.
    private(set) var failed = false
    /// The scenario's transport faults; nil: none, and none of the fault hooks below does anything.
    let transportFaults: (any TransportFaults)?
    /// The faults of the answer being written (nil: none).
    var exchangeFaults: ExchangeFaults?
    /// This connection's byte shaper, once a faulted answer needed one.
    var shaper: ByteShaper?
    /// The stream being sent, for its journal entry.
    var streamTarget = ""
    var streamFault: String?

    init(
        responder: any TinyCamResponder, services: TinyCamServices, viewers: ViewerDirectory,
        fileThreads: NIOThreadPool, logger: Logger, transportFaults: (any TransportFaults)? = nil
    ) {
        self.responder = responder
        self.services = services
        self.viewers = viewers
        self.fileThreads = fileThreads
        self.logger = logger
        self.transportFaults = transportFaults
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            bodyBytes = 0
            body.removeAll(keepingCapacity: false)
            context.triggerUserOutboundEvent(ConnectionEvent.requestStarted, promise: nil)
        case .body(let part):
            bodyBytes += part.readableBytes
            if bodyBytes <= Self.maximumBodyBytes { body += part.readableBytesView }
            if bodyBytes > Self.maximumBodyBytes, let current = head {
                head = nil
                let reason = "HTTP 413. Request bodies are limited to \(Self.maximumBodyBytes) bytes.\n"
                write(.text(.contentTooLarge, reason), for: current, keepAlive: false, context: context) { _ in }
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
        if !answerPending && viewer == nil && listener == nil && fileWriter == nil { context.close(promise: nil) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            viewer?.writabilityChanged()
            listener?.writabilityChanged()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        endStream()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { endStream() }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("connection error: \(error)")
        failed = true
        context.close(promise: nil)
    }

    private func dispatch(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let request = TinyCamRequest(
            method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) },
            clientAddress: context.channel.remoteAddress?.ipAddress ?? "unknown", body: body)
        body.removeAll(keepingCapacity: false)
        let responder = self.responder
        let promise = context.eventLoop.makePromise(of: TinyCamResponse.self)
        let slot = transportFaults.map { _ in ExchangeFaultSlot() }
        if let slot {
            promise.completeWithTask {
                await ExchangeFaultSlot.$current.withValue(slot) { await responder.handle(request) }
            }
        } else {
            promise.completeWithTask { await responder.handle(request) }
        }
        let started = NIODeadline.now()
        answerPending = true
        promise.futureResult.assumeIsolated().whenSuccess { response in
            self.answerPending = false
            if let slot, self.applyExchangeFaults(slot.faults, target: head.uri, context: context) {
                self.logAccess(request, response, since: started)
                return
            }
            self.write(response, for: head, keepAlive: head.isKeepAlive && !self.inputClosed, context: context) {
                self.logAccess(request, $0, since: started)
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
        headers.add(name: "Date", value: CivilTime.httpDate(services.clock.nowMilliseconds()))
        let status = HTTPResponseStatus(statusCode: response.status.code, reasonPhrase: response.status.reason)
        switch response.body {
        case .bytes(let original):
            let damaged = SnapshotFaults(exchangeFaults?.media, body: original, headers: headers, keepAlive: keepAlive)
            let (body, keepAlive) = (damaged.body, damaged.keepAlive)
            headers.add(contentsOf: damaged.extraHeaders)
            // RFC 9110 §8.6: no Content-Length on 1xx and 204 answers (the CORS preflight), nor on
            // 304, where it would have to be the length of the 200 answer.
            if response.status.code >= 200 && response.status.code != 204 && response.status.code != 304,
                let length = damaged.contentLength
            {
                headers.add(name: "Content-Length", value: String(length))
            }
            headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
            writeHead(status, headers, for: head, context: context)
            stallAfterHead()
            if body.readableBytes > 0 && head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            }
            end(keepAlive: keepAlive, context: context)
            headSent(response)
        case .file(let file):
            headers.add(name: "Content-Length", value: String(file.length))
            headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
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
            let streaming = writeStreamHead(status, headers, for: head, context: context)
            headSent(response)
            if streaming { startStream(stream, target: head.uri, context: context) }
        case .audio(let stream):
            let streaming = writeStreamHead(status, headers, for: head, context: context)
            headSent(response)
            if streaming { startAudio(stream, context: context) }
        }
    }

    /// The head of an endless, close-delimited stream; false for HEAD, which gets only the head.
    private func writeStreamHead(
        _ status: HTTPResponseStatus, _ headers: HTTPHeaders, for head: HTTPRequestHead, context: ChannelHandlerContext
    ) -> Bool {
        var headers = headers
        headers.add(name: "Connection", value: "close")
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
    private func end(keepAlive: Bool, context: ChannelHandlerContext) {
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keepAlive, shaper != nil {
            // Paced or stalled bytes are still on their way: the idle timer starts once they are out.
            done.assumeIsolated().whenComplete { _ in
                context.triggerUserOutboundEvent(ConnectionEvent.responseCompleted, promise: nil)
            }
        } else if keepAlive {
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
                self.writeHead(answer.status, answer.headers, for: answer.request, context: context)
                self.stallAfterHead()
                headSent(answer.response)
            case .failure(let error):
                self.fileWriter = nil
                self.logger.notice("cannot open \(file.path) to send it: \(error)")
                var missing = TinyCamResponse.text(.notFound, "HTTP 404. The file is no longer available.\n")
                let shared = answer.response.headers.filter {
                    $0.name == "Server" || $0.name.hasPrefix("Access-Control")
                }
                missing.headers.insert(contentsOf: shared, at: 0)
                missing.user = answer.response.user
                self.write(missing, for: answer.request, keepAlive: keepAlive, context: context, headSent: headSent)
            }
        } finished: { complete in
            self.fileWriter = nil
            if complete {
                self.end(keepAlive: keepAlive && !self.inputClosed, context: context)
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
            context: context, group: group, framesPerSecond: stream.framesPerSecond,
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

    private func logAccess(_ request: TinyCamRequest, _ response: TinyCamResponse, since started: NIODeadline) {
        let milliseconds = (NIODeadline.now() - started).nanoseconds / 1_000_000
        let size = response.bodyLength.map { String($0) } ?? "stream"
        let line =
            "\(request.clientAddress) \(response.user ?? "-") \"\(request.method) \(AccessLogRedaction.redact(request.target))\" "
            + "\(response.status.code) \(size) \(milliseconds)ms"
        services.logs.access.append("\(CivilTime.logTimestamp(services.clock.nowMilliseconds())) \(line)")
        logger.info("\(line)")
    }
}

/// The head of a file answer, written once the file is open.
private struct FileAnswerHead {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let response: TinyCamResponse
    let request: HTTPRequestHead
}
