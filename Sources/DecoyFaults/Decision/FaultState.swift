import DecoyCore
import NIOCore

/// Everything the fault layer knows, as one value: the rules (with their control-API ids), the
/// seeded generator, and the session state faults read and change (failed logins and lockouts,
/// pending `failLogins`, stream-token rejections, pinned snapshots). Its methods are the pure
/// decider: facts in, a `FaultPlan` out, the state moved on. `FaultLayer` owns one behind a lock.
///
/// Determinism: for each exchange, in the order exchanges reach the decider, every rule that is
/// active and matches draws one number when it has a `probability` (the rules in order, then the
/// timed steps' rules in the order they fired), and a latency rule that hits with `jitter` draws one
/// more. Network and media rules draw in the same pass as the others (one decision per exchange
/// covers every layer), except `refuse` rules: they draw, in the same rule order, once per accepted
/// connection, when it is accepted (before any request on it). So the same seed and the same
/// sequence of exchanges and connections fault the same ones by the same amounts; concurrent
/// clients make the arrival order, and so the sequence, theirs.
public struct FaultState: Sendable {
    /// A rule as the layer keeps it.
    public struct Entry: Sendable, Equatable {
        /// The control API's id (`/rules/<id>`); nil for a rule given at start.
        public var id: String?
        public var origin: RuleOrigin
        public var rule: FaultRule
    }

    public let seed: UInt64
    /// The rules in draw order (scenario, control API, given at start), without the timed steps'.
    public internal(set) var rules: [Entry]
    /// What timed `network:`/`media:` steps added, in the order they fired; each labelled.
    var timedRules: [(rule: FaultRule, label: String)] = []
    var timedSteps = 0
    var nextID = 1
    var generator: SeededGenerator
    var logins = LoginFaults()
    var streamTokens = StreamTokenRejections()
    /// The snapshots `staleFrames` keeps serving, by what they show (the transport's key).
    var pinnedSnapshots = PinnedSnapshots()

    public init(seed: UInt64, rules: [FaultRule] = []) {
        self.seed = seed
        generator = SeededGenerator(seed: seed)
        self.rules = rules.map { Entry(id: nil, origin: .given, rule: $0) }
    }

    /// What to do with the exchange `facts` describe.
    public mutating func decide(_ facts: ExchangeFacts) -> FaultPlan {
        var plan = FaultPlan()
        if !pinnedSnapshots.isEmpty, !hasActiveStaleFrames(at: facts.milliseconds) { pinnedSnapshots.removeAll() }
        if facts.purpose == .login { logins.decide(client: facts.client, at: facts.milliseconds, into: &plan) }
        if plan.lockedOut { return plan }
        for (rule, label) in labelledRules()
        where rule.isActive(at: facts.milliseconds) && rule.fault != .network(.refuse) {
            guard rule.match.matches(facts), Self.decidedPerExchange(rule.fault, wire: facts.wire) else { continue }
            if let probability = rule.probability, generator.unit() >= probability { continue }
            apply(rule.fault, label: label, into: &plan)
        }
        if facts.purpose == .liveStream { streamTokens.decide(facts, into: &plan) }
        return plan
    }

    /// Whether a connection from `client`, accepted at `now`, is refused: the label of the first
    /// active `refuse` rule that matches it and hits its probability (each such rule draws).
    public mutating func refusal(client: String, at now: Int64) -> String? {
        var refused: String?
        for (rule, label) in labelledRules() where rule.fault == .network(.refuse) && rule.isActive(at: now) {
            guard rule.match.matches(client: client) else { continue }
            if let probability = rule.probability, generator.unit() >= probability { continue }
            if refused == nil { refused = "refuse (\(label))" }
        }
        return refused
    }

    /// Whether `fault` is decided with an exchange on `wire`: a media fault only on the protocol it
    /// damages, and RTSP's per-packet faults not at all (they follow their windows while a session
    /// plays, `mediaWindows`).
    static func decidedPerExchange(_ fault: Fault, wire: ExchangeFacts.WireProtocol) -> Bool {
        guard case .media(let media) = fault else { return true }
        return media.isRTSP == (wire == .rtsp) && !media.followsWindow
    }

    /// The per-packet RTSP media faults (`MediaFault.followsWindow`) of rules that match a session
    /// whose PLAY `facts` describe, each with its rule's window; a rule with a `probability` draws
    /// once here (the session has the fault for the whole window, or not at all). Rules whose
    /// window has passed are left out. Asked when the session starts playing and again as it
    /// plays, so timed steps that fire later reach it too.
    public mutating func mediaWindows(_ facts: ExchangeFacts) -> [MediaWindow] {
        var windows: [MediaWindow] = []
        for (rule, label) in labelledRules() {
            guard case .media(let media) = rule.fault, media.followsWindow,
                rule.untilMilliseconds.map({ $0 > facts.milliseconds }) ?? true, rule.match.matches(facts)
            else { continue }
            if let probability = rule.probability, generator.unit() >= probability { continue }
            windows.append(
                MediaWindow(
                    fault: media, fromMilliseconds: rule.fromMilliseconds, untilMilliseconds: rule.untilMilliseconds,
                    label: "media \(media) (\(label))"))
        }
        return windows
    }

    /// Every rule in draw order with the label the journal shows: its name, else `rules[N]`.
    private func labelledRules() -> [(FaultRule, String)] {
        rules.enumerated().map { ($1.rule, $1.rule.name ?? "rules[\($0)]") } + timedRules.map { ($0.rule, $0.label) }
    }

