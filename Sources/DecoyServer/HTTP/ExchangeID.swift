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
