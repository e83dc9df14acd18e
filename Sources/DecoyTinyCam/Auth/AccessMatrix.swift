import DecoyCore

/// The role each endpoint needs (docs/contract.md), with per-endpoint overrides from the
/// configuration's `server.access`.
public struct AccessMatrix: Sendable {
    private let overrides: [String: Role]

    public init(overrides: [String: Role] = [:]) { self.overrides = overrides }

    /// The role `path` needs: the override if configured, else the endpoint's own.
    public func requiredRole(for path: String, default role: Role) -> Role { overrides[path] ?? role }

    public static func allows(_ principal: Role, required: Role) -> Bool {
        required == .guest || principal == .admin
    }
}
