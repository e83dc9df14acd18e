import Crypto
import DecoyCore
import Foundation

/// Who made a request, once authenticated.
public struct Principal: Sendable, Equatable {
    public let user: String
    public let role: Role
    /// The token the request carried, if it authenticated with one (logout revokes it).
    public let token: String?
}

/// Why authentication failed; each maps to the exact answer of `wire-reference.md` §12.
public enum AuthFailure: Error, Equatable {
    /// No credentials at all, or wrong Basic or Digest credentials: 401 with the configured
    /// challenge; `stale` when a Digest answer was right but its nonce had expired.
    case challenge(stale: Bool)

    static let challenge = AuthFailure.challenge(stale: false)
    /// Wrong `user`/`pwd` (query or login): 403 `HTTP 403. Invalid user name or password.`
    case invalidCredentials
    /// Unknown, logged-out or expired token: 403 `HTTP 403. Invalid token.`
    case invalidToken
}

/// Checks a request's credentials with tinyCam's precedence: `token` > `user`/`pwd` query >
/// `Authorization` header (Basic, or Digest answering one of our challenges). A credential that
/// is present but invalid is rejected, never skipped in favour of the next one.
public struct Authenticator: Sendable {
    private let users: [String: UserConfig]
    public let tokens: TokenStore
    public let digest: DigestAuthority

    public init(users: [UserConfig], tokens: TokenStore, digest: DigestAuthority) {
        self.users = Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.tokens = tokens
        self.digest = digest
    }

    public func authenticate(_ request: TinyCamRequest, query: QueryParameters) -> Result<Principal, AuthFailure> {
        if let token = query["token"] {
            guard let session = tokens.session(for: token) else { return .failure(.invalidToken) }
            return .success(Principal(user: session.user, role: session.role, token: token))
        }
        if query.contains("user") || query.contains("pwd") {
            guard let user = check(user: query["user"] ?? "", password: query["pwd"] ?? "") else {
                return .failure(.invalidCredentials)
            }
            return .success(Principal(user: user.name, role: user.role, token: nil))
        }
        if let header = request.header("Authorization") {
            if header.prefix(7).lowercased() == "digest " {
                switch digest.verify(
                    header: header, method: request.method, target: request.target, password: { users[$0]?.password })
                {
                case .valid(let name):
                    guard let user = users[name] else { return .failure(.challenge) }
                    return .success(Principal(user: user.name, role: user.role, token: nil))
                case .stale: return .failure(.challenge(stale: true))
                case .invalid: return .failure(.challenge)
                }
            }
            guard let (name, password) = Self.basicCredentials(header), let user = check(user: name, password: password)
            else { return .failure(.challenge) }
            return .success(Principal(user: user.name, role: user.role, token: nil))
        }
        return .failure(.challenge)
    }

    /// The user whose password matches, compared in constant time (digests of equal length, so
    /// neither the password's length nor its first differing byte shows in the timing; unknown
    /// users are compared against a dummy for the same reason).
    func check(user name: String, password: String) -> UserConfig? {
        let user = users[name]
        let expected = SHA256.hash(data: Array((user?.password ?? "\u{0}unknown-user").utf8))
        let given = SHA256.hash(data: Array(password.utf8))
        let matches = expected == given  // swift-crypto compares digests in constant time
        return matches ? user : nil
    }

    /// `Basic base64(user:password)`; nil when the header is not well-formed Basic.
    static func basicCredentials(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(validating: Array(data), as: UTF8.self),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
