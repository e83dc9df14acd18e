/// One RTSP request as the reader assembled it: what the socket layer dispatches on.
public struct RTSPRequest: Hashable, Sendable {
    public let method: RTSPMethod
    /// The request target exactly as sent: `rtsp://host/path?query`, `rtsps://…`, `*` or `/path`.
    public let target: String
    public let headers: RTSPHeaders
    public let body: [UInt8]

    public init(method: RTSPMethod, target: String, headers: RTSPHeaders, body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The `CSeq` value as sent (echoed verbatim on the answer), nil when absent.
    public var cseq: String? { headers["CSeq"] }

    /// The session id of the `Session` header, without its `;timeout=` parameter.
    public var sessionID: String? {
        guard let value = headers["Session"] else { return nil }
        let id = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let trimmed = id.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : String(trimmed)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (header values, list items).
    func trimmingASCIIWhitespace() -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[start..<end]
    }
}
