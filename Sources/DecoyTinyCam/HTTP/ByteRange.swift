/// One satisfiable byte range of a file: `length` bytes from `offset`, never empty and never past
/// the end. A value, so the answer to a `Range` header can be tested without a file or a socket.
public struct ByteRange: Sendable, Equatable, CustomStringConvertible {
    public let offset: Int64
    public let length: Int64

    public init(offset: Int64, length: Int64) {
        self.offset = offset
        self.length = length
    }

    /// The position of the last byte (inclusive, as `Content-Range` writes it).
    public var last: Int64 { offset + length - 1 }

    /// `Content-Range` of a 206 answer: `bytes first-last/size`.
    public func contentRange(size: Int64) -> String { "bytes \(offset)-\(last)/\(size)" }

    public var description: String { "\(offset)-\(last)" }

    /// What a `Range` header asks of a file of `size` bytes.
    public enum Selection: Sendable, Equatable {
        /// Send the whole file with 200: no header, a header to ignore (another unit, bad syntax,
        /// several ranges) or a suffix range of an empty file.
        case whole
        /// Send this part with 206.
        case partial(ByteRange)
        /// Answer 416 with `Content-Range: bytes */size`: every range starts at or past the end.
        case unsatisfiable
    }

    /// Evaluates a `Range` header (RFC 9110 §14.1.2 and §14.2) against a file of `size` bytes.
    ///
    /// The unit is case-insensitive; optional whitespace and empty list elements around commas are
    /// accepted. Anything else unparsable (including `last < first` and a unit other than `bytes`)
    /// is ignored, as RFC 9110 allows: the client then simply gets the whole file. Several ranges
    /// are answered with the whole file too (no `multipart/byteranges`: browsers and players send
    /// one range, and the whole file is always a correct answer), unless none of them is
    /// satisfiable. Numbers of any length are accepted without overflow: a start past `Int64.max`
    /// is past the end, an end past the file is clamped to it.
    public static func select(_ header: String?, size: Int64) -> Selection {
        guard let header, let specs = parse(header) else { return .whole }
        let ranges = specs.map { $0.resolve(size: size) }
        guard specs.count == 1 else { return ranges.allSatisfy { $0 == .unsatisfiable } ? .unsatisfiable : .whole }
        return ranges[0]
    }

    /// One `range-spec`: `first-last`, `first-` or `-suffix`. Numbers too large for `Int64` are
    /// saturated to `Int64.max`, which keeps every answer right: such a start is past any file's
    /// end, such an end or suffix covers the whole file.
    private enum Spec {
        case from(first: Int64, last: Int64?)
        case suffix(Int64)

        func resolve(size: Int64) -> Selection {
            switch self {
            case .from(let first, let last):
                guard first < size else { return .unsatisfiable }
                let end = min(last ?? Int64.max, size - 1)
                return .partial(ByteRange(offset: first, length: end - first + 1))
            case .suffix(let count):
                guard count > 0 else { return .unsatisfiable }
                // An empty file has no last bytes to send: the whole (empty) file is the answer.
                guard size > 0 else { return .whole }
                let length = min(count, size)
                return .partial(ByteRange(offset: size - length, length: length))
            }
        }
    }

    /// The range specs of `bytes=…`, or nil when the header is to be ignored.
    private static func parse(_ header: String) -> [Spec]? {
        let text = Substring(header).utf8
        guard let equals = text.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        let unit = trimmed(text[..<equals])
        guard unit.count == 5, String(decoding: unit, as: UTF8.self).lowercased() == "bytes" else { return nil }
        var specs: [Spec] = []
        let elements = text[text.index(after: equals)...].split(
            separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        for element in elements {
            let spec = trimmed(element)
            if spec.isEmpty { continue }
            guard let parsed = parseSpec(spec) else { return nil }
            specs.append(parsed)
        }
        return specs.isEmpty ? nil : specs
    }

    private static func parseSpec(_ spec: Substring.UTF8View) -> Spec? {
        guard let dash = spec.firstIndex(of: UInt8(ascii: "-")) else { return nil }
        let firstDigits = spec[..<dash]
        let lastDigits = spec[spec.index(after: dash)...]
        if firstDigits.isEmpty { return number(lastDigits).map { .suffix($0) } }
        guard let first = number(firstDigits) else { return nil }
        if lastDigits.isEmpty { return .from(first: first, last: nil) }
        // RFC 9110 §14.1.1: a range whose last position is before its first is invalid.
        guard let last = number(lastDigits), last >= first else { return nil }
        return .from(first: first, last: last)
    }

    /// Decimal digits (`1*DIGIT`, no sign), saturating at `Int64.max`; nil when not digits.
    private static func number(_ digits: Substring.UTF8View) -> Int64? {
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (sum, carried) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            value = overflowed || carried ? Int64.max : sum
        }
        return value
    }

    private static func trimmed(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.endIndex...] }
        return bytes[start...end]
    }
}
