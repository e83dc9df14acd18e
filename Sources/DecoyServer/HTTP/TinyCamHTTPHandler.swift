import DecoyCore
import DecoyFaults
import DecoyTinyCam
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Turns decoded HTTP requests into `TinyCamRequest` values, asks the fault layer for the
/// exchange's plan (with a harness), applies it — a delay, a reset, an answer instead of the
/// API's — asks the responder, and writes the answer: fixed bodies and files with
/// `Content-Length` (keep-alive honoured; files streamed from disk chunk by chunk), MJPEG and WAV
/// streams close-delimited. Each exchange is finished in `ConnectionLog` once what was written
/// is known (its last byte out, or the connection gone first), so the journal says what the
/// client actually got.
final class TinyCamHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Request bodies are not part of tinyCam's API; a small one is read and ignored, a large one refused.
    static let maximumBodyBytes = 64 * 1024

    private let responder: any TinyCamResponder
    let services: TinyCamServices
    private let viewers: ViewerDirectory
    private let fileThreads: NIOThreadPool
    /// Carries out what answers ask of the server (`restart.cgi`).
    private let control: any ServerControl
    private let logger: Logger
    /// This connection's id and where its exchanges are finished.
    let log: ConnectionLog
    /// Where the connection is in its request/answer cycle: every decision is this value's.
    private var state = ExchangeState(maximumBodyBytes: maximumBodyBytes)
    /// The exchange (connection and request id) of the request being read.
    private var exchange: ExchangeID
    /// The exchange being delayed, answered or streamed; nil once finished.
    var current: CurrentExchange?
    /// A fault's latency holding the current request back.
    private var delay: ClockTimer?
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
    /// This connection's byte shaper, once a faulted answer needed one.
    var shaper: ByteShaper?
    /// A restart is closing this connection (`ServerRestarting`), for the journal of its stream.
    var closedByRestart = false
    /// A `drop` action is ending the connection: its label, for the journal of its stream.
    var droppedBy: String?

    init(
        responder: any TinyCamResponder, services: TinyCamServices, viewers: ViewerDirectory,
        fileThreads: NIOThreadPool, control: any ServerControl, logger: Logger, log: ConnectionLog
    ) {
        self.responder = responder
        self.services = services
        self.viewers = viewers
        self.fileThreads = fileThreads
        self.control = control
        self.logger = logger
        self.log = log
        self.exchange = log.pendingExchange
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
    /// stream keeps going (the client can still read); an idle connection closes at once; a request
    /// a fault still holds back is abandoned (the client gave up on it).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ServerRestarting {
            closedByRestart = true
            return
        }
        guard let event = event as? ChannelEvent, case .inputClosed = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch state.inputEnded() {
        case .close: context.close(promise: nil)
        case .cancelAnswer:
            abandon()
            context.close(promise: nil)
        default: break
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            viewer?.writabilityChanged()
            listener?.writabilityChanged()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state.closed() == .cancelAnswer { abandon() }
        endStream()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { endStream() }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("connection error: \(error)")
        if state.errorCaught() == .close { context.close(promise: nil) }
    }

    /// The client is gone before its answer went out: whatever the answer still awaits (a fault's
    /// latency, the API) is cancelled, so nothing past this point happens on its behalf, and the
    /// exchange is finished as unsent. An answer the API still returns is dropped unwritten.
    private func abandon() {
        delay?.cancel()
        delay = nil
        // The API's answer still comes back (cancelled work returns early) and is finished then,
        // unwritten, with the status it had; an answer being written is finished by its writer.
        let apiWorking = answerTask != nil
        answerTask?.cancel()
        answerTask = nil
        guard let current, !current.writing, !apiWorking else { return }
        self.current = nil
        finish(current, sent: nil, outcome: .unsent)
    }

    /// The body passed the limit: 413 (from the transport, recorded as such), then close.
    private func rejectBody(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let exchange = self.exchange
        let response = TransportRejection.bodyTooLarge.response(services.config.server)
        var headers = HTTPHeaders(response.headers)
        headers = AnswerFraming.headers(
            headers, status: response.status, date: log.httpDate, contentLength: response.bodyLength, keepAlive: false)
        writeHead(HTTPResponseStatus(response.status), headers, for: head, context: context)
        if let body = response.bodyBytes { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        _ = end(keepAlive: false, context: context)
        log.transportAnswered(exchange, response, method: head.method.rawValue, target: head.uri)
    }

    private func dispatch(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let request = TinyCamRequest(
            method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) },
            clientAddress: context.channel.remoteAddress?.ipAddress ?? "unknown", body: state.takeBody())
        let exchange = CurrentExchange(
            id: exchange, request: request, head: head, arrivedAt: log.stamp(), harness: log.harness,
            services: services)
        current = exchange
        let latency = exchange.plan.latencyMilliseconds
        guard latency > 0 else { return answer(context: context) }
        state.delayStarted()
        // On the server's clock: a virtual run's latency is virtual time too.
        let handler = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        delay = services.clock.schedule(afterMilliseconds: latency, on: context.eventLoop) {
            let (handler, context) = handler.value
            handler.delay = nil
            guard handler.state.delayEnded() == .dispatch else { return }
            handler.answer(context: context)
        }
    }

    /// The plan's reset, the answer it gives instead of the API's, or the API's answer.
    private func answer(context: ChannelHandlerContext) {
        guard let current else { return }
        if current.plan.wire?.reset == true {
            self.current = nil
            ConnectionReset.reset(context.channel)
            finish(current, sent: nil, outcome: .reset)
            return
        }
        if let replacement = current.answerFaults?.replacement { return answerReady(replacement, context: context) }
        let responder = self.responder
        let request = current.request
        let promise = context.eventLoop.makePromise(of: TinyCamResponse.self)
        answerTask = promise.completeWithTask { await responder.handle(request) }
        promise.futureResult.assumeIsolated().whenSuccess { response in
            self.answerTask = nil
            self.answerReady(response, context: context)
        }
    }

    private func answerReady(_ made: TinyCamResponse, context: ChannelHandlerContext) {
        guard var current else { return }
        var response = made
        current.fault = current.answerFaults.map { $0.finish(&response, at: log.now()) } ?? current.plan.summary
        self.current = current
        switch state.answerReady(endless: response.isEndless) {
        case .write(let keepAlive):
            guard applyWireFaults(current.plan.wire, context: context) else { return }
            write(response, keepAlive: keepAlive, context: context)
            if response.effect == .restartServer { control.scheduleRestart() }
        case .discard:
            // The client reset while the answer was made: nothing is written or started.
            self.current = nil
            finish(current, sent: nil, outcome: .unsent, accessStatus: response.status.code)
        default:
            return
        }
    }

    /// Writes `response` for the current exchange and finishes the exchange once known how it went
    /// out (a file that cannot be opened any more becomes a 404).
    private func write(_ response: TinyCamResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        guard var current else { return }
        current.writing = true
        self.current = current
        let head = current.head
        var headers = HTTPHeaders(response.headers)
        let date = log.httpDate
        let status = HTTPResponseStatus(response.status)
        let media = current.plan.wire?.media
        switch response.body {
        case .bytes(let original):
            let damaged = SnapshotFaults(media, body: original, headers: headers, keepAlive: keepAlive)
            let (body, keepAlive) = (damaged.body, damaged.keepAlive)
            headers.add(contentsOf: damaged.extraHeaders)
            headers = AnswerFraming.headers(
                headers, status: response.status, date: date, contentLength: damaged.contentLength.map { Int64($0) },
                keepAlive: keepAlive)
            let counter = AnswerBytes(log: log, shaper: shaper, headers: headers)
            var last = writeHead(status, headers, for: head, context: context)
            stallAfterHead()
            if body.readableBytes > 0 && head.method != .HEAD {
                last = context.write(wrapOutboundOut(.body(.byteBuffer(body))))
            }
            endAndFinish(keepAlive: keepAlive, response, counter, lastWrite: last, context: context)
        case .file(let file):
            headers = AnswerFraming.headers(
                headers, status: response.status, date: date, contentLength: file.length, keepAlive: keepAlive)
            // HEAD never touches the file: the responder's `stat` gave everything the head says.
            guard head.method != .HEAD && file.length > 0 else {
                let counter = AnswerBytes(log: log, shaper: shaper, headers: headers)
                let last = writeHead(status, headers, for: head, context: context)
                endAndFinish(keepAlive: keepAlive, response, counter, lastWrite: last, context: context)
                return
            }
            let answer = FileAnswerHead(status: status, headers: headers, response: response, request: head)
            sendFile(file, answer, keepAlive, context)
        case .mjpeg(let stream):
            if let media { headers = HTTPHeaders(media.streamHeaders(headers.map { $0 })) }
            headers = AnswerFraming.headers(
                headers, status: response.status, date: date, contentLength: nil, keepAlive: false)
            let streaming = writeStreamHead(status, headers, for: head, context: context)
            finishStreamHead(response)
            if streaming { startStream(stream, context: context) }
        case .audio(let stream):
            headers = AnswerFraming.headers(
                headers, status: response.status, date: date, contentLength: nil, keepAlive: false)
            let streaming = writeStreamHead(status, headers, for: head, context: context)
            finishStreamHead(response)
            if streaming { startAudio(stream, context: context) }
        case .eventSocket(let socket):
            // The API accepted a WebSocket upgrade: 101, then the connection speaks WebSocket frames.
            headers = EventSocketUpgrade.headers(headers, key: socket.key, date: date)
            writeHead(status, headers, for: head, context: context)
            finishStreamHead(response)
            services.counters.streamOpened()
            let services = self.services
            EventSocketUpgrade.switchProtocols(
                context: context, httpHandler: self, request: socket, exchange: current, log: log
            ) { services.counters.streamClosed() }
        case .rtspMedia:
            // The API gives the media URL only to RTSP requests; should one come here, it is no page.
            write(
                .text(.notFound, "No such page: \(head.uri) is served over RTSP only"), keepAlive: keepAlive,
                context: context)
        }
    }

    /// Ends a fixed answer and finishes its exchange when its last byte-carrying write is done
    /// (`lastWrite`; the end of a `Content-Length` answer carries none, and a client that closes as
    /// soon as it has the body must not make a whole answer look cut): answered with the bytes
    /// handed over, or cut (with what a byte budget let through, when one cut it). The exchange is
    /// taken first: writing the end may hand the client's next (pipelined) request over at once,
    /// and that one becomes the current exchange.
    private func endAndFinish(
        keepAlive: Bool, _ response: TinyCamResponse, _ counter: AnswerBytes, lastWrite: EventLoopFuture<Void>,
        context: ChannelHandlerContext
    ) {
        guard let current else { return }
        self.current = nil
        let handed = counter.handed()
        let shaper = self.shaper
        _ = end(keepAlive: keepAlive, context: context)
        lastWrite.assumeIsolated().whenComplete { result in
            switch result {
            case .success:
                self.finish(current, sent: response, outcome: .answered, bytesWritten: handed)
            case .failure:
                self.finish(current, sent: response, outcome: .cut, bytesWritten: shaper?.budgetCut)
            }
        }
    }

    /// A stream's exchange is finished once its head is out; the rest is its stream session.
    private func finishStreamHead(_ response: TinyCamResponse) {
        guard let current else { return }
        finish(current, sent: response, outcome: .streaming)
    }

    /// Finishes `exchange` in the connection's log: what was sent (nil: nothing), and how.
    private func finish(
        _ exchange: CurrentExchange, sent: TinyCamResponse?, outcome: FinishedExchange.Outcome,
        bytesWritten: Int64? = nil, accessStatus: Int? = nil
    ) {
        let finished = FinishedExchange(
            id: exchange.id, arrivedAt: exchange.arrivedAt, request: exchange.request, status: sent?.status.code ?? 0,
            user: sent?.user, bodyBytes: sent.map { exchange.head.method == .HEAD ? 0 : $0.bodyLength } ?? nil,
            bytesWritten: bytesWritten, outcome: outcome,
            fault: [exchange.fault, droppedBy].compactMap { $0 }.joined(separator: "; ").nilIfEmpty)
        log.finish(
            finished, accessStatus: accessStatus, accessBytes: sent?.bodyLength,
            milliseconds: (NIODeadline.now() - exchange.started).nanoseconds / 1_000_000)
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

    @discardableResult
    private func writeHead(
        _ status: HTTPResponseStatus, _ headers: HTTPHeaders, for head: HTTPRequestHead, context: ChannelHandlerContext
    ) -> EventLoopFuture<Void> {
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))))
    }

    /// Ends the answer: the next request may come (keep-alive), or the connection closes. Returns
    /// when the end is written. The state moves on before the end is written: writing it lets NIO's
    /// pipelining helper hand over the client's next request at once.
    private func end(keepAlive: Bool, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
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
        return done
    }

    /// Opens the file, then writes the head and streams the body. A file that cannot be opened
    /// (gone since the responder's `stat`) is answered with a 404 instead, as no byte is out yet;
    /// one that fails midway closes the connection (its `Content-Length` cannot be kept).
    private func sendFile(
        _ file: FileBody, _ answer: FileAnswerHead, _ keepAlive: Bool, _ context: ChannelHandlerContext
    ) {
        let writer = FileBodyWriter(context: context, body: file, threadPool: fileThreads)
        fileWriter = writer
        var counter: AnswerBytes?
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
                self.write(missing, keepAlive: keepAlive, context: context)
                return false
            }
            // The client may have gone while the file was opened: then no byte is read.
            guard self.state.phase == .writing else { return false }
            counter = AnswerBytes(log: self.log, shaper: self.shaper, headers: answer.headers)
            self.writeHead(answer.status, answer.headers, for: answer.request, context: context)
            self.stallAfterHead()
            return true
        } finished: { complete in
            self.fileWriter = nil
            if complete {
                guard let counter else { return }
                // Every chunk was written: the file's body went out whole.
                self.endAndFinish(
                    keepAlive: keepAlive, answer.response, counter,
                    lastWrite: context.eventLoop.makeSucceededVoidFuture(),
                    context: context)
            } else {
                if let current = self.current {
                    self.current = nil
                    self.finish(current, sent: answer.response, outcome: .cut, bytesWritten: self.shaper?.budgetCut)
                }
                context.close(promise: nil)
            }
        }
    }

    private func startStream(_ stream: MJPEGStreamRequest, context: ChannelHandlerContext) {
        guard let current else { return }
        let media = current.plan.wire?.media
        if let text = media.map({ $0.preamble }) ?? MJPEGFraming.preamble {
            let preamble = context.channel.allocator.buffer(string: text)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(preamble))), promise: nil)
        }
        StreamSocket.configure(context.channel)
        services.counters.streamOpened()
        let group = viewers.group(for: stream.camera, variant: stream.variant, on: context.eventLoop)
        let viewer = MJPEGViewer(
            context: context, group: group, exchange: current, framesPerSecond: stream.framesPerSecond,
            faults: streamFaults(current))
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

    /// The stream is over (client gone, restart, shutdown, a fault): leave the camera, count it
    /// out, journal its session.
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
}

