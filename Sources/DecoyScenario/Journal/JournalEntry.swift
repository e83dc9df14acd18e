import DecoyServer
import DecoyTinyCam

/// One thing that happened in a run, at a time in milliseconds since t = 0.
public struct JournalEntry: Sendable, Equatable, Codable {
    public var milliseconds: Int64
    public var event: Event

    public init(milliseconds: Int64, event: Event) {
        self.milliseconds = milliseconds
        self.event = event
    }

    public enum Event: Sendable, Equatable {
        case request(RequestRecord)
        case step(StepRecord)
        /// An MJPEG stream session, timed at its start and journaled when it ended.
        case stream(StreamRecord)
    }

    private enum CodingKeys: String, CodingKey { case milliseconds, request, step, stream }

    /// Flat JSON: `{"milliseconds": 3003, "step": {…}}`, `{"milliseconds": 55, "request": {…}}` or
    /// `{"milliseconds": 80, "stream": {…}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(milliseconds, forKey: .milliseconds)
        switch event {
        case .request(let record): try container.encode(record, forKey: .request)
        case .step(let record): try container.encode(record, forKey: .step)
        case .stream(let record): try container.encode(record, forKey: .stream)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        milliseconds = try container.decode(Int64.self, forKey: .milliseconds)
        if let record = try container.decodeIfPresent(RequestRecord.self, forKey: .request) {
            event = .request(record)
        } else if let record = try container.decodeIfPresent(StreamRecord.self, forKey: .stream) {
            event = .stream(record)
        } else {
            event = .step(try container.decode(StepRecord.self, forKey: .step))
        }
    }

    public var request: RequestRecord? {
        if case .request(let record) = event { return record }
        return nil
    }

    public var step: StepRecord? {
        if case .step(let record) = event { return record }
        return nil
    }

    public var stream: StreamRecord? {
        if case .stream(let record) = event { return record }
        return nil
    }
}

/// A request as the journal keeps it: secrets masked, the path and parameters decoded.
public struct RequestRecord: Sendable, Equatable, Codable {
    /// `http` or `rtsp` (an RTSP request's path is its media URL's, e.g. `/axis-media/media.amp`).
    public var `protocol`: TinyCamRequest.Wire?
    /// An RTSP request's `CSeq`, as sent (nil for HTTP, or an RTSP request without one).
    public var cseq: String?
    public var client: String
    /// The authenticated user; nil when authentication failed or was not needed.
    public var user: String?
    public var auth: AuthKind
    public var method: String
    /// The decoded path (the raw path when it cannot be decoded).
    public var path: String
    /// Decoded names and values in request order; `pwd` and `token` values are `***`.
    public var parameters: [Parameter]
    /// The status actually sent; 0 when none was (see `outcome`).
    public var status: Int
    /// The body's length as the answer's head announced it; nil for an endless stream (MJPEG).
    public var bodyBytes: Int64?
    /// What became of the answer: `answered` (its last byte written), `streaming` (a stream's head
    /// is out; its stream session tells the rest), `cut` (the connection ended part-way), `unsent`
    /// (the client left before any byte of it), `reset` or `refused` (a fault). Nil in records
    /// not made by the transport.
    public var outcome: FinishedExchange.Outcome?
    /// Bytes of the answer that left Decoy, head included, when known.
    public var bytesWritten: Int64?
    /// The faults applied to this request, e.g. `latency 2000 ms (slow video); status 503 (busy)`;
    /// nil when none was. The rest of the record is what the client got, faults included.
    public var fault: String?
    /// The connection (numbered from 1 per server) and the request on it (from 1), as the access
    /// log's `conn=N req=M`: which requests shared a connection, and where to find them in the log.
    public var connection: UInt64?
    public var request: UInt64?

    public struct Parameter: Sendable, Equatable, Codable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        client: String, user: String?, auth: AuthKind, method: String, path: String, parameters: [Parameter],
        status: Int, bodyBytes: Int64?, fault: String? = nil, outcome: FinishedExchange.Outcome? = nil,
        bytesWritten: Int64? = nil
    ) {
        self.client = client
        self.user = user
        self.auth = auth
        self.method = method
        self.path = path
        self.parameters = parameters
        self.status = status
        self.bodyBytes = bodyBytes
        self.fault = fault
        self.outcome = outcome
        self.bytesWritten = bytesWritten
    }

    public func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
}

/// A timeline step that fired.
public struct StepRecord: Sendable, Equatable, Codable {
    /// The step's id, else "step N".
    public var label: String
    public var index: Int
    public var occurrence: Int
    public var scheduledMilliseconds: Int64
    public var action: String
    /// Nil when the action was done; otherwise why not.
    public var failure: String?

    public init(
        label: String, index: Int, occurrence: Int, scheduledMilliseconds: Int64, action: String,
        failure: String? = nil
    ) {
        self.label = label
        self.index = index
        self.occurrence = occurrence
        self.scheduledMilliseconds = scheduledMilliseconds
        self.action = action
        self.failure = failure
    }
}
