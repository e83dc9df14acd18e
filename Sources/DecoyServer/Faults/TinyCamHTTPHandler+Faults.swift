import NIOCore

/// The handler's fault hooks: each is one branch when the answer has no faults.
extension TinyCamHTTPHandler {
    /// Takes the faults the fault layer left for this answer. A reset ends the exchange here
    /// (true: nothing is to be written); the byte faults install or reconfigure this connection's
    /// `ByteShaper` at the front of the pipeline.
    func applyExchangeFaults(_ faults: ExchangeFaults?, target: String, context: ChannelHandlerContext) -> Bool {
        exchangeFaults = faults
        guard let faults else {
            shaper?.configure(ExchangeFaults())
            return false
        }
        if faults.reset {
            ConnectionReset.reset(context.channel)
            return true
        }
        guard faults.needsShaper else { return false }
        let shaper = self.shaper ?? ByteShaper()
        if self.shaper == nil {
            self.shaper = shaper
            do {
                try context.pipeline.syncOperations.addHandler(shaper, position: .first)
            } catch {
                context.close(promise: nil)
                return true
            }
        }
        shaper.configure(faults)
        return false
    }

    /// `stall`: the head is out; hold the body (a stream stalls after its first frame instead).
    func stallAfterHead() {
        guard let milliseconds = exchangeFaults?.stallMilliseconds, let shaper else { return }
        shaper.stall(milliseconds: milliseconds)
    }

    /// The faults of a stream starting now; nil for an unfaulted one.
    func streamFaults(target: String) -> StreamFaults? {
        streamTarget = target
        streamFault = exchangeFaults.map(\.label)
        guard let faults = exchangeFaults else { return nil }
        // A stall waits for the first frame: the head was not held.
        let transportFaults = self.transportFaults
        return StreamFaults(plan: faults, shaper: shaper) {
            transportFaults?.streamReachedFrameLimit(target: target)
        }
    }

    /// Hooks the shaper's callbacks to the viewer (a drained shaper lets it send the newest frame).
    func connect(_ viewer: MJPEGViewer) {
        shaper?.onDrained = { [weak viewer] in viewer?.writabilityChanged() }
        shaper?.onBudgetClosed = { [weak viewer] in viewer?.endedByFault() }
    }

    /// The stream ended: its session goes to the journal (when a scenario keeps one).
    func journalStream(_ viewer: MJPEGViewer) {
        shaper?.onDrained = nil
        guard let transportFaults else { return }
        let ending =
            viewer.ending ?? (closedByRestart ? .restart : inputClosed || failed ? .clientClosed : .serverClosed)
        let fault = [streamFault, viewer.addedFault].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
        transportFaults.streamEnded(
            StreamSession(
                client: viewer.clientAddress, cameraName: viewer.cameraName, variant: viewer.variantDescription,
                target: streamTarget, framesSent: viewer.framesSent, firstSequence: viewer.firstSequence,
                lastSequence: viewer.lastSequenceSent, bytesSent: viewer.bytesSent,
                durationMilliseconds: viewer.milliseconds, fault: fault.isEmpty ? nil : fault,
                ending: ending))
    }
}
