/// A request target taken apart: `rtsp://user:pwd@host:port/path?query`, or a bare absolute path
/// (`/path?query`, which some clients send after the first request).
///
/// Everything stays as sent, percent-encoded: the tinyCam API decodes path and query exactly like
/// an HTTP target's, and the credentials in the userinfo (how ha-tinycam and the Axis library pass
/// them when they send no `Authorization`) with the same decoder (`QueryParameters.decode` with
/// `plusIsSpace: false`), so a malformed escape is the same 400 on both protocols.
public struct RTSPURL: Hashable, Sendable {
    /// `rtsp` or `rtsps`, lowercased; nil for a bare path.
    public let scheme: String?
    /// The userinfo's user, still percent-encoded; nil without userinfo.
    public let user: String?
    /// The userinfo's password (after the first `:`), still percent-encoded.
    public let password: String?
    /// As written, brackets of an IPv6 literal included; nil for a bare path.
    public let host: String?
    public let port: Int?
    /// Starts with `/` (an empty path is `/`).
    public let path: String
    /// Without the `?`; nil when there is none.
    public let query: String?

    /// Nil for `*` and anything that is not an `rtsp(s)://` URL or an absolute path.
    public init?(_ target: String) {
        let withoutFragment = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        var rest = Substring(withoutFragment)
        if rest.hasPrefix("/") {
            (scheme, user, password, host, port) = (nil, nil, nil, nil, nil)
        } else {
            guard let separator = rest.firstRange(of: "://") else { return nil }
            let name = rest[..<separator.lowerBound].lowercased()
            guard name == "rtsp" || name == "rtsps" else { return nil }
            rest = rest[separator.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            guard let authority = Authority(rest[..<authorityEnd]) else { return nil }
            scheme = name
            (user, password, host, port) = (authority.user, authority.password, authority.host, authority.port)
            rest = rest[authorityEnd...]
        }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts[0].isEmpty ? "/" : String(parts[0])
        query = parts.count > 1 ? String(parts[1]) : nil
    }

    /// `host[:port]`, as the client wrote it (nil for a bare path).
    public var authority: String? {
        guard let host else { return nil }
        return port.map { "\(host):\($0)" } ?? host
    }

    /// `path?query`: the part of the target the tinyCam API reads.
    public var pathAndQuery: String { query.map { "\(path)?\($0)" } ?? path }

    private struct Authority {
        var user: String?
        var password: String?
        var host: String
        var port: Int?

        init?(_ text: Substring) {
            var hostPort = text
            if let at = text.lastIndex(of: "@") {
                let userinfo = text[..<at]
                hostPort = text[text.index(after: at)...]
                let pair = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                user = String(pair[0])
                password = pair.count > 1 ? String(pair[1]) : nil
            }
            let portSeparator: Substring.Index?
            if hostPort.hasPrefix("[") {
                guard let close = hostPort.firstIndex(of: "]") else { return nil }
                let after = hostPort.index(after: close)
                guard after == hostPort.endIndex || hostPort[after] == ":" else { return nil }
                portSeparator = after == hostPort.endIndex ? nil : after
            } else {
                portSeparator = hostPort.firstIndex(of: ":")
            }
            host = String(hostPort[..<(portSeparator ?? hostPort.endIndex)])
            guard !host.isEmpty else { return nil }
            if let portSeparator {
                let digits = hostPort[hostPort.index(after: portSeparator)...]
                guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits),
                    value <= 65535
                else { return nil }
                port = value
            }
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