/// The exchange a connection is delaying, answering or streaming: its request, its facts and the
/// fault plan decided for it once, carried to every place that applies a part of the plan.
struct CurrentExchange {
    let id: ExchangeID
    let request: TinyCamRequest
    let head: HTTPRequestHead
    /// When it arrived, in run time and order (for the journal).
    let arrivedAt: JournalStamp
    /// Real time, for the access log's duration.
    let started = NIODeadline.now()
    /// Its facts (with a harness), for the fault layer and for actions on open streams.
    let facts: ExchangeFacts?
    let plan: FaultPlan
    /// The answer-level part of the plan; nil without a fault layer.
    let answerFaults: AnswerFaults?
    /// What the journal says was applied, once the answer is made.
    var fault: String?
    /// Its answer is being written (then the writer, not the connection's end, finishes it).
    var writing = false

    /// An exchange with no harness: no facts, no faults.
    init(id: ExchangeID, request: TinyCamRequest, head: HTTPRequestHead, arrivedAt: JournalStamp) {
        self.init(id: id, request: request, head: head, arrivedAt: arrivedAt, facts: nil, faults: nil, server: nil)
    }

    /// An exchange described for the harness and, with a fault layer, decided.
    init(
        id: ExchangeID, request: TinyCamRequest, head: HTTPRequestHead, arrivedAt: JournalStamp,
        harness: TransportHarness?,
        services: TinyCamServices
    ) {
        let facts = harness.map { _ in
            ExchangeFacts(
                http: request, tokens: services.authenticator.tokens, users: services.config.users,
                cameraIDs: services.cameras.cameras.map(\.config.id), at: arrivedAt.milliseconds)
        }
        self.init(
            id: id, request: request, head: head, arrivedAt: arrivedAt, facts: facts, faults: harness?.faults,
            server: services.config.server)
    }

