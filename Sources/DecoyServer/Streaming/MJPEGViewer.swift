import DecoyCore
import DecoyFaults
import NIOCore
import NIOHTTP1

/// One MJPEG viewer: newest frame wins. A frame is written only when the previous one has fully
/// left Decoy's buffers (the channel is writable, with a write-buffer watermark of one byte and
/// `TCP_NOTSENT_LOWAT` keeping the kernel's unsent backlog small), so a slow viewer skips frames
/// instead of queueing them: its memory stays bounded and what it sees stays recent.
///
/// Lives on its channel's event loop; never shared.
final class MJPEGViewer {
    /// A viewer that could not take a single byte for this long is closed (a vanished client).
    static let stallLimit = TimeAmount.seconds(30)

    private let context: ChannelHandlerContext
    private let group: ViewerGroup
    private var lastSequence: UInt64 = 0
    /// The viewer's rate (`framesPerSecond`), nil for every frame.
    private let rate: Int64?
    /// When the next frame may go, on the camera's frame numbers scaled by 2·rate (see `offer`).
    private var nextDue = Int64.min
    /// Since when the channel could not take a byte: real time, as it guards a real socket.
    private var blockedSince: NIODeadline?
    private(set) var framesSent = 0
    /// Real time: how long a real client watched.
    private let started = NIODeadline.now()
    /// The faults of this viewer; nil (every viewer outside a faulted scenario): none, no work.
    private let faults: StreamFaults?
    /// For the journal of stream sessions.
    private(set) var firstSequence: UInt64?
    private(set) var bytesSent: Int64 = 0
    /// Why Decoy ended the stream (nil: it has not; the client did, or the server closed it).
    private(set) var ending: StreamSession.Ending?
    /// The newest frame skipped because this viewer was busy: a drop unless it is sent once the
    /// viewer drains (it then takes the group's newest frame, often this one).
    private var skippedWhileBusy: UInt64?
    /// The exchange that opened the stream (its request, facts and fault plan).
    let exchange: CurrentExchange
    /// A cut put on the stream while it runs (`cut(afterFrames:…)`): the part count it ends at.
    private var cutAt: (parts: Int, reached: () -> Void)?
    /// The fault a cut added to the stream (for its journal entry).
    private(set) var addedFault: String?

    /// `framesPerSecond` nil = every frame the camera makes.
    init(
        context: ChannelHandlerContext, group: ViewerGroup, exchange: CurrentExchange, framesPerSecond: Int?,
        faults: StreamFaults?
    ) {
        self.context = context
        self.group = group
        self.exchange = exchange
        self.rate = framesPerSecond.map { Int64(max(1, $0)) }
        self.faults = faults
    }

    func start() { group.add(self) }

    /// Who watched what, for how long, and how many frames they got.
    var description: String {
        let seconds = Double((NIODeadline.now() - started).nanoseconds / 1_000_000) / 1000
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        return "to \(address) of \(group.cameraName) at \(group.variant): \(framesSent) frames in \(seconds) s"
    }

    /// Leaves the group; a frame still waiting for the viewer to drain is a drop now.
    func stop() {
        var tally = FrameTally()
        if skippedWhileBusy != nil { tally.dropped = 1 }
        skippedWhileBusy = nil
        group.remove(self, tally: tally)
    }

    /// Ends the stream because its camera went offline; closing leads back to `stop` through the handler.
    func endForOfflineCamera() { end(.cameraOffline) }

    var clientAddress: String { context.channel.remoteAddress?.ipAddress ?? "unknown" }
    var cameraName: String { group.cameraName }
    var variantDescription: String { group.variant.description }

    /// Whether this stream started before `other`.
    func startedBefore(_ other: MJPEGViewer) -> Bool { started < other.started }

    /// How long the stream has run.
    var milliseconds: Int64 { (NIODeadline.now() - started).nanoseconds / 1_000_000 }

    /// The last frame written (0: none).
    var lastSequenceSent: UInt64? { firstSequence == nil ? nil : lastSequence }

    private func end(_ reason: StreamSession.Ending) {
        if ending == nil { ending = reason }
        context.close(promise: nil)
    }

