import DecoyServer
import DecoyTinyCam

/// Wraps whatever answers requests and journals every request with its answer. It sits at the
/// `TinyCamResponder` seam, outside the fault layer: what it records is what the client got, and
/// when it wraps a `FaultingResponder` it records the faults applied as well.
public struct JournalingResponder: TinyCamResponder {
    public let wrapped: any TinyCamResponder
    public let journal: Journal
    public let clock: RunClock
    /// `wrapped` when it is the fault layer (looked up once, not per request).
    private let faulting: FaultingResponder?

    public init(_ wrapped: any TinyCamResponder, journal: Journal, clock: RunClock) {
        self.wrapped = wrapped
        self.journal = journal
        self.clock = clock
        self.faulting = wrapped as? FaultingResponder
    }

    /// The request's time is when it arrived; it is journaled once answered (with the status).
    public func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        let arrived = clock.elapsedMilliseconds()
        let (response, fault) =
            if let faulting { await faulting.answer(request) } else { (await wrapped.handle(request), nil) }
        var record = RequestRecord(request: request, response: response, fault: fault)
        if let exchange = ExchangeID.current {
            record.connection = exchange.connection
            record.request = exchange.request
        }
        journal.append(JournalEntry(milliseconds: arrived, event: .request(record)))
        return response
    }
}
