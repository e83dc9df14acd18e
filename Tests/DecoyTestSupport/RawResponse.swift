import Foundation

/// One HTTP response exactly as it came off the wire.
struct RawResponse: Sendable {
    /// The head with its final blank line, byte for byte.
    let head: String
    let version: String
    let status: Int
    let reason: String
    let headers: [(name: String, value: String)]
    var body: [UInt8] = []

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The first header named `name` (case-insensitive).
    func header(_ name: String) -> String? { headers(named: name).first }

    func headers(named name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The `data` member of a tinyCam JSON envelope.
    func jsonData() throws -> Any {
        guard let root = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let data = root["data"]
        else { throw ResponseError("not a {\"data\": …} JSON envelope: \(bodyText.prefix(200))") }
        return data
    }

    init(head: String) throws {
        self.head = head
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw ResponseError("not an HTTP status line: \(lines[0].debugDescription)")
        }
        version = String(statusParts[0])
        self.status = status
        reason = statusParts.count > 2 ? String(statusParts[2]) : ""
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw ResponseError("bad header line \(line.debugDescription)")
            }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        self.headers = headers
    }
}

struct ResponseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension RawSocket {
    /// Reads one response head (the body stays in the socket).
    func readHead(limit: Int = 64 * 1024) throws -> RawResponse {
        let bytes = try read(through: .headEnd, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ResponseError("the head is not UTF-8") }
        return try RawResponse(head: text)
    }

    /// Reads one complete response: by `Content-Length`, or to the end of the stream when there is none.
    func readResponse(method: String = "GET") throws -> RawResponse {
        var response = try readHead()
        if method == "HEAD" || response.status / 100 == 1 || response.status == 204 || response.status == 304 {
            return response
        }
        guard response.header("Transfer-Encoding") == nil else {
            throw ResponseError("unexpected Transfer-Encoding: \(response.head)")
        }
        if let text = response.header("Content-Length") {
            guard let length = Int(text) else { throw ResponseError("bad Content-Length \(text)") }
            response.body = try read(exactly: length)
        } else {
            response.body = try readToEnd()
        }
        return response
    }
}

/// Request texts.
enum Request {
    /// `admin:admin`.
    static let adminBasic = "Basic YWRtaW46YWRtaW4="
    /// `guest:guest`.
    static let guestBasic = "Basic Z3Vlc3Q6Z3Vlc3Q="

    /// A GET request head. `auth` nil sends no Authorization header.
    static func get(
        _ target: String, auth: String? = adminBasic, version: String = "HTTP/1.1", close: Bool = false,
        headers: [String] = []
    ) -> String {
        var lines = ["GET \(target) \(version)", "Host: 127.0.0.1"]
        if let auth { lines.append("Authorization: \(auth)") }
        if close { lines.append("Connection: close") }
        lines += headers
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }
}

/// One-shot requests on a fresh connection each.
enum HTTP {
    /// Sends `request` (exact text) on a new connection and reads one response.
    static func exchange(port: Int, _ request: String, method: String = "GET") async throws -> RawResponse {
        try await Blocking.run {
            let socket = try RawSocket.connect(port: port)
            defer { socket.close() }
            try socket.send(request)
            return try socket.readResponse(method: method)
        }
    }

    /// GET `target` as admin (Basic) with `Connection: close`.
    static func get(port: Int, _ target: String, auth: String? = Request.adminBasic) async throws -> RawResponse {
        try await exchange(port: port, Request.get(target, auth: auth, close: true))
    }

    /// `get_status` as admin.
    static func status(port: Int) async throws -> [String: Any] {
        let response = try await get(port: port, "/api/v1/get_status")
        guard response.status == 200, let status = try response.jsonData() as? [String: Any] else {
            throw ResponseError("get_status answered \(response.status): \(response.bodyText)")
        }
        return status
    }

    /// `get_status` `liveConnections`.
    static func liveConnections(port: Int) async throws -> Int {
        guard let value = try await status(port: port)["liveConnections"] as? Int else {
            throw ResponseError("get_status has no integer liveConnections")
        }
        return value
    }

    /// Whether a normal request is answered with 200 (the server survived what came before).
    static func isHealthy(port: Int) async throws -> Bool {
        let response = try await get(port: port, "/api/v1/get_cam_list")
        return response.status == 200 && response.header("Content-Type") == "application/json; charset=utf-8"
    }
}
