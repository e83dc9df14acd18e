/// Everything a run produced: the verdicts, how the client ended and the journal. Written as the
/// JSON report (`--report`), rendered as JUnit XML and as the human summary.
public struct RunReport: Sendable, Equatable, Codable {
    public var scenario: String
    public var file: String
    public var seed: UInt64
    public var clock: String
    /// The scenario's `duration`.
    public var durationMilliseconds: Int64
    /// How long the run actually lasted (shorter when the client exited first).
    public var ranMilliseconds: Int64
    /// What the client was told to talk to (`DECOY_URL`).
    public var url: String
    /// Nil when no client command was given.
    public var client: ClientOutcome?
    public var results: [ExpectationResult]
    public var journal: [JournalEntry]
    public var journalDropped: Int
    /// `SIGINT` or `SIGTERM` when the run was stopped from outside before its end; nil otherwise.
    public var interruptedBy: String?

    public init(
        scenario: String, file: String, seed: UInt64, clock: String, durationMilliseconds: Int64,
        ranMilliseconds: Int64, url: String, client: ClientOutcome?, results: [ExpectationResult],
        journal: [JournalEntry], journalDropped: Int, interruptedBy: String? = nil
    ) {
        self.scenario = scenario
        self.file = file
        self.seed = seed
        self.clock = clock
        self.durationMilliseconds = durationMilliseconds
        self.ranMilliseconds = ranMilliseconds
        self.url = url
        self.client = client
        self.results = results
        self.journal = journal
        self.journalDropped = journalDropped
        self.interruptedBy = interruptedBy
    }

    public var failures: Int { results.filter { !$0.passed }.count }
    public var passed: Bool { failures == 0 }
}
