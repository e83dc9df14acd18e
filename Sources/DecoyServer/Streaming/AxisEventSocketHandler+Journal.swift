import DecoyFaults
import NIOCore

/// What the journal records of one event WebSocket: a stream session (no camera, variant
/// `events`, transport `websocket`) whose frames are the `events:notify` messages sent, and why it
/// ended — so a scenario can see a client subscribe, lose its stream and subscribe again.
struct EventSocketSession {
    var notificationsSent = 0
    /// Text bytes sent (answers and notifications, without WebSocket framing).
    var bytesSent: Int64 = 0
    let started = NIODeadline.now()
    /// A `drop` action ended it: its label.
    var droppedBy: String?
    var closedByRestart = false
    /// The client closed it, broke the protocol or kept sending without reading.
    var clientEnded = false

    var ending: StreamSession.Ending {
        if droppedBy != nil { return .fault }
        if closedByRestart { return .restart }
        return clientEnded ? .clientClosed : .serverClosed
    }
}

extension AxisEventSocketHandler {
    /// Records the session in the journal (with a harness), once, as it ends.
    func journal() {
        guard let journal = log.harness?.journal else { return }
        let fault = [exchange.plan.wire?.label, session.droppedBy].compactMap { $0 }.filter { !$0.isEmpty }
        journal.record(
            StreamSession(
                startedAt: exchange.arrivedAt, client: log.client, cameraName: "", variant: "events",
                target: exchange.request.target, framesSent: session.notificationsSent, firstSequence: nil,
                lastSequence: nil, bytesSent: session.bytesSent,
                durationMilliseconds: (NIODeadline.now() - session.started).nanoseconds / 1_000_000,
                fault: fault.isEmpty ? nil : fault.joined(separator: "; "), ending: session.ending, wire: .http,
                transport: "websocket"))
    }

    /// A `drop` action: ends this event stream (reset or close) when `match` takes its upgrade
    /// request. Whether it was dropped.
    func drop(matching match: FaultMatch, label: String, reset: Bool, context: ChannelHandlerContext) -> Bool {
        guard let facts = exchange.facts, match.matches(facts) else { return false }
        session.droppedBy = label
        if reset { ConnectionReset.reset(context.channel) } else { context.close(promise: nil) }
        return true
    }
}
