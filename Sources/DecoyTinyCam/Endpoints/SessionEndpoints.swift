import DecoyCore

/// `/api/v1/login` and `/api/v1/logout`.
enum SessionEndpoints {
    static let all = [login, logout]
    static let loginPath = "/api/v1/login"

    /// Issues a token for the authenticated user: `{"data":{"token":"<40 hex>","access":"admin"|"guest"}}`.
    static let login = Endpoint(loginPath, access: .guest) { context in
        let principal = context.principal
        let token = context.services.authenticator.tokens.issue(user: principal.user, role: principal.role)
        context.services.recordAudit("login \(principal.user) from \(context.request.clientAddress)")
        return .json(.object([("token", .string(token)), ("access", .string(principal.role.rawValue))]))
    }

    /// Revokes the token the request carries. The answer's shape is not public; the official UI
    /// maps `res.data`, so Decoy answers `{"data":{}}`.
    static let logout = Endpoint("/api/v1/logout", access: .guest) { context in
        if let token = context.principal.token {
            context.services.authenticator.tokens.revoke(token)
        }
        return .json(.object([]))
    }
}
