import DecoyServer
import DecoyTinyCam

/// The request-level fault layer at the `TinyCamResponder` seam: delays, replaces or re-statuses
/// answers as the scenario's rules and `network:`/`auth:` steps say. Endpoints never know.
///
/// It sits *inside* the journal (transport → `JournalingResponder` → `FaultingResponder` → API),
/// so the journal records what the client actually got, with the faults applied next to it.
/// Without a controller (a scenario that cannot fault anything) it passes every request straight
/// on: one branch.
///
/// Network and media faults are decided here too, in the same pass (one draw order), and left
/// in the request's `ExchangeFaultSlot` for the transport to apply; without a slot (a transport
/// with no fault hooks) they are ignored. A reset request never reaches the API: the journal
/// records it with status 0 (no answer).
public struct FaultingResponder: TinyCamResponder {
    public let wrapped: any TinyCamResponder
    public let faults: FaultController?
    public let clock: RunClock

    public init(_ wrapped: any TinyCamResponder, faults: FaultController?, clock: RunClock) {
        self.wrapped = wrapped
        self.faults = faults
        self.clock = clock
    }

    public func handle(_ request: TinyCamRequest) async -> TinyCamResponse { await answer(request).response }

    /// The answer and what was applied to it (nil: nothing).
    public func answer(_ request: TinyCamRequest) async -> (response: TinyCamResponse, fault: String?) {
        guard let faults else { return (await wrapped.handle(request), nil) }
        let decision = faults.decide(request, at: clock.elapsedMilliseconds())
        if decision.latencyMilliseconds > 0 {
            // On the run's clock: a virtual run's latency is virtual time too.
            try? await clock.base.sleep(forMilliseconds: decision.latencyMilliseconds)
        }
        let slot = ExchangeFaultSlot.current
        if let transport = decision.transport, let slot {
            slot.faults = transport
            if transport.reset { return (Self.resetPlaceholder, decision.applied.joined(separator: "; ")) }
        }
        var response: TinyCamResponse
        if let replacement = decision.replacement {
            response = replacement
        } else {
            response = await wrapped.handle(request)
        }
        if decision.transport?.media == .staleFrames, slot != nil { faults.pinSnapshot(&response, for: request) }
        var applied = decision.applied
        if let legacy = decision.legacyErrors, Self.restatus(&response, legacy: legacy) {
            applied.append("legacyErrors \(legacy ? "on" : "off") (\(decision.legacyLabel))")
        }
        faults.observe(request, response: response, decision: decision, at: clock.elapsedMilliseconds())
        return (response, applied.isEmpty ? nil : applied.joined(separator: "; "))
    }

    /// What the journal records for a reset request (the transport sends nothing of it).
    static let resetPlaceholder = TinyCamResponse.text(HTTPStatus(code: 0, reason: "Reset"), "")

    /// `HTTP 403. …` errors with status 200 (legacy on) or 403 (off); whether anything changed.
    static func restatus(_ response: inout TinyCamResponse, legacy: Bool) -> Bool {
        if legacy, response.status.code == 403 {
            response.status = .ok
            return true
        }
        if !legacy, FaultController.isLegacyError(response) {
            response.status = .forbidden
            return true
        }
        return false
    }
}
