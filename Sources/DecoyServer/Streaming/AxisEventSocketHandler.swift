import DecoyTinyCam
import NIOCore
import NIOWebSocket

/// One VAPIX event WebSocket after the upgrade: answers each text message (`events:configure`
/// starts or replaces the subscription; anything else gets its JSON error and changes nothing),
/// sends the subscription's `events:notify` messages, answers pings, and closes on a close frame,
/// a binary message or a bad frame.
///
/// Bounded whatever the client does: frames and messages are size-limited before they reach
/// here, a subscription's changes coalesce while the socket is full (`AxisEventFeed`), and a
/// client that keeps sending while it does not read what it is sent (a configure storm) is closed
/// with 1008, so answers cannot pile up.
final class AxisEventSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let request: AxisEventSocketRequest
    private let onClose: () -> Void
    private var feed: AxisEventFeed?
    private var closing = false
    private var stopped = false
    /// The upgrade's exchange (its facts, for `drop`) and the connection's log (for the journal).
    let exchange: CurrentExchange
    let log: ConnectionLog
    /// What the journal's stream session says of it (`AxisEventSocketHandler+Journal.swift`).
    var session = EventSocketSession()

    init(request: AxisEventSocketRequest, exchange: CurrentExchange, log: ConnectionLog, onClose: @escaping () -> Void)
    {
        self.request = request
        self.exchange = exchange
        self.log = log
        self.onClose = onClose
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard context.channel.isWritable || frame.opcode == .connectionClose else {
            return close(code: .policyViolation, context: context)
        }
        switch frame.opcode {
        case .text:
            var payload = frame.unmaskedData
            answer(payload.readString(length: payload.readableBytes) ?? "", context: context)
        case .binary:
            send(AxisEventSocketMessages.binaryRefused, context: context)
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            session.clientEnded = true
            close(code: .normalClosure, context: context)
        default:
            break
        }
    }

    /// A restart is closing the connection: the journal says so.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ServerRestarting { session.closedByRestart = true }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { stop() }

    /// Frame errors not already answered by NIO's protocol-error handler (a message too large
    /// once reassembled): close with 1009 and a reason.
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        session.clientEnded = true
        if error is NIOWebSocketError {
            stop()
            return
        }
        close(code: .messageTooLarge, context: context)
    }

    private func answer(_ text: String, context: ChannelHandlerContext) {
        switch AxisEventSocketMessages.read(text) {
        case .invalid(let reply):
            send(reply, context: context)
        case .configure(let filter, let reply):
            send(reply, context: context)
            feed?.cancel()
            let subscription = AxisEventSubscription(catalog: request.service.catalog, filter: filter)
            let feed = AxisEventFeed(
                subscription: subscription, clock: request.service.clock, on: context.eventLoop,
                faults: request.service.faults
            ) {
                notifications in
                guard context.channel.isWritable else { return false }
                for notification in notifications {
                    self.send(AxisEventSocketMessages.notify(notification), context: context, flush: false)
                    self.session.notificationsSent += 1
                }
                context.flush()
                return true
            }
            self.feed = feed
            feed.start()
        }
    }

    private func send(_ text: String, context: ChannelHandlerContext, flush: Bool = true) {
        guard !closing else { return }
        let frame = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: text))
        session.bytesSent += Int64(frame.length)
        if flush {
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        } else {
            context.write(wrapOutboundOut(frame), promise: nil)
        }
    }

    private func close(code: WebSocketErrorCode, context: ChannelHandlerContext) {
        if code == .policyViolation { session.clientEnded = true }
        stop()
        guard !closing else { return }
        closing = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        context.writeAndFlush(wrapOutboundOut(frame)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Ends the subscription and gives back the stream's place, once.
    private func stop() {
        feed?.cancel()
        feed = nil
        guard !stopped else { return }
        stopped = true
        request.lease.release()
        journal()
        onClose()
    }
}
