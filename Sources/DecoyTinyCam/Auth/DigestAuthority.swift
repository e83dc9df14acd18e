import Crypto
import DecoyCore
import Foundation
import NIOConcurrencyHelpers

/// HTTP Digest authentication (RFC 7616) with `qop="auth"`, MD5 and SHA-256: what Home
/// Assistant's MJPEG camera falls back to, and what the `axis` library and most NVRs speak first.
///
/// Nonces come from the system CSPRNG, live `digestNonceTTL` seconds and are bounded in number.
/// A request whose response is right but whose nonce expired (or was forgotten, e.g. after a
/// restart) is answered 401 with `stale=true`, so the client retries without asking its user; a
/// replayed or out-of-order `nc` is refused with `stale=false`. Responses are compared in
/// constant time.
public final class DigestAuthority: Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha256 = "SHA-256"
        case md5 = "MD5"

        func hash(_ text: String) -> String {
            let bytes = Array(text.utf8)
            switch self {
            case .sha256: return SHA256.hash(data: bytes).hexString
            case .md5: return Insecure.MD5.hash(data: bytes).hexString
            }
        }
    }

    public let realm: String
    private let clock: any DecoyClock
    private let timeToLiveMilliseconds: Int64
    private let capacity: Int
    /// Nonce → (issued at, highest `nc` seen).
    private let nonces = NIOLockedValueBox([String: (issued: Int64, count: UInt64)]())

    public init(realm: String, clock: any DecoyClock, nonceTimeToLiveSeconds: Double, capacity: Int = 10_000) {
        self.realm = realm
        self.clock = clock
        self.timeToLiveMilliseconds = Int64(nonceTimeToLiveSeconds * 1000)
        self.capacity = capacity
    }

    /// A fresh nonce, remembered until it expires (or the oldest is dropped when full).
    public func issueNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
        let now = clock.nowMilliseconds()
        nonces.withLockedValue { nonces in
            if nonces.count >= capacity {
                nonces = nonces.filter { now - $0.value.issued < timeToLiveMilliseconds }
                if nonces.count >= capacity, let oldest = nonces.min(by: { $0.value.issued < $1.value.issued }) {
                    nonces[oldest.key] = nil
                }
            }
            nonces[nonce] = (now, 0)
        }
        return nonce
    }

    /// The `WWW-Authenticate` value of a Digest challenge.
    public func challenge(_ algorithm: Algorithm, stale: Bool) -> String {
        "Digest realm=\"\(realm)\", qop=\"auth\", algorithm=\(algorithm.rawValue), nonce=\"\(issueNonce())\""
            + (stale ? ", stale=true" : "")
    }

    /// What checking a Digest `Authorization` header found.
    public enum Verdict: Sendable, Equatable {
        case valid(user: String)
        /// Right credentials, but the nonce expired or is unknown: challenge again with `stale=true`.
        case stale
        /// Wrong credentials, a malformed header, a replayed `nc` or a `uri` that is not the request's.
        case invalid
    }

    /// The challenge RTSP answers carry, as Axis cameras (gst-rtsp-server) write it:
    /// `Digest realm="…", nonce="…", stale=FALSE` (RFC 2069 form, MD5, no `qop`). Clients built
    /// for cameras parse exactly this shape (the `axis` library reads the nonce as the second
    /// quoted value and requires `stale=`).
    public func rtspChallenge(stale: Bool) -> String {
        "Digest realm=\"\(realm)\", nonce=\"\(issueNonce())\", stale=\(stale ? "TRUE" : "FALSE")"
    }

    /// Checks `header` for a request of `method` to `target`; `password` gives a user's password.
    /// `legacy` (RTSP) also accepts RFC 2069 answers without `qop`, `nc` and `cnonce`, as camera
    /// clients send them to the challenge above (a nonce then stays valid until it expires).
    public func verify(
        header: String, method: String, target: String, legacy: Bool = false, password: (String) -> String?
    ) -> Verdict {
        if legacy, let fields = Self.parameters(header), fields["qop"] == nil {
            return verifyLegacy(fields, method: method, password: password)
        }
        guard let fields = Self.parameters(header), let user = fields["username"], let nonce = fields["nonce"],
            let uri = fields["uri"], let response = fields["response"]?.lowercased(), fields["realm"] == realm,
            let algorithm = Algorithm(rawValue: fields["algorithm"] ?? "MD5"), fields["qop"] == "auth",
            let countText = fields["nc"], countText.count == 8, let count = UInt64(countText, radix: 16),
            let clientNonce = fields["cnonce"], uri == target
        else { return .invalid }
        // An unknown user is checked against a dummy password, so timing does not tell users apart.
        let secret = password(user) ?? "\u{0}unknown-user"
        let first = algorithm.hash("\(user):\(realm):\(secret)")
        let second = algorithm.hash("\(method):\(uri)")
        let expected = algorithm.hash("\(first):\(nonce):\(countText):\(clientNonce):auth:\(second)")
        guard Self.constantTimeEqual(expected, response), password(user) != nil else { return .invalid }
        let now = clock.nowMilliseconds()
        return nonces.withLockedValue { nonces -> Verdict in
            guard let entry = nonces[nonce], now - entry.issued < timeToLiveMilliseconds else {
                nonces[nonce] = nil
                return .stale
            }
            guard count > entry.count else { return .invalid }
            nonces[nonce] = (entry.issued, count)
            return .valid(user: user)
        }
    }

    /// RFC 2069: response = MD5(HA1:nonce:HA2), the nonce one this authority issued and not expired.
    private func verifyLegacy(
        _ fields: [String: String], method: String, password: (String) -> String?
    ) -> Verdict {
        guard let user = fields["username"], let nonce = fields["nonce"], let uri = fields["uri"],
            let response = fields["response"]?.lowercased(), fields["realm"] == realm,
            (fields["algorithm"] ?? "MD5").uppercased() == "MD5"
        else { return .invalid }
        // The `uri` is not compared with the request's: camera clients (the `axis` library) answer a
        // SETUP's challenge with the presentation URL, not the track URL they set up, and cameras
        // (gst-rtsp-server) accept that. The hash still covers the `uri` the client sent.
        let secret = password(user) ?? "\u{0}unknown-user"
        let md5 = Algorithm.md5
        let expected = md5.hash("\(md5.hash("\(user):\(realm):\(secret)")):\(nonce):\(md5.hash("\(method):\(uri)"))")
        guard Self.constantTimeEqual(expected, response), password(user) != nil else { return .invalid }
        let now = clock.nowMilliseconds()
        let known = nonces.withLockedValue { nonces -> Bool in
            guard let entry = nonces[nonce], now - entry.issued < timeToLiveMilliseconds else { return false }
            return true
        }
        return known ? .valid(user: user) : .stale
    }

    /// The `key=value` and `key="quoted value"` pairs after `Digest `; nil when not Digest or malformed.
    static func parameters(_ header: String) -> [String: String]? {
        guard header.count < 8192, header.prefix(7).lowercased() == "digest " else { return nil }
        var fields: [String: String] = [:]
        var rest = Substring(header.dropFirst(7))
        while true {
            rest = rest.drop { $0 == " " || $0 == "," || $0 == "\t" }
            guard !rest.isEmpty else { break }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...].drop { $0 == " " }
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return nil }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            guard !key.isEmpty, fields[key] == nil else { return nil }
            fields[key] = value
        }
        return fields
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

extension Digest {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
