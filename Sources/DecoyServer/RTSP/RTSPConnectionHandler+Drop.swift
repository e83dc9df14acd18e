import DecoyFaults
import NIOCore

extension RTSPConnectionHandler {
    /// A `drop` action: ends this connection (reset or close) when `match` takes one of its
    /// sessions (by the facts of the PLAY or SETUP that made it) or, with no session, its client
    /// alone. The sessions it ends are journaled as ended by the fault `label`.
    func drop(matching match: FaultMatch, label: String, reset: Bool, context: ChannelHandlerContext) -> Bool {
        let facts = sessions.values.compactMap { $0.playFaults?.facts }
        let matched =
            facts.isEmpty ? match.onlyClient && match.matches(client: log.client) : facts.contains(where: match.matches)
        guard matched else { return false }
        for playback in sessions.values { playback.droppedBy = label }
        endAllSessions(.fault)
        closing = .fault
        if reset { ConnectionReset.reset(context.channel) } else { context.close(promise: nil) }
        return true
    }
}
