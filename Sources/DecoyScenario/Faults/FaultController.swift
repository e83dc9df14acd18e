import DecoyCore
import DecoyServer
import DecoyTinyCam
import Foundation
import NIOCore

/// The state of every request-level fault in a run: the scenario's rules, the rules `network:`
/// steps add, failed-login and lockout state, and the seeded generator.
///
/// Determinism: for each request, in the order requests reach the fault layer, every rule that is
/// active and matches draws one number when it has a `probability` (rules in file order, then
/// `network:`/`media:` steps in the order they fired), and a latency rule that hits with `jitter`
/// draws one more. Network and media rules draw in the same pass as the request-level ones (one
/// decision per request covers every layer), except `refuse` rules: they draw, in the same rule
/// order, once per accepted connection, when it is accepted (before any request on it). So the
/// same seed and the same sequence of requests and connections fault the same ones by the same
/// amounts; concurrent clients make the arrival order, and so the sequence, theirs.
public final class FaultController: @unchecked Sendable {  // the mutable state is only touched under `lock`
    private struct Labelled {
        var rule: FaultRule
        var label: String
    }

    private struct State {
        /// The scenario's (and the control API's) rules, in file order.
        var baseRules: [Labelled]
        /// What `network:`/`media:` steps added, in the order they fired.
        var stepRules: [Labelled] = []
        /// Every rule in draw order: the base rules, then the steps'.
        var rules: [Labelled] { baseRules + stepRules }
        var generator: SeededGenerator
        var failLogins = 0
        var lockout: (after: Int, milliseconds: Int64)?
        var failures: [String: Int] = [:]
        var lockedUntil: [String: Int64] = [:]
        var networkSteps = 0
        /// The snapshots `staleFrames` keeps serving, by path, camera, size and quality.
        var staleSnapshots: [String: ByteBuffer] = [:]
        /// `rejectStreamToken` steps not yet used by a stream, in the order they fired.
        var streamTokenRejections: [(afterFrames: Int, user: String?)] = []
        /// Tokens of streams a rejection was put on: revoked when the stream's last frame goes out.
        var doomedTokens: Set<String> = []
    }

    static let loginPath = "/api/v1/login"
    static let streamPath = "/axis-cgi/mjpg/video.cgi"

    private let lock = NSLock()
    private var state: State
    private let roles: [String: Role]
    private let cameraIDs: [Int64]
    private let tokens: TokenStore?
    private let server: ServerConfig

    /// `tokens` lets `role`/`user` matches see who a token belongs to (nil: tokens name nobody).
    public init(rules: [FaultRule], seed: UInt64, config: DecoyConfig, tokens: TokenStore?) {
        state = State(baseRules: Self.labelled(rules), generator: SeededGenerator(seed: seed))
        roles = Dictionary(config.users.map { ($0.name, $0.role) }, uniquingKeysWith: { first, _ in first })
        cameraIDs = config.cameras.map(\.id)
        self.tokens = tokens
        server = config.server
    }

    /// A `network:` step fired at `now`: its rule is active for its `for:` from now.
    public func addNetworkRule(_ rule: FaultRule, forMilliseconds duration: Int64, at now: Int64) {
        lock.withLock {
            state.networkSteps += 1
            let label = rule.name ?? "network step \(state.networkSteps)"
            state.stepRules.append(Labelled(rule: rule.shifted(to: now, forMilliseconds: duration), label: label))
        }
    }

    /// Puts `rules` in place of the base rules (the control API changed them). Everything else
    /// goes on as it was: the seeded draws continue, and the steps' rules, pending failed logins,
    /// lockout state, stream-token rejections and pinned snapshots are kept.
    public func replaceRules(_ rules: [FaultRule]) {
        let labelled = Self.labelled(rules)
        lock.withLock { state.baseRules = labelled }
    }

    private static func labelled(_ rules: [FaultRule]) -> [Labelled] {
        rules.enumerated().map { Labelled(rule: $1, label: $1.name ?? "rules[\($0)]") }
    }

    /// The next `count` logins fail (added to any still pending).
    public func failNextLogins(_ count: Int) { lock.withLock { state.failLogins += count } }

    /// From now on, `after` failed logins in a row from one client address lock it out for `milliseconds`.
    public func lockOut(after: Int, forMilliseconds milliseconds: Int64) {
        lock.withLock { state.lockout = (after, milliseconds) }
    }

    /// The next MJPEG stream that starts with a valid token (of `user`, when named) ends after
    /// `afterFrames` frames and its token is revoked then (`streamReachedFrameLimit`).
    public func rejectNextStreamToken(afterFrames: Int, user: String?) {
        lock.withLock { state.streamTokenRejections.append((afterFrames, user)) }
    }

