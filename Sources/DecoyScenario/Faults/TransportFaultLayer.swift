import DecoyServer

/// The scenario's side of the transport's fault hooks: refuses connections as `refuse` rules
/// say and journals every MJPEG stream session when it ends. The fault controller is read per
/// connection (the control API may replace it); the journal and clock are the run's.
///
/// Hooked in where the runtime is started with the journal (`Sandbox.start`):
/// `options.transportFaults = { _ in TransportFaultLayer(journal: journal, clock: clock) { rules.controller } }`.
public final class TransportFaultLayer: TransportFaults {
    public let journal: Journal
    public let clock: RunClock
    private let controller: @Sendable () -> FaultController?

    public init(journal: Journal, clock: RunClock, faults: @escaping @Sendable () -> FaultController?) {
        self.journal = journal
        self.clock = clock
        self.controller = faults
    }

    public func refusal(forClient client: String) -> String? {
        guard let faults = controller() else { return nil }
        let now = clock.elapsedMilliseconds()
        guard let label = faults.refusal(forClient: client, at: now) else { return nil }
        let record = RequestRecord(
            client: client, user: nil, auth: .none, method: "", path: "", parameters: [], status: 0, bodyBytes: nil,
            fault: label)
        journal.append(JournalEntry(milliseconds: now, event: .request(record)))
        return label
    }

    public func streamReachedFrameLimit(target: String) {
        controller()?.streamReachedFrameLimit(target: target[...])
    }

    public func streamEnded(_ session: StreamSession) {
        let start = max(0, clock.elapsedMilliseconds() - session.durationMilliseconds)
        journal.append(JournalEntry(milliseconds: start, event: .stream(StreamRecord(session))))
    }
}
