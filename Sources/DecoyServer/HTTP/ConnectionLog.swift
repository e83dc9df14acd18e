import DecoyCore
import DecoyTinyCam
import Logging
import NIOCore

/// One connection's identity and the single place its exchanges are finished: the access log line
/// (with `conn=N req=M`) and, with a harness, the journal entry — for the responder's answers and
/// for the ones the transport made by itself alike. Shared by the handlers of one connection, on
/// its event loop.
final class ConnectionLog {
    let connection: UInt64
    let client: String
    let harness: TransportHarness?
    private let services: TinyCamServices
    private let logger: Logger
    /// Request heads read so far (the current request's id once its head is in).
    private(set) var requests: UInt64 = 0
    /// Bytes handed toward the socket on this connection (counted by `ConnectionGuard`).
    var bytesOut: Int64 = 0

    init(connection: UInt64, client: String, services: TinyCamServices, logger: Logger, harness: TransportHarness?) {
        self.connection = connection
        self.client = client
        self.services = services
        self.logger = logger
        self.harness = harness
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

    /// The journal's stamp of something happening now (run time and order); zero without a harness.
    func stamp() -> JournalStamp { harness?.journal.stamp() ?? JournalStamp(milliseconds: 0, sequence: 0) }

    /// Run time now (milliseconds since t = 0), what rule windows are in; 0 without a harness.
    func now() -> Int64 { stamp().milliseconds }

    /// Finishes an exchange: its access log line
    /// (`client user "METHOD target" status size Nms conn=N req=M`, secrets masked) and its journal
    /// entry. `accessStatus` is the answer's status when it differs from what was sent (an answer
    /// made but never written is logged with its status and size `unsent`); `accessBytes` the
    /// body's length when the entry's differs (a HEAD answer is logged with the length it announced).
    func finish(
        _ exchange: FinishedExchange, accessStatus: Int? = nil, accessBytes: Int64? = nil, milliseconds: Int64
    ) {
        let request = exchange.request
        let line = request.method.isEmpty ? "-" : "\(request.method) \(AccessLogRedaction.redact(request.target))"
        let size =
            switch exchange.outcome {
            case .unsent, .reset, .refused: "unsent"
            case .streaming: "stream"
            case .answered, .cut: (accessBytes ?? exchange.bodyBytes).map(String.init) ?? "stream"
            }
        let text =
            "\(client) \(exchange.user ?? "-") \"\(line)\" \(accessStatus ?? exchange.status) \(size) "
            + "\(milliseconds)ms \(exchange.id)"
        services.logs.access.append("\(CivilTime.logTimestamp(services.clock.nowMilliseconds())) \(text)")
        logger.info("\(text)")
        harness?.journal.record(exchange)
    }

    /// Finishes an answer the transport made by itself (414, 408, 400/431, 413, 503, a refusal),
    /// whose head (`method`, `target`) may never have been read.
    func transportAnswered(
        _ exchange: ExchangeID, _ response: TinyCamResponse, method: String = "", target: String = "",
        outcome: FinishedExchange.Outcome = .answered, fault: String? = nil
    ) {
        let bytes = response.bodyLength ?? 0
        finish(
            FinishedExchange(
                id: exchange, arrivedAt: stamp(),
                request: TinyCamRequest(method: method, target: target, clientAddress: client),
                status: outcome == .answered ? response.status.code : 0, user: response.user,
                bodyBytes: outcome == .answered ? bytes : nil, bytesWritten: nil, outcome: outcome, fault: fault),
            milliseconds: 0)
    }

    /// The date every answer's head carries.
    var httpDate: String { CivilTime.httpDate(services.clock.nowMilliseconds()) }

    var serverConfig: ServerConfig { services.config.server }
}
