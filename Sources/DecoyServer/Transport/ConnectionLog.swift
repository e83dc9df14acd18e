import DecoyCore
import DecoyTinyCam
import Logging
import NIOCore

/// One connection's identity and the single place its answers are recorded: the access log line
/// (with `conn=N req=M`) for every answer, and the `TransportAnswerObserver` for the answers the
/// transport made by itself. Shared by the handlers of one connection, on its event loop.
final class ConnectionLog {
    let connection: UInt64
    let client: String
    private let services: TinyCamServices
    private let logger: Logger
    private let observer: (any TransportAnswerObserver)?
    /// Request heads read so far (the current request's id once its head is in).
    private(set) var requests: UInt64 = 0

    init(
        connection: UInt64, client: String, services: TinyCamServices, logger: Logger,
        observer: (any TransportAnswerObserver)?
    ) {
        self.connection = connection
        self.client = client
        self.services = services
        self.logger = logger
        self.observer = observer
    }

    /// A request head was read: the id of its exchange.
    func requestStarted() -> ExchangeID {
        requests += 1
        return ExchangeID(connection: connection, request: requests)
    }

    /// The exchange of the request being read or answered; before its head is in, the id it gets.
    var pendingExchange: ExchangeID { ExchangeID(connection: connection, request: max(requests, 1)) }

    /// The exchange a request whose head was never read would have had.
    var unreadExchange: ExchangeID { ExchangeID(connection: connection, request: requests + 1) }

    /// Records an answer in the access log: `client user "METHOD target" status size Nms conn=N req=M`
    /// (`size` is `stream` for endless answers; the target has secrets masked).
    func access(
        _ exchange: ExchangeID, method: String, target: String, user: String?, status: Int, size: String,
        milliseconds: Int64
    ) {
        let request = method.isEmpty ? "-" : "\(method) \(AccessLogRedaction.redact(target))"
        let line =
            "\(client) \(user ?? "-") \"\(request)\" \(status) \(size) \(milliseconds)ms \(exchange)"
        services.logs.access.append("\(CivilTime.logTimestamp(services.clock.nowMilliseconds())) \(line)")
        logger.info("\(line)")
    }

    /// Records an answer the transport made by itself: the access log and the observer (journal).
    func transportAnswered(
        _ exchange: ExchangeID, _ response: TinyCamResponse, method: String = "", target: String = ""
    ) {
        let bytes = response.bodyLength ?? 0
        access(
            exchange, method: method, target: target, user: response.user, status: response.status.code,
            size: String(bytes), milliseconds: 0)
        observer?.transportAnswered(
            TransportAnswerRecord(
                exchange: exchange, client: client, method: method, target: target, status: response.status.code,
                bodyBytes: bytes))
    }

    /// The date every answer's head carries.
    var httpDate: String { CivilTime.httpDate(services.clock.nowMilliseconds()) }

    var serverConfig: ServerConfig { services.config.server }
}
