import Foundation

/// How a request authenticates (or tries to), by tinyCam's precedence: a `token` parameter, then
/// `user`/`pwd` parameters, then an `Authorization` header (Basic, or Digest in the Axis profile).
public enum AuthKind: String, Sendable, CaseIterable, Codable {
    case token, query, basic, digest, none
}

/// The credentials a request carries, read once with tinyCam's precedence. The one reading of
/// credentials in Decoy: the authenticator checks it, the journal records its kind, the fault
/// layer matches on the user it names. Nothing here is verified: a wrong password still names
/// its user.
public struct Credentials: Sendable, Equatable {
    /// What the request presents, by precedence (a present credential is never skipped for the
    /// next, even when it is wrong).
    public enum Presented: Sendable, Equatable {
        case none
        case token(String)
        /// `user`/`pwd` parameters (either may be missing: an empty one is checked as empty).
        case parameters(user: String, password: String)
        /// A well-formed Basic header.
        case basic(user: String, password: String)
        /// A Digest header (checked against the challenges issued); the user name it gives.
        case digest(header: String, user: String?)
        /// An `Authorization` header that is neither well-formed Basic nor Digest.
        case unreadableHeader(AuthKind)
    }

    public let presented: Presented

    /// Reads the credentials of a request from its parameters and `Authorization` header.
    public init(parameters: RequestParameters, authorization: String?) {
        if parameters.contains("token") {
            presented = .token(parameters.first("token") ?? "")
        } else if parameters.contains("wssession") {
            // Axis's WebSocket session token (`wssession.cgi`): a token by another name.
            presented = .token(parameters.first("wssession") ?? "")
        } else if parameters.contains("user") || parameters.contains("pwd") {
            presented = .parameters(user: parameters.first("user") ?? "", password: parameters.first("pwd") ?? "")
        } else if let header = authorization {
            presented = Self.reading(header: header)
        } else {
            presented = .none
        }
    }

    public init(_ presented: Presented) { self.presented = presented }

    /// The kind the journal records and rules match on.
    public var kind: AuthKind {
        switch presented {
        case .none: .none
        case .token: .token
        case .parameters: .query
        case .basic: .basic
        case .digest: .digest
        case .unreadableHeader(let kind): kind
        }
    }

    /// The user the request names (not verified); a token names nobody by itself.
    public var claimedUser: String? {
        switch presented {
        case .parameters(let user, _) where !user.isEmpty, .basic(let user, _): user
        case .digest(_, let user): user
        default: nil
        }
    }

    /// The token the request carries, if it authenticates with one.
    public var token: String? {
        if case .token(let token) = presented { return token }
        return nil
    }

    private static func reading(header: String) -> Presented {
        let scheme = header.prefix(7).lowercased()
        if scheme == "digest " { return .digest(header: header, user: digestUser(header)) }
        if let (user, password) = basic(header) { return .basic(user: user, password: password) }
        return .unreadableHeader(scheme.hasPrefix("basic ") ? .basic : .none)
    }

    /// `Basic base64(user:password)`; nil when the header is not well-formed Basic.
    static func basic(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(validating: Array(data), as: UTF8.self),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// The `username="…"` of a Digest header.
    private static func digestUser(_ header: String) -> String? {
        guard let start = header.range(of: "username=\"") else { return nil }
        let rest = header[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
