/// The decoded query string of a request, per docs/contract.md: UTF-8 percent-decoding,
/// `+` is a space (Java `URLDecoder`, as on tinyCam's Android server), a malformed escape or
/// invalid UTF-8 is an error, and a parameter given twice is an error (which of two `user`s or
/// `camera`s would win is exactly the ambiguity a client bug hides behind).
public struct QueryParameters: Sendable, Equatable {
    public private(set) var pairs: [(name: String, value: String)]

    public init(pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    /// Parses a raw query (without `?`).
    public init(parsing raw: Substring) throws(QueryError) {
        var pairs: [(name: String, value: String)] = []
        for piece in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: "=")
            let rawName = piece[..<(equals ?? piece.endIndex)]
            let rawValue = equals.map { piece[piece.index(after: $0)...] } ?? ""
            let name = try Self.decode(rawName, what: "parameter name")
            let value = try Self.decode(rawValue, what: "value of '\(name)'")
            if name.isEmpty { continue }
            if pairs.contains(where: { $0.name == name }) { throw .repeated(name) }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    public func contains(_ name: String) -> Bool { pairs.contains { $0.name == name } }

    /// Percent-decodes one component (`+` = space) into UTF-8 text.
    public static func decode(
        _ raw: some StringProtocol, what: String = "text", plusIsSpace: Bool = true
    )
        throws(QueryError) -> String
    {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var iterator = raw.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw .malformedEscape(what)
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(what) }
        if text.utf8.contains(0) { throw .controlCharacter(what) }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    public static func == (lhs: QueryParameters, rhs: QueryParameters) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Why a query string was rejected (always 400).
public enum QueryError: Error, Equatable, CustomStringConvertible {
    case malformedEscape(String)
    case invalidUTF8(String)
    case controlCharacter(String)
    case repeated(String)

    public var description: String {
        switch self {
        case .malformedEscape(let what): "malformed percent escape in \(what) (use %XX with two hex digits)"
        case .invalidUTF8(let what): "\(what) is not valid UTF-8 after percent-decoding"
        case .controlCharacter(let what): "\(what) contains a NUL character"
        case .repeated(let name): "parameter '\(name)' is given more than once"
        }
    }
}
