/// An HTTP request as the tinyCam API sees it: transport-free, so every endpoint can be tested
/// without sockets.
public struct TinyCamRequest: Sendable {
    public var method: String
    /// The request target exactly as received (`/path?query`).
    public var target: String
    public var headers: [(name: String, value: String)]
    /// The client's IP address (for `get_ip_addresses` and the access log).
    public var clientAddress: String
    /// The request body (at most the transport's limit, 64 KiB): POST form data or JSON in the
    /// Axis profile; tinyCam itself takes none.
    public var body: [UInt8]

    public init(
        method: String, target: String, headers: [(name: String, value: String)] = [], clientAddress: String,
        body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.clientAddress = clientAddress
        self.body = body
    }

    /// The raw (still percent-encoded) path. An absolute-form target (`http://host/path`, which
    /// RFC 9112 §3.2.2 requires servers to accept) is reduced to its path.
    public var rawPath: Substring {
        let pathAndQuery = originForm
        return pathAndQuery[..<(pathAndQuery.firstIndex(of: "?") ?? pathAndQuery.endIndex)]
    }

    /// The target without `scheme://authority` when it came in absolute form.
    private var originForm: Substring {
        let lowered = target.prefix(8).lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
            let schemeEnd = target.range(of: "://")
        else { return target[...] }
        let afterAuthority = target[schemeEnd.upperBound...]
        guard let slash = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        return afterAuthority[slash...]
    }

    /// The raw query after `?`, or empty.
    public var rawQuery: Substring {
        let pathAndQuery = originForm
        guard let mark = pathAndQuery.firstIndex(of: "?") else { return "" }
        return pathAndQuery[pathAndQuery.index(after: mark)...]
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