    private mutating func apply(_ fault: Fault, label: String, into plan: inout FaultPlan) {
        switch fault {
        case .latency(let fixed, let jitter):
            let extra = jitter > 0 ? Int64((generator.unit() * Double(jitter + 1)).rounded(.down)) : 0
            plan.latencyMilliseconds += fixed + extra
            plan.applied.append("latency \(fixed + extra) ms (\(label))")
        case .status(let code, let body):
            guard plan.replacement == nil else { return }
            plan.replacement = .status(code: code, body: body)
            plan.applied.append("status \(code) (\(label))")
        case .legacyErrors(let on):
            plan.legacyErrors = FaultPlan.LegacyErrors(on: on, label: label)
        case .network(let network):
            var wire = plan.wire ?? ExchangeFaults()
            guard wire.add(network) else { return }
            plan.noteWire("\(fault.summary) (\(label))", wire)
        case .media(let media):
            var wire = plan.wire ?? ExchangeFaults()
            guard wire.media == nil else { return }
            wire.media = media
            plan.noteWire("\(fault.summary) (\(label))", wire)
        }
    }

    // MARK: Rules and timed steps

    /// A timed step (`network:`/`media:`) fired at `now`: its rule is active for `duration` from now.
    /// Rules whose window has passed are dropped (they can never match or draw again), so a
    /// long-running sandbox with an `every:` step does not pile them up.
    public mutating func addTimedRule(_ rule: FaultRule, forMilliseconds duration: Int64, at now: Int64) {
        timedRules.removeAll { $0.rule.untilMilliseconds.map { $0 <= now } ?? false }
        timedSteps += 1
        let label = rule.name ?? "network step \(timedSteps)"
        timedRules.append((rule.active(from: now, forMilliseconds: duration), label))
    }

    /// Adds `rule` from `origin` with the next id; a control rule without a name is named after its id.
    public mutating func add(_ rule: FaultRule, origin: RuleOrigin) -> Entry {
        let id = String(nextID)
        nextID += 1
        var named = rule
        if named.name == nil, origin == .control { named.name = "control rule \(id)" }
        let entry = Entry(id: id, origin: origin, rule: named)
        rules.append(entry)
        return entry
    }

    /// Puts a scenario's `rules:` in place of the previous scenario's, moved to start at `start`
    /// (its t = 0 in run time) and named `rules[N]` as in its file when unnamed.
    public mutating func installScenarioRules(_ scenarioRules: [FaultRule], startingAt start: Int64) {
        rules.removeAll { $0.origin == .scenario }
        for (index, rule) in scenarioRules.enumerated() {
            var named = rule.delayed(by: start)
            named.name = rule.name ?? "rules[\(index)]"
            _ = add(named, origin: .scenario)
        }
    }

    /// A clean slate for the next test: control rules, timed rules and every piece of session
    /// state are forgotten and the draws start again from the seed; the scenario's rules stay.
    public mutating func reset() {
        var fresh = FaultState(seed: seed)
        fresh.rules = rules.filter { $0.origin != .control }
        fresh.nextID = nextID
        self = fresh
    }

    // MARK: Session state

    /// The next `count` logins fail (added to any still pending).
    public mutating func failNextLogins(_ count: Int) { logins.pending += count }

    /// From now on, `after` failed logins in a row from one client address lock it out for `milliseconds`.
    public mutating func lockOut(after: Int, forMilliseconds milliseconds: Int64) {
        logins.lockout = (after, milliseconds)
    }

    /// A login was answered (not one the lockout refused): counts toward the lockout.
    public mutating func loginAnswered(client: String, failed: Bool, at now: Int64) {
        logins.answered(client: client, failed: failed, at: now)
    }

    /// The next live stream with a valid token (of `user`, when named) ends after `afterFrames`
    /// frames and its token is revoked then.
    public mutating func rejectNextStreamToken(afterFrames: Int, user: String?) {
        streamTokens.pending.append((afterFrames, user))
    }

    /// For a stream already open: puts a `rejectStreamToken` on it when it carries a valid token
    /// (of `user`, when named) no rejection is on yet; the fault's label, or nil.
    public mutating func claimOpenStream(_ facts: ExchangeFacts, afterFrames: Int, user: String?) -> String? {
        streamTokens.claim(facts, afterFrames: afterFrames, user: user)
    }

    /// A stream's frame limit was reached: whether its token was doomed (then the caller revokes it).
    public mutating func streamReachedFrameLimit(token: String) -> Bool {
        streamTokens.doomed.remove(token) != nil
    }

    /// `staleFrames` on a snapshot: the first body served under `key` while the fault hits is
    /// served again instead of every newer one.
    public mutating func pinSnapshot(_ body: ByteBuffer, key: String) -> ByteBuffer {
        pinnedSnapshots.pin(body, key: key)
    }

    /// Whether a `staleFrames` rule is in its window at `now`: the pins last as long as one is, so
    /// the next such fault starts from a fresh picture rather than one from an earlier window.
    private func hasActiveStaleFrames(at now: Int64) -> Bool {
        rules.contains { $0.rule.isStaleFrames(at: now) } || timedRules.contains { $0.rule.isStaleFrames(at: now) }
    }
}

/// Where a rule came from: a scenario's `rules:` (removed when it stops), the control API, or
/// given when the layer was made.
public enum RuleOrigin: String, Sendable, Codable {
    case scenario, control, given
}

extension FaultPlan {
    /// Hands `wire` to the plan with `applied` added to its label and to the journal's list.
    mutating func noteWire(_ applied: String, _ wire: ExchangeFaults) {
        var wire = wire
        wire.label = wire.label.isEmpty ? applied : wire.label + "; " + applied
        self.wire = wire
        self.applied.append(applied)
    }
}
