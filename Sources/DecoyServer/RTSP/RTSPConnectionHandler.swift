import DecoyCore
import DecoyFaults
import DecoyRTSP
import DecoyTinyCam
import Logging
import NIOCore

/// One RTSP connection: reads requests (and interleaved frames) with `RTSPMessageReader`, answers
/// them one at a time in order (pipelined requests wait their turn), and owns the connection's
/// sessions. Each answer is finished like an HTTP exchange: an access log line and a journal entry
/// once its bytes are out.
///
/// Sessions belong to their connection: when it closes, they end (ffmpeg, GStreamer and the
/// `axis` library keep one connection per session). A session over UDP ends too when its client
/// sends neither a request naming it nor RTCP for its timeout.
final class RTSPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Requests read but not answered yet, at most; a client that pipelines more is closed.
    static let maximumWaiting = 32

    let environment: RTSPEnvironment
    let log: ConnectionLog
    let logger: Logger
    private var reader = RTSPMessageReader()
    private var waiting: [RTSPRequest] = []
    private var answering = false
    private var inputClosed = false
    private var headTimer: Scheduled<Void>?
    private(set) var context: ChannelHandlerContext?
    /// The connection's sessions by id.
    var sessions: [String: RTSPPlayback] = [:]
    /// Why the connection closes, for the journal of its sessions (nil: the client closed it).
    var closing: StreamSession.Ending?
    var random = SystemRandomNumberGenerator()
    /// The connection's byte faults (bandwidth, byte budget, stall), once a faulted request needed it.
    var shaper: ByteShaper?

    init(environment: RTSPEnvironment, log: ConnectionLog, logger: Logger) {
        self.environment = environment
        self.log = log
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        environment.services.traffic.received(bytes.readableBytes)
        reader.append(bytes)
        while let event = reader.next() {
            switch event {
            case .request(let request):
                guard waiting.count < Self.maximumWaiting else {
                    logger.info("RTSP client \(log.client) pipelined over \(Self.maximumWaiting) requests: closed")
                    context.close(promise: nil)
                    return
                }
                waiting.append(request)
            case .interleaved(let frame):
                received(frame)
            case .failed(let error):
                refuseUnreadable(error, context: context)
                return
            }
        }
        armHeadTimer(context: context)
        answerNext()
    }

    /// A restart marks the sessions' ending; a client that half-closes gets the answers to what
    /// it sent, then the connection closes (nothing more can come).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ServerRestarting { closing = .restart }
        if let event = event as? ChannelEvent, case .inputClosed = event {
            inputClosed = true
            closeIfDone(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// After a half-close: closes once every request read is answered.
    private func closeIfDone(context: ChannelHandlerContext) {
        if inputClosed, !answering, waiting.isEmpty { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        headTimer?.cancel()
        endAllSessions(closing ?? .clientClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("RTSP connection error: \(error)")
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        context.fireChannelWritabilityChanged()
    }

    /// A request head that does not arrive within the head timeout closes the connection (a
    /// slow-loris client cannot hold it); an idle connection between requests is left alone.
    private func armHeadTimer(context: ChannelHandlerContext) {
        guard reader.bufferedByteCount > 0 else {
            headTimer?.cancel()
            headTimer = nil
            return
        }
        guard headTimer == nil else { return }
        headTimer = context.eventLoop.assumeIsolated().scheduleTask(in: environment.headTimeout) {
            self.headTimer = nil
            guard self.reader.bufferedByteCount > 0 else { return }
            self.logger.info("RTSP client \(self.log.client) sent part of a request and nothing more: closed")
            context.close(promise: nil)
        }
    }

    /// Interleaved data from the client: RTCP on a session's channel keeps it alive; anything else
    /// (data before PLAY, unknown channels) is ignored, as gst-rtsp-server does.
    private func received(_ frame: InterleavedFrame) {
        let now = environment.services.clock.nowMilliseconds()
        for playback in sessions.values where playback.rtcpChannels.contains(frame.channel) {
            if RTCPPacketSummary(frame.payload) != nil { playback.session.touch(atMilliseconds: now) }
        }
    }

    /// Bytes that are not RTSP: answered with the reader's status (CSeq echoed when found), closed.
    private func refuseUnreadable(_ error: RTSPReadError, context: ChannelHandlerContext) {
        let exchange = log.requestStarted()
        let arrived = log.stamp()
        let response = error.response
        let request = TinyCamRequest(method: "", target: "", clientAddress: log.client, wire: .rtsp)
        write(response, closing: true, context: context).assumeIsolated().whenComplete { result in
            self.finish(
                exchange, arrivedAt: arrived, request: request, response: response, user: nil,
                written: (try? result.get()) ?? nil)
        }
    }

    /// Answers the next waiting request unless one is being answered.
    private func answerNext() {
        guard !answering, let context, context.channel.isActive, !waiting.isEmpty else { return }
        answering = true
        let request = waiting.removeFirst()
        let arrived = log.stamp()
        let exchange = log.requestStarted()
        let apiRequest = request.apiRequest(client: log.client)
        let faults = RTSPExchangeFaults.decide(
            apiRequest, at: arrived.milliseconds, harness: log.harness, services: environment.services)
        let fault = faults?.plan.summary
        if faults?.plan.wire?.reset == true {
            log.finish(
                FinishedExchange(
                    id: exchange, arrivedAt: arrived, request: apiRequest, status: 0, bodyBytes: nil, bytesWritten: nil,
                    outcome: .reset, fault: fault), milliseconds: 0)
            ConnectionReset.reset(context.channel)
            return
        }
        guard applyByteFaults(faults?.plan.wire, context: context) else { return }
        let answer = {
            guard context.channel.isActive else { return }
            self.respond(to: request, apiRequest: apiRequest, faults: faults, context: context) { reply in
                self.send(
                    reply, for: apiRequest, exchange: exchange, arrivedAt: arrived, fault: fault, context: context)
            }
        }
        guard let latency = faults?.plan.latencyMilliseconds, latency > 0 else { return answer() }
        let bound = NIOLoopBound(answer, eventLoop: context.eventLoop)
        _ = environment.services.clock.schedule(afterMilliseconds: latency, on: context.eventLoop) { bound.value() }
    }

    /// Writes a reply and finishes its exchange; then the next waiting request is answered.
    private func send(
        _ reply: RTSPReply, for apiRequest: TinyCamRequest, exchange: ExchangeID, arrivedAt arrived: JournalStamp,
        fault: String?, context: ChannelHandlerContext
    ) {
        write(reply.response, closing: reply.response.closesConnection, context: context).assumeIsolated()
            .whenComplete { written in
                self.finish(
                    exchange, arrivedAt: arrived, request: apiRequest, response: reply.response, user: reply.user,
                    fault: fault, written: (try? written.get()) ?? nil)
                reply.afterWrite?()
                self.answering = false
                self.answerNext()
                self.closeIfDone(context: context)
            }
    }

    /// Installs or reconfigures the connection's `ByteShaper` for a request whose faults shape
    /// bytes (bandwidth, byte budget, stall); false when the connection failed.
    private func applyByteFaults(_ faults: ExchangeFaults?, context: ChannelHandlerContext) -> Bool {
        ByteShaper.configure(&shaper, for: faults, context: context)
    }

    /// Writes an answer; the future gives the bytes written once they are out (nil: the connection
    /// ended first). `closing` closes the connection after it.
    private func write(
        _ response: RTSPResponse, closing: Bool, context: ChannelHandlerContext
    ) -> EventLoopFuture<
        Int64?
    > {
        let bytes = response.encoded(
            server: environment.serverName, date: environment.date, allocator: context.channel.allocator)
        let count = Int64(bytes.readableBytes)
        countSent(count)
        let written = context.writeAndFlush(wrapOutboundOut(bytes)).map { Optional(count) }.recover { _ in nil }
        if closing {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
        return written
    }

    /// Counts bytes that left on the connection (traffic meter and the exchange's byte count).
    func countSent(_ count: Int64) {
        environment.services.traffic.sent(Int(count))
        log.bytesOut += count
    }

    /// The exchange's access log line and journal entry.
    private func finish(
        _ exchange: ExchangeID, arrivedAt: JournalStamp, request: TinyCamRequest, response: RTSPResponse,
        user: String?, fault: String? = nil, written: Int64?
    ) {
        log.finish(
            FinishedExchange(
                id: exchange, arrivedAt: arrivedAt, request: request, status: written == nil ? 0 : response.status.code,
                user: user, bodyBytes: Int64(response.body.count), bytesWritten: written,
                outcome: written == nil ? .unsent : .answered, fault: fault),
            accessStatus: response.status.code, milliseconds: log.now() - arrivedAt.milliseconds)
    }

    /// Ends every session (the connection is closing or closed), journaling each that played.
    func endAllSessions(_ ending: StreamSession.Ending) {
        for playback in sessions.values { playback.end(ending) }
        sessions.removeAll()
    }
}

/// What an RTSP request is answered with, and what happens once the answer is out.
struct RTSPReply {
    var response: RTSPResponse
    /// Who the API authenticated (for the access log and journal).
    var user: String?
    /// Runs once the answer is written (PLAY starts the packets after its answer).
    var afterWrite: (() -> Void)?

    init(_ response: RTSPResponse, user: String? = nil, afterWrite: (() -> Void)? = nil) {
        self.response = response
        self.user = user
        self.afterWrite = afterWrite
    }
}
