/// Turns a complete request head (request line and header lines, line ends removed) into a
/// method, target and headers, or the read error it deserves.
///
/// Lenient where real clients differ (bare LF line ends, folded header lines, extra spaces between
/// the request line's parts) and strict where a mistake would mean reading garbage as a request
/// (control bytes, a header without a name, a version other than RTSP/1.0).
enum RTSPHeadParser {
    struct Head: Hashable {
        let method: RTSPMethod
        let target: String
        let headers: RTSPHeaders
    }

    /// `lines[0]` is the request line; the rest are header lines.
    static func parse(_ lines: [ArraySlice<UInt8>]) -> Result<Head, RTSPReadError> {
        let headers: RTSPHeaders
        switch parseHeaders(lines.dropFirst()) {
        case .success(let parsed): headers = parsed
        case .failure(let error): return .failure(error.with(cseq: cseq(in: lines.dropFirst())))
        }
        guard let requestLine = lines.first else {
            return .failure(RTSPReadError(.malformedRequestLine, "The request has no request line."))
        }
        switch parseRequestLine(requestLine) {
        case .success(let (method, target)): return .success(Head(method: method, target: target, headers: headers))
        case .failure(let error): return .failure(error.with(cseq: headers["CSeq"]))
        }
    }

    /// The `CSeq` among header lines that may not all be well-formed (for echoing it on an error).
    static func cseq(in lines: some Sequence<ArraySlice<UInt8>>) -> String? {
        for line in lines {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            guard name.trimmingASCIIWhitespace().lowercased() == "cseq" else { continue }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingASCIIWhitespace()
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    private static func parseRequestLine(_ line: ArraySlice<UInt8>) -> Result<(RTSPMethod, String), RTSPReadError> {
        func malformed(_ reason: String) -> Result<(RTSPMethod, String), RTSPReadError> {
            .failure(RTSPReadError(.malformedRequestLine, reason))
        }
        guard line.allSatisfy({ (0x20..<0x7F).contains($0) }) else {
            return malformed("The request line holds a control or non-ASCII byte.")
        }
        let parts = line.split(separator: 0x20)
        guard parts.count == 3 else {
            return malformed("The request line is not 'METHOD rtsp://host/path RTSP/1.0'.")
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        let version = String(decoding: parts[2], as: UTF8.self)
        guard method.utf8.allSatisfy(isTokenByte) else {
            return malformed("The method '\(method)' is not a token.")
        }
        guard version == "RTSP/1.0" else {
            if version.hasPrefix("RTSP/") {
                return .failure(RTSPReadError(.unsupportedVersion, "Only RTSP/1.0 is served, not \(version)."))
            }
            return malformed("The request line ends with '\(version)', not RTSP/1.0.")
        }
        guard isServedTarget(target) else {
            return malformed("The target '\(target)' is not an rtsp:// or rtsps:// URL, '*' or an absolute path.")
        }
        return .success((RTSPMethod(token: method), target))
    }

    private static func isServedTarget(_ target: String) -> Bool {
        if target == "*" || target.hasPrefix("/") { return true }
        let lowered = target.lowercased()
        return lowered.hasPrefix("rtsp://") || lowered.hasPrefix("rtsps://")
    }

    private static func parseHeaders(_ lines: some Sequence<ArraySlice<UInt8>>) -> Result<RTSPHeaders, RTSPReadError> {
        var fields: [RTSPHeaderField] = []
        for line in lines {
            guard line.allSatisfy({ ($0 >= 0x20 && $0 != 0x7F) || $0 == 0x09 }) else {
                return .failure(RTSPReadError(.malformedHeader, "A header line holds a control byte."))
            }
            if let first = line.first, first == 0x20 || first == 0x09 {
                // A folded line continues the previous field's value (RFC 2326 inherits HTTP/1.1's LWS).
                guard let previous = fields.popLast() else {
                    return .failure(RTSPReadError(.malformedHeader, "The first header line starts with a space."))
                }
                let more = String(decoding: line, as: UTF8.self).trimmingASCIIWhitespace()
                fields.append(RTSPHeaderField(previous.name, previous.value + " " + more))
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line[line.startIndex..<colon].allSatisfy(isTokenByte)
            else {
                let text = String(decoding: line.prefix(40), as: UTF8.self)
                return .failure(RTSPReadError(.malformedHeader, "The header line '\(text)' is not 'Name: value'."))
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingASCIIWhitespace()
            fields.append(RTSPHeaderField(name, String(value)))
        }
        return .success(RTSPHeaders(fields))
    }

    /// The body length a head announces: 0 without `Content-Length`; an error when it is not one
    /// decimal number (repeats must agree) or is over `limit`.
    static func contentLength(_ headers: RTSPHeaders, limit: Int) -> Result<Int, RTSPReadError> {
        let values = Set(headers.values("Content-Length"))
        guard let value = values.first else { return .success(0) }
        guard values.count == 1, (1...9).contains(value.count), value.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let length = Int(value)
        else {
            return .failure(
                RTSPReadError(
                    .invalidContentLength,
                    "Content-Length '\(values.sorted().joined(separator: ", "))' is not one decimal number.",
                    cseq: headers["CSeq"]))
        }
        guard length <= limit else {
            return .failure(
                RTSPReadError(
                    .bodyTooLarge, "A body of \(length) bytes is over the limit of \(limit).", cseq: headers["CSeq"]))
        }
        return .success(length)
    }

    /// RFC 7230 `tchar`: what method and header names are made of.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
