import DecoyScenario

/// Which entries `/events/journal` sends: `client` (address, exact), `path` (exact, or a glob
/// with `*`), `status` (a code such as 503, or a class such as 5xx), `fault` (a glob over the
/// fault text; `*` = any fault), `kind` (request, stream or step), and `backlog` (how many of the
/// newest entries to send first, 0–10000, default 100). Steps have no client, path, status or
/// fault: a filter on any of those leaves them out, as `GET /journal` does.
struct JournalEventFilter: Sendable, Equatable {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    enum Kind: String, Sendable, CaseIterable {
        case request, stream, step
    }

    static let keys = ["client", "path", "status", "fault", "kind", "backlog"]
    static let maximumBacklog = 10_000

    var client: String?
    var path: String?
    /// 100…599 for one status, 1…5 for a class (`5xx`).
    var status: Int?
    var statusClass: Int?
    var fault: String?
    var kind: Kind?
    var backlog = 100

    init(query: [String: String]) throws(Invalid) {
        if let unknown = query.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw Invalid(
                description: "unknown journal stream filter '\(unknown)'; filters: \(Self.keys.joined(separator: ", "))"
            )
        }
        func given(_ key: String) -> String? { query[key].flatMap { $0.isEmpty ? nil : $0 } }
        client = given("client")
        path = given("path")
        fault = given("fault")
        if let text = given("status") {
            let lowered = text.lowercased()
            if lowered.count == 3, lowered.hasSuffix("xx"), let digit = Int(lowered.prefix(1)), (1...5).contains(digit)
            {
                statusClass = digit
            } else if let code = Int(text), (100...599).contains(code) {
                status = code
            } else {
                throw Invalid(description: "status=\(text) must be an HTTP status such as 503 or a class such as 5xx")
            }
        }
        if let text = given("kind") {
            guard let value = Kind(rawValue: text) else {
                throw Invalid(description: "kind=\(text) must be request, stream or step")
            }
            kind = value
        }
        if let text = given("backlog") {
            guard let value = Int(text), (0...Self.maximumBacklog).contains(value) else {
                throw Invalid(
                    description:
                        "backlog=\(text) must be a number from 0 to \(Self.maximumBacklog) (the newest entries "
                        + "sent before the live ones)")
            }
            backlog = value
        }
    }

    func matches(_ entry: JournalEntry) -> Bool {
        switch entry.event {
        case .step:
            let filtersRequests = client != nil || path != nil || status != nil || statusClass != nil || fault != nil
            return (kind == nil || kind == .step) && !filtersRequests
        case .request(let record):
            guard kind == nil || kind == .request else { return false }
            return matches(record)
        case .stream(let record):
            guard kind == nil || kind == .stream else { return false }
            // A stream is judged as the request that opened it: its status was 200.
            return matches(
                RequestRecord(
                    client: record.client, user: nil, auth: .none, method: "GET", path: record.path,
                    parameters: record.parameters, status: 200, bodyBytes: nil, fault: record.fault))
        }
    }

    private func matches(_ record: RequestRecord) -> Bool {
        if let client, record.client != client { return false }
        if let statusClass, record.status / 100 != statusClass { return false }
        return RequestPattern(path: path ?? "*", status: status, fault: fault).matches(record)
    }
}
