import DecoyFaults
import DecoyTinyCam

/// Where the transport reports what it actually put on the wire: each exchange once its answer's
/// last byte is out (or the connection ended first), each stream session when it ends. The
/// scenario's journal implements it; every `expect:` verdict is judged on what arrives here.
public protocol ExchangeJournal: Sendable {
    /// The stamp of something happening now (a request arriving, a stream starting): its run time
    /// and its place in the order things happened. Entries are ordered by it, not by when they
    /// were finished, so what happened first comes first however long its answer took.
    func stamp() -> JournalStamp
    /// An exchange is finished: answered, cut, never answered, reset or refused.
    func record(_ exchange: FinishedExchange)
    /// A stream session ended.
    func record(_ session: StreamSession)
}

/// When something happened: run time (milliseconds since t = 0) and a sequence number taken at
/// that moment, which orders what happened in the same millisecond (a virtual run does much in one).
public struct JournalStamp: Sendable, Equatable, Comparable {
    public var milliseconds: Int64
    public var sequence: UInt64

    public init(milliseconds: Int64, sequence: UInt64) {
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    public static func < (lhs: JournalStamp, rhs: JournalStamp) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}

/// The harness's hooks in the transport; nil in the server options (`decoy serve`): then no
/// exchange is described, decided or journaled, and no stream does any fault work.
public struct TransportHarness: Sendable {
    /// Decides the faults of each exchange and connection; nil: none.
    public var faults: FaultLayer?
    public var journal: any ExchangeJournal

    public init(faults: FaultLayer?, journal: any ExchangeJournal) {
        self.faults = faults
        self.journal = journal
    }
}

/// One exchange as the transport finished it.
public struct FinishedExchange: Sendable {
    /// What became of the answer.
    public enum Outcome: String, Sendable, Codable {
        /// Its last byte was written.
        case answered
        /// An endless answer (MJPEG, WAV): its head is out; the stream session tells the rest.
        case streaming
        /// The connection ended after part of it was written (a byte budget, the client leaving).
        case cut
        /// The client left before any byte of it was written (its request may never have reached the API).
        case unsent
        /// A `reset` fault: the connection was reset instead of answering.
        case reset
        /// A `refuse` fault: the connection was reset as soon as it was accepted.
        case refused
    }

    public var id: ExchangeID
    /// When its request arrived.
    public var arrivedAt: JournalStamp
    /// The request; for an answer given before a head was read (414, 408, 400, a refused
    /// connection), one with an empty method and target.
    public var request: TinyCamRequest
    /// The status actually sent; 0 when none was.
    public var status: Int
    /// Who the API authenticated.
    public var user: String?
    /// The body's length as the head announced it; nil for an endless stream.
    public var bodyBytes: Int64?
    /// Bytes of the answer that left Decoy, head included, when known (not for a stream, nor for
    /// an answer the client cut short: the kernel may have dropped what it still held).
    public var bytesWritten: Int64?
    public var outcome: Outcome
    /// The faults applied (`FaultPlan.summary`); nil: none.
    public var fault: String?

    public init(
        id: ExchangeID, arrivedAt: JournalStamp, request: TinyCamRequest, status: Int, user: String? = nil,
        bodyBytes: Int64?, bytesWritten: Int64?, outcome: Outcome, fault: String? = nil
    ) {
        self.id = id
        self.arrivedAt = arrivedAt
        self.request = request
        self.status = status
        self.user = user
        self.bodyBytes = bodyBytes
        self.bytesWritten = bytesWritten
        self.outcome = outcome
        self.fault = fault
    }
}
