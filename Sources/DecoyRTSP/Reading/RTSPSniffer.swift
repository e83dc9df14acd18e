import NIOCore

/// Decides from a connection's first bytes whether it speaks RTSP or HTTP, for serving both on
/// one port the way tinyCam does.
///
/// RTSP is recognised by a method RTSP clients send first or later on a fresh connection, a space
/// and an `rtsp://` or `rtsps://` URL (the scheme in any case). Everything else is HTTP. The
/// decision is made at the first byte that rules out every RTSP request line, so an HTTP request
/// is decided within its first few bytes (`GET /` at the fifth, `POST` at the second, even
/// `OPTIONS * HTTP/1.1` at the ninth). At most `bytesNeeded` bytes are ever needed; a peer that
/// sends fewer and stops is left to the HTTP side's head timer, like any half-sent request.
public enum RTSPSniffer {
    public enum Verdict: Hashable, Sendable {
        case rtsp
        case http
        /// Every byte so far fits an RTSP request line: wait for more.
        case needMoreBytes
    }

    /// Methods that may open an RTSP connection, each followed by a space and a scheme.
    static let methods = [
        "OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER", "SET_PARAMETER", "ANNOUNCE",
        "RECORD",
    ]
    private static let prefixes: [[UInt8]] = methods.flatMap { method in
        ["rtsp://", "rtsps://"].map { Array("\(method) \($0)".utf8) }
    }

    /// The most bytes a decision can need: `SET_PARAMETER rtsps://`.
    public static let bytesNeeded = prefixes.map(\.count).max()!

    /// The verdict on the readable bytes of `buffer` (not consumed).
    public static func firstBytesLookLikeRTSP(_ buffer: ByteBuffer) -> Verdict {
        buffer.withUnsafeReadableBytes { firstBytesLookLikeRTSP($0) }
    }

    /// The verdict on `bytes`, the first bytes a connection sent.
    public static func firstBytesLookLikeRTSP(_ bytes: [UInt8]) -> Verdict {
        bytes.withUnsafeBytes { firstBytesLookLikeRTSP($0) }
    }

    /// The verdict on `bytes`: one pass over at most `bytesNeeded` bytes per prefix that starts
    /// with the same letter (most HTTP methods share none, and are decided at the first byte).
    public static func firstBytesLookLikeRTSP(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        guard let first = bytes.first else { return .needMoreBytes }
        var mayStillMatch = false
        for prefix in prefixes where prefix[0] == first {
            switch compare(bytes, with: prefix) {
            case .matches: return .rtsp
            case .prefixOfIt: mayStillMatch = true
            case .differs: continue
            }
        }
        return mayStillMatch ? .needMoreBytes : .http
    }

    private enum Comparison { case matches, prefixOfIt, differs }

    /// Whether `bytes` start with `prefix`, are a start of it, or differ. Letters of the scheme
    /// (after the space) compare without case; the method is case-sensitive, as RFC 2326 says.
    private static func compare(_ bytes: UnsafeRawBufferPointer, with prefix: [UInt8]) -> Comparison {
        var methodEnded = false
        for offset in 0..<min(bytes.count, prefix.count) {
            let expected = prefix[offset]
            let byte = bytes[offset]
            guard methodEnded ? lowercased(byte) == expected : byte == expected else { return .differs }
            if expected == 0x20 { methodEnded = true }
        }
        return bytes.count >= prefix.count ? .matches : .prefixOfIt
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}