    /// For a stream already open (`target` as sent): puts a `rejectStreamToken` on it when it
    /// carries a valid token (of `user`, when named) no rejection is on yet; the fault's label, or
    /// nil when it does not qualify.
    public func claimOpenStream(target: String, afterFrames: Int, user: String?) -> String? {
        guard let token = Self.token(inTarget: target[...]), let session = tokens?.session(for: token),
            user == nil || user == session.user
        else { return nil }
        let claimed = lock.withLock { state.doomedTokens.insert(token).inserted }
        return claimed ? Self.rejectionLabel(frames: afterFrames, user: session.user) : nil
    }

    static func rejectionLabel(frames: Int, user: String) -> String {
        "rejectStreamToken after \(frames) frames (\(user))"
    }

    /// A stream's frame limit was reached (its last frame is on its way): if a `rejectStreamToken`
    /// was put on it, its token is revoked now, before the client can see the close and come back.
    public func streamReachedFrameLimit(target: Substring) {
        guard let token = Self.token(inTarget: target) else { return }
        let doomed = lock.withLock { state.doomedTokens.remove(token) != nil }
        if doomed { tokens?.revoke(token) }
    }

    /// The `token` parameter of a request target, decoded.
    static func token(inTarget target: Substring) -> String? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        let parameters = RequestRecord.rawParameters(target[target.index(after: mark)...])
        return parameters.last { $0.name == "token" }?.value
    }

    /// What to do with `request`, arriving at `now` (milliseconds since t = 0).
    func decide(_ request: TinyCamRequest, at now: Int64) -> FaultDecision {
        let facts = RequestFacts(request)
        let identity = lock.withLock { state.rules.contains { $0.rule.match.needsIdentity } } ? claimed(facts) : nil
        return lock.withLock {
            var decision = FaultDecision()
            if facts.path == Self.loginPath { loginFaults(facts, at: now, into: &decision) }
            if decision.lockedOut { return decision }
            for entry in state.rules where entry.rule.isActive(at: now) && entry.rule.fault != .network(.refuse) {
                guard matches(entry.rule.match, facts, identity: identity) else { continue }
                if let probability = entry.rule.probability, state.generator.unit() >= probability { continue }
                apply(entry, into: &decision)
            }
            if !state.streamTokenRejections.isEmpty, facts.path == Self.streamPath {
                rejectToken(facts, into: &decision)
            }
            return decision
        }
    }

    /// Puts the first pending `rejectStreamToken` that fits on this stream, when it carries a
    /// valid token (an invalid one is refused by the API anyway, and must not use the step up).
    private func rejectToken(_ facts: RequestFacts, into decision: inout FaultDecision) {
        guard facts.auth == .token, let token = facts.parameter("token"), let session = tokens?.session(for: token),
            let index = state.streamTokenRejections.firstIndex(where: { $0.user == nil || $0.user == session.user })
        else { return }
        let frames = state.streamTokenRejections.remove(at: index).afterFrames
        state.doomedTokens.insert(token)
        var transport = decision.transport ?? ExchangeFaults()
        transport.closeAfterFrames = min(transport.closeAfterFrames ?? frames, frames)
        noteTransport(Self.rejectionLabel(frames: frames, user: session.user), transport, into: &decision)
    }

    /// Whether a connection from `client`, accepted at `now`, is refused: the label of the first
    /// active `refuse` rule that matches it and hits its probability (each such rule draws).
    func refusal(forClient client: String, at now: Int64) -> String? {
        lock.withLock {
            var refused: String?
            for entry in state.rules where entry.rule.fault == .network(.refuse) && entry.rule.isActive(at: now) {
                if let pattern = entry.rule.match.client, !Glob.matches(pattern, client) { continue }
                if let probability = entry.rule.probability, state.generator.unit() >= probability { continue }
                if refused == nil { refused = "refuse (\(entry.label))" }
            }
            return refused
        }
    }

    /// `staleFrames` on a snapshot: the first JPEG served for this camera, size and quality while
    /// the fault hits is served again instead of every newer one (the stream side pins per viewer).
    func pinSnapshot(_ response: inout TinyCamResponse, for request: TinyCamRequest) {
        guard case .bytes(let body) = response.body, response.header("Content-Type") == "image/jpeg" else { return }
        let facts = RequestFacts(request)
        let key = [
            facts.path, facts.cameraID(positions: cameraIDs).map(String.init) ?? "-",
            facts.parameter("resolution") ?? "",
            facts.parameter("compression") ?? "",
        ].joined(separator: " ")
        let pinned = lock.withLock {
            if let pinned = state.staleSnapshots[key] { return pinned }
            state.staleSnapshots[key] = body
            return body
        }
        response.body = .bytes(pinned)
    }

    /// Counts failed logins for the lockout, once the client has its answer.
    func observe(_ request: TinyCamRequest, response: TinyCamResponse, decision: FaultDecision, at now: Int64) {
        guard !decision.lockedOut, RequestFacts.path(request) == Self.loginPath else { return }
        let failed = response.status.code == 403 || Self.isLegacyError(response)
        lock.withLock {
            guard let lockout = state.lockout else { return }
            let client = request.clientAddress
            guard failed else {
                state.failures[client] = nil
                return
            }
            let count = (state.failures[client] ?? 0) + 1
            if count >= lockout.after {
                state.lockedUntil[client] = now + lockout.milliseconds
                state.failures[client] = nil
            } else {
                state.failures[client] = count
            }
        }
    }

    private func loginFaults(_ facts: RequestFacts, at now: Int64, into decision: inout FaultDecision) {
        let client = facts.request.clientAddress
        if let until = state.lockedUntil[client] {
            if now < until {
                decision.replacement = invalidCredentials()
                decision.lockedOut = true
                decision.applied.append("lockout until \(RunTime.text(until))")
                return
            }
            state.lockedUntil[client] = nil
        }
        if state.failLogins > 0 {
            state.failLogins -= 1
            decision.replacement = invalidCredentials()
            decision.applied.append("failLogins (\(state.failLogins) left)")
        }
    }

    private func apply(_ entry: Labelled, into decision: inout FaultDecision) {
        switch entry.rule.fault {
        case .latency(let fixed, let jitter):
            let extra = jitter > 0 ? Int64((state.generator.unit() * Double(jitter + 1)).rounded(.down)) : 0
            decision.latencyMilliseconds += fixed + extra
            decision.applied.append("latency \(fixed + extra) ms (\(entry.label))")
        case .status(let code, let body):
            guard decision.replacement == nil else { return }
            decision.replacement = decorated(Self.statusResponse(code: code, body: body))
            decision.applied.append("status \(code) (\(entry.label))")
        case .legacyErrors(let on):
            decision.legacyErrors = on
            decision.legacyLabel = entry.label
        case .network(let fault):
            var transport = decision.transport ?? ExchangeFaults()
            guard TransportFaultMerge.add(fault, to: &transport) else { return }
            noteTransport("\(entry.rule.fault.summary) (\(entry.label))", transport, into: &decision)
        case .media(let fault):
            var transport = decision.transport ?? ExchangeFaults()
            guard transport.media == nil else { return }
            transport.media = fault
            noteTransport("\(entry.rule.fault.summary) (\(entry.label))", transport, into: &decision)
        }
    }

    /// Hands `transport` to the decision with `applied` added to its label and to the journal's list.
    private func noteTransport(_ applied: String, _ transport: ExchangeFaults, into decision: inout FaultDecision) {
        var transport = transport
        transport.label = transport.label.isEmpty ? applied : transport.label + "; " + applied
        decision.transport = transport
        decision.applied.append(applied)
    }

    private func matches(_ match: FaultMatch, _ facts: RequestFacts, identity: (user: String?, role: Role?)?) -> Bool {
        if let path = match.path, !Glob.matches(path, facts.path) { return false }
        if let client = match.client, !Glob.matches(client, facts.request.clientAddress) { return false }
        if let auth = match.auth, auth != facts.auth { return false }
        if let camera = match.cameraID, facts.cameraID(positions: cameraIDs) != camera { return false }
        if let user = match.user, user != identity?.user { return false }
        if let role = match.role, role != identity?.role { return false }
        return true
    }

    /// Who the request says it is: a token's session, `user=`, or the Basic/Digest user name. Not
    /// verified (a wrong password still names its user); the role is that user's.
    private func claimed(_ facts: RequestFacts) -> (user: String?, role: Role?) {
        if let token = facts.parameter("token") {
            let session = tokens?.session(for: token)
            return (session?.user, session?.role)
        }
        let user = facts.parameter("user") ?? facts.headerUser
        return (user, user.flatMap { roles[$0] })
    }

    private func invalidCredentials() -> TinyCamResponse {
        decorated(APIError.auth(.invalidCredentials).response(legacyStatus200: server.legacyErrorStatus200))
    }

    /// The headers the API puts on every answer, so a faulted answer looks like Decoy's own.
    private func decorated(_ response: TinyCamResponse) -> TinyCamResponse {
        var response = response
        response.headers.insert(("Server", server.serverHeader), at: 0)
        if server.cors { response.headers.append(("Access-Control-Allow-Origin", "*")) }
        return response
    }

    /// `HTTP 503. Service Unavailable.` unless the rule gave a body.
    static func statusResponse(code: Int, body: String?) -> TinyCamResponse {
        let reason = reasons[code] ?? (code < 400 ? "OK" : code < 500 ? "Client Error" : "Server Error")
        let status = HTTPStatus(code: code, reason: reason)
        return body.map { .text(status, $0) } ?? .failure(status, reason + ".")
    }

    static let reasons = [
        200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
        408: "Request Timeout", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout",
    ]

    /// A 200 whose body is one of the `HTTP 403. …` errors (`server.legacyErrorStatus200`).
    static func isLegacyError(_ response: TinyCamResponse) -> Bool {
        guard response.status.code == 200, let body = response.bodyBytes else { return false }
        return body.getString(at: body.readerIndex, length: min(9, body.readableBytes)) == "HTTP 403."
    }
}
