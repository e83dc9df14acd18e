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

    public func now() -> Int64 { clock.elapsedMilliseconds() }

    public func record(_ exchange: FinishedExchange) {
        journal.append(JournalEntry(milliseconds: exchange.arrivedAt, event: .request(RequestRecord(exchange))))
    }

    public func record(_ session: StreamSession) {
        journal.append(JournalEntry(milliseconds: session.startedAt, event: .stream(StreamRecord(session))))
    }
}
