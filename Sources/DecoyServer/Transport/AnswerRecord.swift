import NIOConcurrencyHelpers

/// Which connection and which of its requests an answer belongs to, so the access log, the
/// journal and a client's own log can be lined up: connection ids count up from 1 per server
/// (across its restarts), so the same client run gets the same ids; request ids count from 1 on
/// each connection (a request whose head could not be read, such as a 414 or 408, gets the id it
/// would have had).
public struct ExchangeID: Sendable, Hashable, CustomStringConvertible {
    public var connection: UInt64
    public var request: UInt64

    public init(connection: UInt64, request: UInt64) {
        self.connection = connection
        self.request = request
    }

    /// `conn=12 req=3`, as the access log writes it.
    public var description: String { "conn=\(connection) req=\(request)" }

    /// The exchange the current task answers: bound by the transport around the responder, so a
    /// responder (the scenario journal) can record it; nil outside a request.
    @TaskLocal public static var current: ExchangeID?

}

/// Hands out one server's connection ids, in accept order.
final class ConnectionCounter: Sendable {
    private let last = NIOLockedValueBox<UInt64>(0)

    func next() -> UInt64 {
        last.withLockedValue {
            $0 += 1
            return $0
        }
    }
}

/// An answer the transport gave by itself, without asking the responder (414, 408, 400/431 from
/// the parser, 413, 503 over the connection limit, 404 for a vanished file): what the journal
/// records for it, as it records the responder's answers.
public struct TransportAnswerRecord: Sendable, Equatable {
    public var exchange: ExchangeID
    public var client: String
    /// The request's method and target when its head was read; empty when it was not (a request
    /// line too long, a head that timed out, a parser error, a refused connection).
    public var method: String
    public var target: String
    public var status: Int
    public var bodyBytes: Int64

    public init(exchange: ExchangeID, client: String, method: String, target: String, status: Int, bodyBytes: Int64) {
        self.exchange = exchange
        self.client = client
        self.method = method
        self.target = target
        self.status = status
        self.bodyBytes = bodyBytes
    }
}

/// Told about every answer the transport makes by itself. The transport asks its
/// `TransportFaults` for this (`transportFaults as? TransportAnswerObserver`), so a scenario's fault
/// layer that conforms journals them; without one nobody is told and nothing is spent.
public protocol TransportAnswerObserver: Sendable {
    /// Called on the connection's event loop once the answer is handed to the socket: be quick.
    func transportAnswered(_ answer: TransportAnswerRecord)
}
