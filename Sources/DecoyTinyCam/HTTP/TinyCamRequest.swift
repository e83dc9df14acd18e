import Foundation

/// An HTTP request as the tinyCam API sees it: transport-free, so every endpoint can be tested
/// without sockets.
///
/// Its target is read once, when the value is made: the decoded path, the parameters and the
/// credentials are carried with it, so the API, the fault layer and the journal all see the same
/// reading (and none parses the query again).
public struct TinyCamRequest: Sendable {
    /// Which protocol carried the request: the same API answers both (an RTSP DESCRIBE or SETUP is
    /// authenticated and checked like an HTTP GET of its path).
    public enum Wire: String, Sendable, Codable, CaseIterable {
        case http, rtsp
    }

    public let wire: Wire
    public let method: String
    /// The request target exactly as received (`/path?query`).
    public let target: String
    public let headers: [(name: String, value: String)]
    /// The client's IP address (for `get_ip_addresses` and the access log).
    public let clientAddress: String
    /// The request body (at most the transport's limit, 64 KiB): POST form data or JSON in the
    /// Axis profile; tinyCam itself takes none.
    public let body: [UInt8]
    /// The raw (still percent-encoded) path. An absolute-form target (`http://host/path`, which
    /// RFC 9112 §3.2.2 requires servers to accept) is reduced to its path.
    public let rawPath: Substring
    /// The raw query after `?`, or empty.
    public let rawQuery: Substring
    /// The decoded path (`%XX` decoded, `+` kept), or why it cannot be decoded.
    public let decodedPath: Result<String, QueryError>
    /// The query's parameters, and in an Axis POST the form body's (see `formText`).
    public let parameters: RequestParameters
    public let credentials: Credentials

    public init(
        method: String, target: String, headers: [(name: String, value: String)] = [], clientAddress: String,
        body: [UInt8] = [], wire: Wire = .http
    ) {
        self.wire = wire
        self.method = method
        self.target = target
        self.headers = headers
        self.clientAddress = clientAddress
        self.body = body
        let pathAndQuery = Self.originForm(target)
        let mark = pathAndQuery.firstIndex(of: "?")
        rawPath = pathAndQuery[..<(mark ?? pathAndQuery.endIndex)]
        rawQuery = mark.map { pathAndQuery[pathAndQuery.index(after: $0)...] } ?? ""
        let rawPath = rawPath
        decodedPath = Result { () throws(QueryError) in
            try QueryParameters.decode(rawPath, what: "path", plusIsSpace: false)
        }
        parameters = RequestParameters(query: rawQuery, form: Self.formText(method: method, body: body))
        credentials = Credentials(
            parameters: parameters, authorization: headers.first { $0.name.lowercased() == "authorization" }?.value)
    }

    /// The decoded path, or the raw one when it cannot be decoded (for logs and matching).
    public var path: String { (try? decodedPath.get()) ?? String(rawPath) }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The target without `scheme://authority` when it came in absolute form (`http(s)://`, and
    /// `rtsp(s)://`, the form every RTSP request names its media in).
    private static func originForm(_ target: String) -> Substring {
        let lowered = target.prefix(8).lowercased()
        guard ["http://", "https://", "rtsp://", "rtsps://"].contains(where: lowered.hasPrefix),
            let schemeEnd = target.range(of: "://")
        else { return target[...] }
        let afterAuthority = target[schemeEnd.upperBound...]
        guard let slash = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        return afterAuthority[slash...]
    }

    /// In a POST (Axis profile) the body is read as URL-encoded form data whatever its
    /// `Content-Type` says (the `axis` library sends forms as `text/plain`); a JSON body (the Axis
    /// JSON APIs) is left to its endpoint. A parameter given in both places is a repeat, so 400.
    private static func formText(method: String, body: [UInt8]) -> Substring? {
        // JSON (VAPIX JSON APIs) and XML (SOAP to /vapix/services) bodies are not forms.
        let first = body.first { ![UInt8(ascii: " "), 0x0A, 0x0D, 0x09].contains($0) }
        guard method == "POST", let first, first != UInt8(ascii: "{"), first != UInt8(ascii: "<") else { return nil }
        return Substring(String(decoding: body, as: UTF8.self).trimmingCharacters(in: .newlines))
    }
}