    /// The connection's byte budget (`closeAfterBytes`) ended the stream.
    func endedByFault() { if ending == nil { ending = .fault } }

    /// Ends the stream once `afterFrames` more parts are out (FIN, ended by `fault`); `reached`
    /// runs as the last one is written, before the close. A later cut replaces an earlier one.
    func cut(afterFrames: Int, label: String, reached: @escaping () -> Void) {
        cutAt = (framesSent + max(1, afterFrames), reached)
        addedFault = label
    }

    /// The channel drained: take the newest frame if it is new.
    func writabilityChanged() {
        if let latest = group.latest { group.count(offer(latest)) }
    }

    /// A new frame is available (on the loop): what became of it and of frames skipped before,
    /// for the group to count.
    @discardableResult
    func offer(_ frame: EncodedFrame) -> FrameTally {
        guard frame.sequence > lastSequence else { return FrameTally() }
        let now = NIODeadline.now()
        // Bytes a fault holds (a stall, pacing) are the fault's wait, not the client's.
        if let faults, faults.isHolding { return skipWhileBusy(frame) }
        guard context.channel.isWritable else {
            if let since = blockedSince {
                if now - since > Self.stallLimit { end(.timeout) }
            } else {
                blockedSince = now
            }
            return skipWhileBusy(frame)
        }
        blockedSince = nil
        if let rate {
            // Pace against a schedule (not the last send) so the average rate is the one asked for;
            // half a camera frame of slack keeps frames from just missing their slot. The schedule
            // counts the camera's frames (made at its fps on its clock), not time: a frame at
            // sequence s is at s/fps, so with everything scaled by 2·rate·fps a frame is s·2·rate,
            // the viewer's interval 2·fps and the slack rate; a virtual run paces viewers in virtual
            // time, and the same frames go to the same viewer whatever the machine's timing.
            let position = Int64(truncatingIfNeeded: frame.sequence) * 2 * rate
            guard position + rate >= nextDue else { return FrameTally() }
            // The camera's rate comes with each frame: a scenario may change it mid-stream.
            nextDue = max(nextDue, position - rate) + 2 * Int64(frame.framesPerSecond)
        }
        lastSequence = frame.sequence
        if firstSequence == nil { firstSequence = frame.sequence }
        // A busy skip of an older frame than this one was a drop; of this one, just a delay.
        var tally = FrameTally(dropped: skippedWhileBusy.map { $0 < frame.sequence ? 1 : 0 } ?? 0)
        skippedWhileBusy = nil
        guard let faults else {
            framesSent += 1
            bytesSent += Int64(frame.part.readableBytes)
            tally.sent = 1
            let part = NIOAny(HTTPServerResponsePart.body(.byteBuffer(frame.part)))
            guard let cut = cutAt, framesSent >= cut.parts else {
                context.writeAndFlush(part, promise: nil)
                return tally
            }
            cutAt = nil
            cut.reached()
            closeWhenOut(context.writeAndFlush(part))
            return tally
        }
        let written = faults.write(frame, partsSent: framesSent, context: context, limit: cutAt?.parts)
        framesSent += written.parts
        bytesSent += Int64(written.bytes)
        tally.sent = written.parts
        if let last = written.closeAfter {
            if let cut = cutAt, framesSent >= cut.parts {
                cutAt = nil
                cut.reached()
            }
            closeWhenOut(last)
        }
        return tally
    }

    /// A fault ends the stream: the connection closes once `last` is written.
    private func closeWhenOut(_ last: EventLoopFuture<Void>) {
        if ending == nil { ending = .fault }
        last.assumeIsolated().whenComplete { _ in self.context.close(promise: nil) }
    }

    /// `frame` waits for the viewer to drain; the one that waited before it is dropped for good.
    private func skipWhileBusy(_ frame: EncodedFrame) -> FrameTally {
        defer { skippedWhileBusy = frame.sequence }
        return FrameTally(dropped: skippedWhileBusy == nil || skippedWhileBusy == frame.sequence ? 0 : 1)
    }
}
