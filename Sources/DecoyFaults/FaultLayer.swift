import NIOConcurrencyHelpers
import NIOCore

/// The one owner of a run's fault state (`FaultState`): the transport asks it once per exchange
/// (`decide`) and once per accepted connection (`refusal`) and tells it what a plan led to (a
/// login answered, a stream's last frame); the scenario's timeline and the control API change its
/// rules and session state. Every call takes the lock once, so a rules change never falls between
/// the two halves of a decision.
///
/// Shared by every network thread: one short critical section per exchange, none per frame.
public final class FaultLayer: Sendable {
    private let state: NIOLockedValueBox<FaultState>

    /// A layer drawing from `seed`, with `rules` in force from the start (labelled `rules[N]`).
    public init(seed: UInt64, rules: [FaultRule] = []) {
        state = NIOLockedValueBox(FaultState(seed: seed, rules: rules))
    }

    public var seed: UInt64 { state.withLockedValue { $0.seed } }

    // MARK: Asked by the transport

    /// The plan for one exchange.
    public func decide(_ facts: ExchangeFacts) -> FaultPlan { state.withLockedValue { $0.decide(facts) } }

    /// The per-packet RTSP media faults a playing session with `facts` has, with their windows.
    public func mediaWindows(_ facts: ExchangeFacts) -> [MediaWindow] {
        state.withLockedValue { $0.mediaWindows(facts) }
    }

    /// Whether a connection from `client`, accepted at `now`, is refused; the fault's label when it is.
    public func refusal(client: String, at now: Int64) -> String? {
        state.withLockedValue { $0.refusal(client: client, at: now) }
    }

    /// A login was answered (`failed`: refused); lockouts count it. Not called for a login the
    /// lockout itself refused (`FaultPlan.lockedOut`).
    public func loginAnswered(client: String, failed: Bool, at now: Int64) {
        state.withLockedValue { $0.loginAnswered(client: client, failed: failed, at: now) }
    }

    /// A stream reached its frame limit: whether `token` was doomed by `rejectStreamToken` (the
    /// caller revokes it then, before the client sees the close).
    public func streamReachedFrameLimit(token: String) -> Bool {
        state.withLockedValue { $0.streamReachedFrameLimit(token: token) }
    }

    /// `staleFrames` on a snapshot: the body first served under `key` (this one, the first time).
    public func pinSnapshot(_ body: ByteBuffer, key: String) -> ByteBuffer {
        state.withLockedValue { $0.pinSnapshot(body, key: key) }
    }

    // MARK: Changed by the timeline and the control API

    /// The rules in force, in draw order (without the timed steps').
    public var rules: [FaultState.Entry] { state.withLockedValue { $0.rules } }

    public func rule(id: String) -> FaultState.Entry? { state.withLockedValue { $0.rules.first { $0.id == id } } }

    /// Adds `rule` (its window in run time) and returns its entry.
    @discardableResult
    public func add(_ rule: FaultRule, origin: RuleOrigin) -> FaultState.Entry {
        state.withLockedValue { $0.add(rule, origin: origin) }
    }

    /// Removes the rule with this id; nil when there is none.
    public func remove(id: String) -> FaultState.Entry? {
        state.withLockedValue { state in
            guard let index = state.rules.firstIndex(where: { $0.id == id }) else { return nil }
            return state.rules.remove(at: index)
        }
    }

    /// Removes every rule from `origin`; how many there were.
    @discardableResult
    public func removeAll(origin: RuleOrigin) -> Int {
        state.withLockedValue { state in
            let before = state.rules.count
            state.rules.removeAll { $0.origin == origin }
            return before - state.rules.count
        }
    }

    /// A scenario's `rules:` in place of the previous scenario's, with its t = 0 at `start`.
    public func installScenarioRules(_ rules: [FaultRule], startingAt start: Int64) {
        state.withLockedValue { $0.installScenarioRules(rules, startingAt: start) }
    }

    /// A timed step (`network:`/`media:`) fired at `now`: its rule is active for `duration` from now.
    public func addTimedRule(_ rule: FaultRule, forMilliseconds duration: Int64, at now: Int64) {
        state.withLockedValue { $0.addTimedRule(rule, forMilliseconds: duration, at: now) }
    }

    /// The next `count` logins fail.
    public func failNextLogins(_ count: Int) { state.withLockedValue { $0.failNextLogins(count) } }

    /// From now on, `after` failed logins in a row lock a client address out for `milliseconds`.
    public func lockOut(after: Int, forMilliseconds milliseconds: Int64) {
        state.withLockedValue { $0.lockOut(after: after, forMilliseconds: milliseconds) }
    }

    /// The next live stream with a valid token (of `user`, when named) ends after `afterFrames` frames.
    public func rejectNextStreamToken(afterFrames: Int, user: String?) {
        state.withLockedValue { $0.rejectNextStreamToken(afterFrames: afterFrames, user: user) }
    }

    /// A `rejectStreamToken` put on an open stream (its facts as it started); the label, or nil
    /// when it does not qualify.
    public func claimOpenStream(_ facts: ExchangeFacts, afterFrames: Int, user: String?) -> String? {
        state.withLockedValue { $0.claimOpenStream(facts, afterFrames: afterFrames, user: user) }
    }

    /// Back to the scenario's rules with fresh draws and no session state (`FaultState.reset`);
    /// how many control rules were removed.
    @discardableResult
    public func reset() -> Int {
        state.withLockedValue { state in
            let control = state.rules.filter { $0.origin == .control }.count
            state.reset()
            return control
        }
    }
}
