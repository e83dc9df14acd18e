import Crypto
import DecoyCore

/// Who made a request, once authenticated.
public struct Principal: Sendable, Equatable {
    public let user: String
    public let role: Role
    /// The token the request carried, if it authenticated with one (logout revokes it).
    public let token: String?
}

/// Why authentication failed; each maps to the exact answer of docs/contract.md
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
    /// `wssession.cgi`'s one-use tokens (Axis profile), accepted where a token is.
    public let webSocketSessions: WebSocketSessionTokens?

    public init(
        users: [UserConfig], tokens: TokenStore, digest: DigestAuthority,
        webSocketSessions: WebSocketSessionTokens? = nil
    ) {
        self.users = Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.tokens = tokens
        self.digest = digest
        self.webSocketSessions = webSocketSessions
    }

    /// Checks the credentials the request presents (`TinyCamRequest.credentials`: one reading,
    /// by precedence). A Digest answer is checked against the challenges issued.
    public func authenticate(_ request: TinyCamRequest) -> Result<Principal, AuthFailure> {
        switch request.credentials.presented {
        case .token(let token):
            if let session = tokens.session(for: token) {
                return .success(Principal(user: session.user, role: session.role, token: token))
            }
            guard let session = webSocketSessions?.redeem(token) else { return .failure(.invalidToken) }
            return .success(Principal(user: session.user, role: session.role, token: nil))
        case .parameters(let name, let password):
            guard let user = check(user: name, password: password) else { return .failure(.invalidCredentials) }
            return .success(Principal(user: user.name, role: user.role, token: nil))
        case .digest(let header, _):
            switch digest.verify(
                header: header, method: request.method, target: request.target, legacy: request.wire == .rtsp,
                password: { users[$0]?.password })
            {
            case .valid(let name):
                guard let user = users[name] else { return .failure(.challenge) }
                return .success(Principal(user: user.name, role: user.role, token: nil))
            case .stale: return .failure(.challenge(stale: true))
            case .invalid: return .failure(.challenge)
            }
        case .basic(let name, let password):
            guard let user = check(user: name, password: password) else { return .failure(.challenge) }
            return .success(Principal(user: user.name, role: user.role, token: nil))
        case .none, .unreadableHeader:
            return .failure(.challenge)
        }
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
}
