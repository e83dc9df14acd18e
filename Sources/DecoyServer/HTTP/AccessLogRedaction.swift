import DecoyTinyCam

/// Keeps secrets out of logs: the values of `pwd` and `token` in logged request targets are masked.
///
/// Names are compared after the same percent-decoding the API applies (`p%77d` is `pwd`, `+` a
/// space), so no spelling that authenticates is logged in clear. The comparison ignores case:
/// tinyCam's names are case-sensitive, so `PWD` does not authenticate, but its value is most likely
/// a password all the same. A name that cannot be decoded has its value masked too (the request
/// gets a 400, and its log line must still not carry what may be a secret).
enum AccessLogRedaction {
    static let secretNames: Set<String> = ["pwd", "token"]

    static func redact(_ target: String) -> String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        let pairs = target[target.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false)
        return target[...mark] + pairs.map(redactPair).joined(separator: "&")
    }

    private static func redactPair(_ pair: Substring) -> String {
        guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
        let rawName = pair[..<equals]
        let isSecret =
            (try? QueryParameters.decode(rawName, what: "parameter name")).map {
                secretNames.contains($0.lowercased())
            } ?? true
        return isSecret ? "\(rawName)=***" : String(pair)
    }
}
