import Crypto
import DecoyTinyCam
import Foundation

/// What a Digest client (curl, httpx, ffmpeg) computes, written from RFC 7616 independently of
/// the server's code so the tests check the server against the RFC, not against itself.
struct DigestClient {
    var user: String
    var password: String
    var algorithm: DigestAuthority.Algorithm
    var realm = "tinyCam"
    var clientNonce = "0a4f113b"

    func hash(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let digest: [UInt8] =
            switch algorithm {
            case .sha256: Array(SHA256.hash(data: bytes))
            case .md5: Array(Insecure.MD5.hash(data: bytes))
            }
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    func authorization(method: String, target: String, nonce: String, count: Int, uri: String? = nil) -> String {
        let nc = String(format: "%08x", count)
        let uri = uri ?? target
        let response = hash(
            "\(hash("\(user):\(realm):\(password)")):\(nonce):\(nc):\(clientNonce):auth:\(hash("\(method):\(uri)"))")
        return
            "Digest username=\"\(user)\", realm=\"\(realm)\", nonce=\"\(nonce)\", uri=\"\(uri)\", "
            + "algorithm=\(algorithm.rawValue), response=\"\(response)\", qop=auth, nc=\(nc), cnonce=\"\(clientNonce)\""
    }

    /// The `nonce` of a `WWW-Authenticate: Digest …` value.
    static func nonce(in challenge: String) -> String? {
        guard let start = challenge.range(of: "nonce=\"") else { return nil }
        return String(challenge[start.upperBound...].prefix { $0 != "\"" })
    }
}
