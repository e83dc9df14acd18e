/// An HTTP request as the tinyCam API sees it: transport-free, so every endpoint can be tested
/// without sockets.
public struct TinyCamRequest: Sendable {
    public var method: String
    /// The request target exactly as received (`/path?query`).
    public var target: String
    public var headers: [(name: String, value: String)]
    /// The client's IP address (for `get_ip_addresses` and the access log).
    public var clientAddress: String

    public init(method: String, target: String, headers: [(name: String, value: String)] = [], clientAddress: String) {
        self.method = method
        self.target = target
        self.headers = headers
        self.clientAddress = clientAddress
    }

    /// The raw (still percent-encoded) path.
    public var rawPath: Substring {
        target[..<(target.firstIndex(of: "?") ?? target.endIndex)]
    }

    /// The raw query after `?`, or empty.
    public var rawQuery: Substring {
        guard let mark = target.firstIndex(of: "?") else { return "" }
        return target[target.index(after: mark)...]
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
