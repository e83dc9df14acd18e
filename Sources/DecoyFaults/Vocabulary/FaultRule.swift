import DecoyCore
import DecoyTinyCam

/// One fault rule: which exchanges, when, how often, and what goes wrong with them. A scenario's
/// `rules:`, a rule posted to the control API and the rule of a timed `network:`/`media:` step
/// are all this.
public struct FaultRule: Sendable, Equatable {
    /// Shown in the journal next to the fault; nil: the rule's position.
    public var name: String?
    public var match: FaultMatch
    /// When the rule is active, in milliseconds since t = 0: [from, until), to the end without `until`.
    public var fromMilliseconds: Int64
    public var untilMilliseconds: Int64?
    /// The chance (0–1) that a matching exchange is faulted, drawn from the seeded generator;
    /// nil: every matching exchange.
    public var probability: Double?
    public var fault: Fault
    /// The line of the rule in its file, for messages.
    public var line: Int

    public init(
        name: String? = nil, match: FaultMatch = FaultMatch(), fromMilliseconds: Int64 = 0,
        untilMilliseconds: Int64? = nil, probability: Double? = nil, fault: Fault, line: Int = 0
    ) {
        self.name = name
        self.match = match
        self.fromMilliseconds = fromMilliseconds
        self.untilMilliseconds = untilMilliseconds
        self.probability = probability
        self.fault = fault
        self.line = line
    }

    /// Whether the rule is active at `milliseconds`.
    public func isActive(at milliseconds: Int64) -> Bool {
        milliseconds >= fromMilliseconds && untilMilliseconds.map { milliseconds < $0 } ?? true
    }

    /// Why the rule can never match a request, when its path is exact and not one of `paths` (the
    /// paths the API serves): a warning for the one who wrote it; nil when it can match.
    public func unservedPathWarning(served paths: Set<String>) -> String? {
        guard let path = match.path, !path.contains("*"), !paths.contains(path) else { return nil }
        let label = name.map { "rule '\($0)'" } ?? "a rule"
        return "\(label) matches the path \(path), which Decoy does not serve, so it never applies "
            + "(the endpoints are listed in docs/endpoints.md; use * to match several)"
    }

    /// The same rule with its window moved `offset` later (a scenario's rules, whose t = 0 is
    /// when the scenario started, in a sandbox that started earlier).
    public func delayed(by offset: Int64) -> FaultRule {
        var rule = self
        rule.fromMilliseconds += offset
        rule.untilMilliseconds = untilMilliseconds.map { $0 + offset }
        return rule
    }

    /// The same rule active for `duration` from `start` (a timed step when it fires).
    public func active(from start: Int64, forMilliseconds duration: Int64) -> FaultRule {
        var rule = self
        rule.fromMilliseconds = start
        rule.untilMilliseconds = start + duration
        return rule
    }
}

/// Which exchanges a rule touches (and which open streams a `dropStreams` action ends); every
/// field left out matches anything.
public struct FaultMatch: Sendable, Equatable {
    /// The camera's id (a name in the file is resolved when it is read): matches `cameraId=<id>`
    /// or `camera=<position>` in the query.
    public var cameraID: Int64?
    /// The decoded path, exact unless it holds `*`.
    public var path: String?
    /// The role of the user the exchange claims (token session, `user=` or the Basic/Digest name).
    public var role: Role?
    /// The user the exchange claims (not checked: a wrong password still names a user).
    public var user: String?
    public var auth: AuthKind?
    /// The client's IP address, exact unless it holds `*`.
    public var client: String?
    /// The request method, uppercase (`DESCRIBE`, `SETUP`, `GET`): RTSP faults often hit one step.
    public var method: String?
    /// `http` or `rtsp`: the protocol of the exchange.
    public var wire: ExchangeFacts.WireProtocol?

    public init(
        cameraID: Int64? = nil, path: String? = nil, role: Role? = nil, user: String? = nil, auth: AuthKind? = nil,
        client: String? = nil, method: String? = nil, wire: ExchangeFacts.WireProtocol? = nil
    ) {
        self.method = method
        self.wire = wire
        self.cameraID = cameraID
        self.path = path
        self.role = role
        self.user = user
        self.auth = auth
        self.client = client
    }

    /// Whether `facts` are of an exchange this matches.
    public func matches(_ facts: ExchangeFacts) -> Bool {
        if let path, !Glob.matches(path, facts.path) { return false }
        if !matches(client: facts.client) { return false }
        if let auth, auth != facts.auth { return false }
        if let cameraID, facts.cameraID != cameraID { return false }
        if let user, user != facts.user { return false }
        if let role, role != facts.role { return false }
        if let method, method != facts.method { return false }
        if let wire, wire != facts.wire { return false }
        return true
    }

    /// `camera 182399567, path /axis-cgi/*`; `every connection` when nothing is named.
    public var summary: String {
        let parts = [
            cameraID.map { "camera \($0)" }, path.map { "path \($0)" }, role.map { "role \($0.rawValue)" },
            user.map { "user \($0)" }, auth.map { "auth \($0.rawValue)" }, client.map { "client \($0)" },
            method.map { "method \($0)" }, wire.map { "protocol \($0.rawValue)" },
        ].compactMap { $0 }
        return parts.isEmpty ? "every connection" : parts.joined(separator: ", ")
    }

    /// Whether a connection from `client` matches (all a `refuse` rule can know at accept time).
    public func matches(client address: String) -> Bool {
        client.map { Glob.matches($0, address) } ?? true
    }
}
