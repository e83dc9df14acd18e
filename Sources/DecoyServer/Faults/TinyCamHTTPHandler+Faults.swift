import DecoyFaults
import NIOCore

/// The handler's part in applying a plan's wire faults and in actions on open connections: each
/// is one branch when the exchange has no faults.
extension TinyCamHTTPHandler {
    /// Installs or reconfigures this connection's `ByteShaper` for the answer about to be written
    /// (a connection that never had byte faults has none). False when the connection failed.
    func applyWireFaults(_ faults: ExchangeFaults?, context: ChannelHandlerContext) -> Bool {
        ByteShaper.configure(&shaper, for: faults, context: context)
    }

    /// `stall`: the head is out; hold the body (a stream stalls after its first frame instead).
    func stallAfterHead() {
        guard let milliseconds = current?.plan.wire?.stallMilliseconds, let shaper else { return }
        shaper.stall(milliseconds: milliseconds)
    }

    /// The faults of a stream starting now; nil for an unfaulted one. When its frame limit is
    /// reached with a `rejectStreamToken` on it, the token is revoked before the close.
    func streamFaults(_ exchange: CurrentExchange) -> StreamFaults? {
        guard let plan = exchange.plan.wire else { return nil }
        let revoke = plan.revokesToken.map { token in { self.revokeIfDoomed(token) } }
        return StreamFaults(plan: plan, shaper: shaper, onFrameLimit: revoke)
    }

    /// A stream with a `rejectStreamToken` reached its last frame: its token goes now.
    func revokeIfDoomed(_ token: String) {
        guard let faults = log.harness?.faults, faults.streamReachedFrameLimit(token: token) else { return }
        services.authenticator.tokens.revoke(token)
    }

    /// Hooks the shaper's callbacks to the viewer (a drained shaper lets it send the newest frame).
    func connect(_ viewer: MJPEGViewer) {
        shaper?.onDrained = { [weak viewer] in viewer?.writabilityChanged() }
        shaper?.onBudgetClosed = { [weak viewer] in viewer?.endedByFault() }
    }

    /// The stream ended: its session goes to the journal (with a harness).
    func journalStream(_ viewer: MJPEGViewer) {
        shaper?.onDrained = nil
        guard let journal = log.harness?.journal else { return }
        let ending =
            viewer.ending
            ?? (droppedBy != nil
                ? .fault : closedByRestart ? .restart : inputClosed || failed ? .clientClosed : .serverClosed)
        let fault = [viewer.exchange.plan.wire?.label, viewer.addedFault, droppedBy].compactMap { $0 }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        journal.record(
            StreamSession(
                startedAt: viewer.exchange.arrivedAt, client: viewer.clientAddress, cameraName: viewer.cameraName,
                variant: viewer.variantDescription, target: viewer.exchange.request.target,
                framesSent: viewer.framesSent, firstSequence: viewer.firstSequence,
                lastSequence: viewer.lastSequenceSent, bytesSent: viewer.bytesSent,
                durationMilliseconds: viewer.milliseconds, fault: fault.isEmpty ? nil : fault, ending: ending))
    }

    /// A `drop` action: ends this connection (reset or close) when `match` takes what it is doing
    /// now — its stream or the request it is answering; an idle connection only by its client.
    /// The session it ends is journaled with `label`. Whether it was dropped.
    func drop(matching match: FaultMatch, label: String, reset: Bool, context: ChannelHandlerContext) -> Bool {
        let matched =
            if let facts = current?.facts { match.matches(facts) } else {
                match.onlyClient && match.matches(client: log.client)
            }
        guard matched else { return false }
        droppedBy = label
        if reset { ConnectionReset.reset(context.channel) } else { context.close(promise: nil) }
        return true
    }
}

extension FaultMatch {
    /// Whether nothing but (at most) the client is named: all an idle connection can be matched on.
    var onlyClient: Bool {
        cameraID == nil && path == nil && role == nil && user == nil && auth == nil && method == nil && wire == nil
    }
}
