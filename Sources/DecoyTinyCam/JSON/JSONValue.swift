/// A JSON value that keeps object keys in the order given and serialises the way tinyCam's
/// Android server (`org.json`) does: compact, forward slashes escaped as `\/`.
///
/// Key order and escaping matter: conformance fixtures compare bytes.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null

    public static func int(_ value: Int) -> JSONValue { .int(Int64(value)) }

    /// The `{"data": …}` envelope every tinyCam JSON answer uses.
    public static func envelope(_ data: JSONValue) -> JSONValue { .object([("data", data)]) }

    public var serialized: String { String(decoding: serializedBytes, as: UTF8.self) }

    /// The UTF-8 bytes of `serialized`, written straight into one buffer (a page of 100 events is
    /// about 25 KB; appending to a `String` scalar by scalar cost several times more).
    public var serializedBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .string(let text): Self.writeString(text, into: &out)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    /// Escapes like `org.json`: quote, backslash, `/`, control characters, U+2028 and U+2029.
    private static func writeString(_ text: String, into out: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                let escaped: UInt8? =
                    switch byte {
                    case UInt8(ascii: "\""), backslash, UInt8(ascii: "/"): byte
                    case 0x0A: UInt8(ascii: "n")
                    case 0x0D: UInt8(ascii: "r")
                    case 0x09: UInt8(ascii: "t")
                    case 0x08: UInt8(ascii: "b")
                    case 0x0C: UInt8(ascii: "f")
                    default: nil
                    }
                if let escaped {
                    out.append(backslash)
                    out.append(escaped)
                } else if byte < 0x20 {
                    appendUnicodeEscape(UInt32(byte), to: &out)
                } else if byte == 0xE2, index + 1 < bytes.count, bytes[index] == 0x80,
                    bytes[index + 1] == 0xA8 || bytes[index + 1] == 0xA9
                {
                    // U+2028 and U+2029 (E2 80 A8/A9) end a JavaScript string literal.
                    appendUnicodeEscape(bytes[index + 1] == 0xA8 ? 0x2028 : 0x2029, to: &out)
                    index += 2
                } else {
                    out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendUnicodeEscape(_ value: UInt32, to out: inout [UInt8]) {
        let hex = String(value, radix: 16)
        out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.serialized == rhs.serialized }
}
