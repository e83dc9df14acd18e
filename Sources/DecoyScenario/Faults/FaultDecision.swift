import DecoyServer
import DecoyTinyCam

/// What the fault layer does with one request, decided before it reaches the API.
struct FaultDecision: Sendable {
    /// Waited before answering (the sum of every latency rule that hit).
    var latencyMilliseconds: Int64 = 0
    /// Answered instead of the API (a status rule, failed login or lockout); nil: the API answers.
    var replacement: TinyCamResponse?
    /// Whether 403 errors come as 200 (true), as 403 (false), or as the API made them (nil).
    var legacyErrors: Bool?
    /// The rule that set `legacyErrors` (named in the journal when it changed the answer).
    var legacyLabel = ""
    /// A locked-out login: answered 403 and not counted as another failure.
    var lockedOut = false
    /// What was applied, in order, for the journal.
    var applied: [String] = []
    /// The network and media faults for the transport (nil: none hit).
    var transport: ExchangeFaults?
}
