/// One file of a page: its bytes, its type and its entity tag.
public struct WebAsset: Sendable, Equatable {
    public let name: String
    public let contentType: String
    public let bytes: [UInt8]
    /// A strong validator, `"<16 hex digits>"` (FNV-1a of the bytes): the same file always has the
    /// same tag, so a browser revalidating an unchanged file gets 304 and no body.
    public let entityTag: String

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        contentType = Self.contentType(forName: name)
        entityTag = "\"" + Self.fnv1a(bytes) + "\""
    }

    static func contentType(forName name: String) -> String {
        switch name.split(separator: ".").last ?? "" {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        default: "application/octet-stream"
        }
    }

    /// 64-bit FNV-1a in hex: cheap, stable across runs and platforms, and plenty to tell versions
    /// of a few dozen small files apart (it is a cache validator, not a security boundary).
    static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
