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
final class ConnectionGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Longest request line (`GET /target HTTP/1.1`) accepted; longer gets 414.
    static let maximumRequestLine = 8192

    private let traffic: TrafficMeter
    private let headTimeout: TimeAmount
    private let serverHeader: String
    private let clock: any DecoyClock
    private var awaitingHead = true
    private var headBytes = 0
    private var requestLineEnded = false
    private var timer: Scheduled<Void>?
    private var closing = false

    init(traffic: TrafficMeter, headTimeout: TimeAmount, serverHeader: String, clock: any DecoyClock) {
        self.clock = clock
        self.traffic = traffic
        self.serverHeader = serverHeader
        self.headTimeout = headTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        armTimer(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        traffic.received(buffer.readableBytes)
        guard !closing else { return }
        if awaitingHead && !requestLineEnded {
            if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                requestLineEnded = true
                headBytes += newline - buffer.readerIndex
            } else {
                headBytes += buffer.readableBytes
            }
            if headBytes > Self.maximumRequestLine {
                reject(
                    context: context, status: "414 URI Too Long",
                    reason: "the request line is longer than \(Self.maximumRequestLine) bytes")
                return
            }
        } else if awaitingHead {
            headBytes += buffer.readableBytes
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        traffic.sent(unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? ConnectionEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch event {
        case .requestStarted:
            awaitingHead = false
            timer?.cancel()
            timer = nil
        case .responseCompleted:
            awaitingHead = true
            headBytes = 0
            requestLineEnded = false
            armTimer(context: context)
        }
        promise?.succeed()
    }

    private func armTimer(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: headTimeout) {
            self.timedOut(context: context)
        }
    }

    private func timedOut(context: ChannelHandlerContext) {
        guard awaitingHead, !closing else { return }
        if headBytes == 0 {
            closing = true
            context.close(promise: nil)
        } else {
            reject(context: context, status: "408 Request Timeout", reason: "the request head did not arrive in time")
        }
    }

    /// Answers with a plain error written straight to the socket and closes.
    private func reject(context: ChannelHandlerContext, status: String, reason: String) {
        closing = true
        timer?.cancel()
        let code = status.prefix(3)
        let body = "HTTP \(code). \(reason)\n"
        let text =
            "HTTP/1.1 \(status)\r\nServer: \(serverHeader)\r\nDate: \(CivilTime.httpDate(clock.nowMilliseconds()))\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(context.channel.allocator.buffer(string: text))))
            .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
