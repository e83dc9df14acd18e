import DecoyTinyCam

/// Transport → journal → fault layer → API, with the fault layer's controller read from the
/// `RuleBook` per request, so rules added or removed through the control API apply to the next
/// request. The journal and fault responders are the scenario's own, so what is recorded is the
/// same as in a plain `decoy run`.
public struct SandboxResponder: TinyCamResponder {
    public let wrapped: any TinyCamResponder
    public let journal: Journal
    public let clock: RunClock
    public let rules: RuleBook

    public init(_ wrapped: any TinyCamResponder, journal: Journal, clock: RunClock, rules: RuleBook) {
        self.wrapped = wrapped
        self.journal = journal
        self.clock = clock
        self.rules = rules
    }

    public func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        let faulting = FaultingResponder(wrapped, faults: rules.controller, clock: clock)
        return await JournalingResponder(faulting, journal: journal, clock: clock).handle(request)
    }
}
