/// An `If-None-Match`/`If-Range` value: `*` or a list of `"opaque"` / `W/"opaque"` tags (RFC 9110
/// §8.8.3). Parsing stops at the first malformed member; what came before still counts.
struct EntityTagList {
    struct Tag {
        var weak: Bool
        /// With its quotes, as the `ETag` header writes it.
        var opaque: String
    }

    private(set) var tags: [Tag] = []
    private(set) var matchesAny = false

    init(_ text: String) {
        if text.trimmingSpaces == "*" {
            matchesAny = true
            return
        }
        let bytes = Array(text.utf8)
        let separators: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ",")]
        var index = 0
        func skipSeparators() {
            while index < bytes.count, separators.contains(bytes[index]) { index += 1 }
        }
        skipSeparators()
        while index < bytes.count {
            var weak = false
            if bytes[index...].starts(with: Array("W/".utf8)) {
                weak = true
                index += 2
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return }
            guard let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "\"")) else { return }
            tags.append(Tag(weak: weak, opaque: String(decoding: bytes[index...close], as: UTF8.self)))
            index = close + 1
            guard index == bytes.count || separators.contains(bytes[index]) else { return }
            skipSeparators()
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (optional whitespace, RFC 9110 §5.6.3).
    var trimmingSpaces: String {
        let isSpace = { (character: Character) in character == " " || character == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