    private init(
        id: ExchangeID, request: TinyCamRequest, head: HTTPRequestHead, arrivedAt: JournalStamp, facts: ExchangeFacts?,
        faults: FaultLayer?, server: ServerConfig?
    ) {
        self.id = id
        self.request = request
        self.head = head
        self.arrivedAt = arrivedAt
        self.facts = facts
        if let faults, let facts, let server {
            let plan = faults.decide(facts)
            self.plan = plan
            answerFaults = AnswerFaults(plan: plan, facts: facts, faults: faults, server: server)
        } else {
            plan = FaultPlan()
            answerFaults = nil
        }
        fault = plan.summary
    }
}

/// Counts the bytes one answer hands to the connection (head and body, as encoded): taken before
/// its first write and read before its end is written (then only a chunked answer's last chunk,
/// `0\r\n\r\n`, is still to come).
struct AnswerBytes {
    private let log: ConnectionLog
    private let start: Int64
    private let endBytes: Int64

    init(log: ConnectionLog, shaper: ByteShaper?, headers: HTTPHeaders) {
        self.log = log
        self.start = log.bytesOut
        let chunked = headers["Transfer-Encoding"].contains { $0.lowercased() == "chunked" }
        endBytes = chunked ? 5 : 0
        shaper?.answerStarted()
    }

    /// The answer's bytes, its end included.
    func handed() -> Int64 { log.bytesOut - start + endBytes }
}

extension TinyCamResponse {
    /// MJPEG and WAV answers never end by themselves.
    fileprivate var isEndless: Bool {
        switch body {
        case .mjpeg, .audio, .eventSocket: true
        case .bytes, .file, .rtspMedia: false
        }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension HTTPResponseStatus {
    init(_ status: HTTPStatus) { self.init(statusCode: status.code, reasonPhrase: status.reason) }
}

/// The head of a file answer, written once the file is open.
private struct FileAnswerHead {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let response: TinyCamResponse
    let request: HTTPRequestHead
}
