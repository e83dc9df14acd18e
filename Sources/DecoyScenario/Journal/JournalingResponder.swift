import DecoyTinyCam

/// Wraps whatever answers requests and journals every request with its answer. It sits at the
/// `TinyCamResponder` seam, so the fault layer can later wrap (or be wrapped by) it the same way.
public struct JournalingResponder: TinyCamResponder {
    public let wrapped: any TinyCamResponder
    public let journal: Journal
    public let clock: RunClock

    public init(_ wrapped: any TinyCamResponder, journal: Journal, clock: RunClock) {
        self.wrapped = wrapped
        self.journal = journal
        self.clock = clock
    }

    /// The request's time is when it arrived; it is journaled once answered (with the status).
    public func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        let arrived = clock.elapsedMilliseconds()
        let response = await wrapped.handle(request)
        journal.append(
            JournalEntry(milliseconds: arrived, event: .request(RequestRecord(request: request, response: response))))
        return response
    }
}
