/// The verdict on one expectation, with the evidence a person needs to see why.
public struct ExpectationResult: Sendable, Equatable, Codable {
    public var name: String
    public var passed: Bool
    /// What was found, e.g. "3 matching requests: at 1.2 s, …" or "no GET … between 3 s and 8 s; nearest at 9.4 s".
    public var evidence: String

    public init(name: String, passed: Bool, evidence: String) {
        self.name = name
        self.passed = passed
        self.evidence = evidence
    }
}

/// How the client command ended, as far as expectations care.
public struct ClientOutcome: Sendable, Equatable, Codable {
    /// The exit status; 128 + N when it was killed by signal N (as shells report it).
    public var status: Int32
    /// Decoy ended it (SIGTERM, then SIGKILL) because the scenario's duration was up.
    public var stoppedByDecoy: Bool

    public init(status: Int32, stoppedByDecoy: Bool) {
        self.status = status
        self.stoppedByDecoy = stoppedByDecoy
    }
}
