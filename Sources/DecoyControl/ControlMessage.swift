import Foundation
import NIOHTTP1

/// A control API request, read whole (bodies are small JSON or YAML documents).
public struct ControlRequest: Sendable {
    public var method: HTTPMethod
    /// The path without the query, e.g. `/rules/3`.
    public var path: String
    /// Decoded query parameters; the last value wins.
    public var query: [String: String]
    public var body: String
    /// The request's headers (the console's files are revalidated with `If-None-Match`).
    public var headers: HTTPHeaders

    public init(method: HTTPMethod, uri: String, body: String = "", headers: HTTPHeaders = [:]) {
        self.method = method
        self.headers = headers
        let components = URLComponents(string: uri)
        path = components?.percentEncodedPath.removingPercentEncoding ?? uri
        if path.count > 1, path.hasSuffix("/") { path.removeLast() }
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        self.query = query
        self.body = body
    }
}

/// A control API answer: JSON, except `/metrics` (Prometheus text).
public struct ControlResponse: Sendable {
    public var status: HTTPResponseStatus
    public var contentType: String
    public var body: Data
    public var headers: [(String, String)] = []

    public init(status: HTTPResponseStatus, contentType: String, body: Data, headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    /// `value` as pretty JSON with sorted keys (stable for `jq` and diffs).
    public static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok) -> ControlResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"the answer could not be encoded"}"#.utf8)
        return ControlResponse(status: status, contentType: "application/json", body: data + Data("\n".utf8))
    }

    /// `{"error": message}` with the status saying what kind of failure it is.
    public static func error(_ status: HTTPResponseStatus, _ message: String) -> ControlResponse {
        json(ErrorBody(error: message, status: Int(status.code)), status: status)
    }

    struct ErrorBody: Encodable {
        var error: String
        var status: Int
        var endpoints: [String]?

        init(error: String, status: Int, endpoints: [String]? = nil) {
            self.error = error
            self.status = status
            self.endpoints = endpoints
        }
    }
}
