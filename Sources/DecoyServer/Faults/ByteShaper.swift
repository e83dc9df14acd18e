import DecoyFaults
import NIOCore

/// The byte-level faults of one connection, as an outbound handler at the very front of the
/// pipeline (under TLS: the encrypted bytes): pacing to a bandwidth, a stall, and a byte budget
/// after which the connection closes. Added only when a faulted answer needs it (never on an
/// unfaulted connection), it stays for the connection; each faulted answer resets its settings.
///
/// Bytes it holds are not seen by the channel's writability, so a writer that keeps newest-frame-
/// wins (the MJPEG viewer) also asks `isHolding` and is called back by `onDrained`. Write
/// promises complete when their bytes actually leave, so request/response ordering and
/// "close after the answer" keep working through it.
final class ByteShaper: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Paced bytes go out in slices, one per tick.
    static let tick = TimeAmount.milliseconds(50)
    /// A writer that ignores `isHolding` (a WAV stream under a bandwidth cap) cannot queue more than
    /// this: past it the connection closes, as a link that far behind would be dropped.
    static let maximumHeldBytes = 4 << 20

    private var context: ChannelHandlerContext?
    private var queue = CircularBuffer<(buffer: ByteBuffer, promise: EventLoopPromise<Void>?)>()
    private var bytesPerSecond: Int?
    /// Bytes still allowed before the connection closes; nil: no budget.
    private var budget: Int?
    /// A stall runs: bytes wait until its scheduled end (the loop's timer, no clock read here).
    private var stalled = false
    private var stallEnd: Scheduled<Void>?
    private var pump: Scheduled<Void>?
    private var closing = false
    private var heldBytes = 0
    /// Called (on the loop) when held bytes are all out, so a waiting writer sends again.
    var onDrained: (() -> Void)?
    /// Called (on the loop) when the byte budget closed the connection.
    var onBudgetClosed: (() -> Void)?
    /// Bytes let through since the current answer started (`answerStarted`).
    private var answerBytes: Int64 = 0
    /// When the budget closed the connection: how many bytes of the answer then being written
    /// got out (head included). Nil while the budget has not cut anything.
    private(set) var budgetCut: Int64?

    /// Whether bytes are held (queued or stalled): a newest-frame-wins writer waits meanwhile.
    var isHolding: Bool { !queue.isEmpty || stalled }

    /// Installs (at the front of the pipeline) or reconfigures a connection's shaper for the answer
    /// about to be written: a connection whose answers never had byte faults gets none. False when
    /// the shaper could not be added (the connection is then closed).
    static func configure(
        _ shaper: inout ByteShaper?, for faults: ExchangeFaults?, context: ChannelHandlerContext
    ) -> Bool {
        guard let faults, faults.shapesBytes else {
            shaper?.configure(ExchangeFaults())
            return true
        }
        if shaper == nil {
            let added = ByteShaper()
            do {
                try context.pipeline.syncOperations.addHandler(added, position: .first)
            } catch {
                context.close(promise: nil)
                return false
            }
            shaper = added
        }
        shaper?.configure(faults)
        return true
    }

    /// The byte faults of the answer about to be written (nil fields: off).
    func configure(_ faults: ExchangeFaults) {
        bytesPerSecond = faults.bytesPerSecond.map { max(1, $0) }
        budget = faults.closeAfterBytes
    }

    /// An answer's first byte is about to be written: its bytes are counted from here.
    func answerStarted() { answerBytes = 0 }

    /// Holds every byte written from now on for `milliseconds` (the connection stays open).
    func stall(milliseconds: Int64) {
        guard let context else { return }
        stalled = true
        pump?.cancel()
        pump = nil
        stallEnd?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        stallEnd = context.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) {
            let (shaper, context) = loopBound.value
            shaper.stalled = false
            shaper.stallEnd = nil
            shaper.drain(context: context)
        }
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        pump?.cancel()
        stallEnd?.cancel()
        failQueued()
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .byteBuffer(let buffer) = unwrapOutboundIn(data), !closing else {
            if closing {
                promise?.fail(ChannelError.ioOnClosedChannel)
            } else {
                context.write(data, promise: promise)
            }
            return
        }
        if queue.isEmpty && !stalled && bytesPerSecond == nil {
            send(buffer, promise: promise, context: context)
        } else {
            queue.append((buffer, promise))
            heldBytes += buffer.readableBytes
            guard heldBytes <= Self.maximumHeldBytes else {
                close(context: context, mode: .all, promise: nil)
                return
            }
            if pump == nil && !stalled { drain(context: context) }
        }
    }

    func flush(context: ChannelHandlerContext) { context.flush() }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .all {
            closing = true
            pump?.cancel()
            pump = nil
            stallEnd?.cancel()
            failQueued()
        }
        context.close(mode: mode, promise: promise)
    }

    /// Writes what the budget allows; past it, the rest is dropped and the connection closes.
    private func send(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        guard let left = budget, buffer.readableBytes >= left else {
            budget = budget.map { $0 - buffer.readableBytes }
            answerBytes += Int64(buffer.readableBytes)
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
            return
        }
        let allowed = buffer.getSlice(at: buffer.readerIndex, length: left)!
        budget = 0
        budgetCut = answerBytes + Int64(left)
        let closed = context.writeAndFlush(wrapOutboundOut(.byteBuffer(allowed)))
        promise?.fail(ChannelError.outputClosed)
        closing = true
        failQueued()
        onBudgetClosed?()
        closed.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// Sends one tick's worth of held bytes (all of them when only a stall held them), then
    /// schedules the next tick while bytes remain.
    private func drain(context: ChannelHandlerContext) {
        pump = nil
        guard !stalled else { return }
        var allowance = bytesPerSecond.map { max(1, $0 * Int(Self.tick.nanoseconds / 1_000_000) / 1000) } ?? Int.max
        while allowance > 0, !closing, var head = queue.first {
            if head.buffer.readableBytes <= allowance {
                allowance -= head.buffer.readableBytes
                heldBytes -= head.buffer.readableBytes
                queue.removeFirst()
                send(head.buffer, promise: head.promise, context: context)
            } else {
                let slice = head.buffer.readSlice(length: allowance)!
                heldBytes -= allowance
                allowance = 0
                queue[queue.startIndex] = head
                send(slice, promise: nil, context: context)
            }
        }
        guard !closing else { return }
        context.flush()
        if queue.isEmpty {
            onDrained?()
        } else {
            schedulePump(context: context, in: Self.tick)
        }
    }

    private func schedulePump(context: ChannelHandlerContext, in delay: TimeAmount) {
        pump?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        pump = context.eventLoop.scheduleTask(in: delay) {
            let (shaper, context) = loopBound.value
            shaper.drain(context: context)
        }
    }

    private func failQueued() {
        heldBytes = 0
        while let entry = queue.popFirst() { entry.promise?.fail(ChannelError.ioOnClosedChannel) }
    }
}
