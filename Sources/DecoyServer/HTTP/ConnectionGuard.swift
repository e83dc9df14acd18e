import DecoyCore
import NIOCore

/// Events the HTTP handler sends down the pipeline to the connection guard.
enum ConnectionEvent {
    /// A complete request head arrived: the head-read timer stops.
    case requestStarted
    /// The answer was sent and the connection stays open: the next head must arrive in time.
    case responseCompleted
}

/// Guards one connection before the HTTP parser sees its bytes: counts traffic, answers an
/// over-long request line with 414, and closes connections that take too long to send a request
/// head (408 when they sent part of one; silently when idle between keep-alive requests), so
/// thousands of idle or slow-loris connections cannot hold the server.
///
/// What it knows is a `ConnectionGuardState`; this handler only feeds it events and carries out
/// the actions it returns.
final class ConnectionGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Longest request line (`GET /target HTTP/1.1`) accepted; longer gets 414.
    static let maximumRequestLine = ConnectionGuardState.maximumRequestLine

    private let traffic: TrafficMeter
    private let headTimeout: TimeAmount
    private let log: ConnectionLog
    private var state = ConnectionGuardState()
    private var timer: Scheduled<Void>?

    init(traffic: TrafficMeter, headTimeout: TimeAmount, log: ConnectionLog) {
        self.traffic = traffic
        self.headTimeout = headTimeout
        self.log = log
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(state.activated(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(state.closed(), context: context)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        traffic.received(buffer.readableBytes)
        let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")).map { $0 - buffer.readerIndex }
        switch state.received(count: buffer.readableBytes, newlineOffset: newline) {
        case .forward: context.fireChannelRead(data)
        case let action: perform(action, context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let count = unwrapOutboundIn(data).readableBytes
        traffic.sent(count)
        log.bytesOut += Int64(count)
        context.write(data, promise: promise)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? ConnectionEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch event {
        case .requestStarted: perform(state.requestStarted(), context: context)
        case .responseCompleted: perform(state.responseCompleted(), context: context)
        }
        promise?.succeed()
    }

    private func perform(_ action: ConnectionGuardState.Action, context: ChannelHandlerContext) {
        switch action {
        case .none, .forward, .drop:
            break
        case .armTimer:
            timer?.cancel()
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: headTimeout) {
                self.perform(self.state.timerFired(), context: context)
            }
        case .cancelTimer:
            timer?.cancel()
            timer = nil
        case .closeQuietly:
            timer?.cancel()
            context.close(promise: nil)
        case .reject(let rejection):
            timer?.cancel()
            reject(rejection, context: context)
        }
    }

    /// Answers with a transport error written straight to the socket (the HTTP encoder is above
    /// this handler), records it, and closes.
    private func reject(_ rejection: TransportRejection, context: ChannelHandlerContext) {
        let response = rejection.response(log.serverConfig)
        log.transportAnswered(log.unreadExchange, response)
        let bytes = AnswerFraming.closingBytes(response, date: log.httpDate, allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(bytes))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
