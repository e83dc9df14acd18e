import DecoyServer

/// The journal as the transport's `ExchangeJournal`: what the transport finished goes in as it
/// happened, timed on the run's clock (a request at its arrival, a stream at its start).
public struct JournalRecorder: ExchangeJournal {
    public let journal: Journal
    public let clock: RunClock

    public init(journal: Journal, clock: RunClock) {
        self.journal = journal
        self.clock = clock
    }

    public func stamp() -> JournalStamp { journal.stamp(at: clock.elapsedMilliseconds()) }

    public func record(_ exchange: FinishedExchange) {
        journal.append(
            JournalEntry(milliseconds: exchange.arrivedAt.milliseconds, event: .request(RequestRecord(exchange))),
            sequence: exchange.arrivedAt.sequence)
    }

    public func record(_ session: StreamSession) {
        journal.append(
            JournalEntry(milliseconds: session.startedAt.milliseconds, event: .stream(StreamRecord(session))),
            sequence: session.startedAt.sequence)
    }
}
