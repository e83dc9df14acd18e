import DecoyCore
import DecoyTinyCam
import Foundation

/// The fault rules in force in a sandbox, which the control API can list, add and remove while
/// Decoy serves: the loaded scenario's rules and the ones posted through the control API.
///
/// A change of rules replaces the controller's rules in place (`FaultController.replaceRules`),
/// so nothing else restarts: the seeded draws continue from where they were, and what steps and
/// actions asked for (`network:` rules, pending `failLogins`, the lockout and who is locked out,
/// `rejectStreamToken`) stays. `reset` alone starts over with a fresh controller.
public final class RuleBook: @unchecked Sendable {  // `state` is only touched under `lock`
    /// Where a rule came from: the scenario's `rules:` (removed when it stops) or the control API.
    public enum Origin: String, Sendable, Codable {
        case scenario, control
    }

    /// A rule with its id (the control API's `/rules/<id>`).
    public struct Entry: Sendable {
        public let id: String
        public let origin: Origin
        /// Its window is in journal time (ms since the sandbox started).
        public let rule: FaultRule
    }

    private struct NetworkStep {
        var rule: FaultRule
        var start: Int64
        var duration: Int64
    }

    private struct State {
        var entries: [Entry] = []
        var nextID = 1
        var network: [NetworkStep] = []
        var lockout: (after: Int, milliseconds: Int64)?
        var controller: FaultController?
        var tokens: TokenStore?
        /// Whether a controller exists even with nothing in it (a scenario whose auth steps need it).
        var enabled: Bool
    }

    public let seed: UInt64
    public let config: DecoyConfig
    private let lock = NSLock()
    private var state: State

    /// `enabled`: build a controller from the start (a scenario that can fault requests); otherwise
    /// there is none, and the fault layer passes requests straight on, until something needs one.
    public init(seed: UInt64, config: DecoyConfig, enabled: Bool = false) {
        self.seed = seed
        self.config = config
        state = State(enabled: enabled)
        rebuild(&state)
    }

    /// Lets `role`/`user` matches see who a token belongs to; called once the API exists.
    public func attach(tokens: TokenStore) {
        lock.withLock {
            state.tokens = tokens
            rebuild(&state, fresh: true)
        }
    }

    /// What the fault layer asks, per request; nil while nothing could fault a request.
    public var controller: FaultController? { lock.withLock { state.controller } }

    public var entries: [Entry] { lock.withLock { state.entries } }

    public func entry(id: String) -> Entry? { lock.withLock { state.entries.first { $0.id == id } } }

    /// Adds `rule` (its window already in journal time) and returns its entry.
    @discardableResult
    public func add(_ rule: FaultRule, origin: Origin) -> Entry {
        lock.withLock {
            let id = String(state.nextID)
            state.nextID += 1
            var named = rule
            if named.name == nil { named.name = origin == .control ? "control rule \(id)" : nil }
            let entry = Entry(id: id, origin: origin, rule: named)
            state.entries.append(entry)
            rebuild(&state)
            return entry
        }
    }

    /// Removes the rule; nil when there is none with this id.
    public func remove(id: String) -> Entry? {
        lock.withLock {
            guard let index = state.entries.firstIndex(where: { $0.id == id }) else { return nil }
            let entry = state.entries.remove(at: index)
            rebuild(&state)
            return entry
        }
    }

    /// Removes every rule from `origin`; returns how many there were.
    @discardableResult
    public func removeAll(origin: Origin) -> Int {
        lock.withLock {
            let before = state.entries.count
            state.entries.removeAll { $0.origin == origin }
            rebuild(&state)
            return before - state.entries.count
        }
    }

    /// Installs a scenario's `rules:` with t = 0 of the scenario at `origin` (journal time); the
    /// unnamed ones are labelled `rules[N]` as in the file, so journals read the same as in `decoy run`.
    public func installScenarioRules(_ rules: [FaultRule], origin: Int64) {
        lock.withLock {
            state.entries.removeAll { $0.origin == .scenario }
            for (index, rule) in rules.enumerated() {
                var shifted = rule
                shifted.name = rule.name ?? "rules[\(index)]"
                shifted.fromMilliseconds += origin
                shifted.untilMilliseconds = rule.untilMilliseconds.map { $0 + origin }
                state.entries.append(Entry(id: String(state.nextID), origin: .scenario, rule: shifted))
                state.nextID += 1
            }
            rebuild(&state)
        }
    }

    /// A `network:` step fired at `now`: its rule is active for `duration` from now.
    public func addNetworkRule(_ rule: FaultRule, forMilliseconds duration: Int64, at now: Int64) {
        lock.withLock {
            state.network.append(NetworkStep(rule: rule, start: now, duration: duration))
            let controller = ensureController(&state)
            controller.addNetworkRule(rule, forMilliseconds: duration, at: now)
        }
    }

    /// The next `count` logins fail.
    public func failNextLogins(_ count: Int) {
        lock.withLock { ensureController(&state).failNextLogins(count) }
    }

    /// From now on, `after` failed logins in a row lock a client address out for `milliseconds`.
    public func lockOut(after: Int, forMilliseconds milliseconds: Int64) {
        lock.withLock {
            state.lockout = (after, milliseconds)
            ensureController(&state).lockOut(after: after, forMilliseconds: milliseconds)
        }
    }

    /// The controller, made now if there was none (an action that needs the fault layer).
    public func enabledController() -> FaultController { lock.withLock { ensureController(&state) } }

    /// Back to the scenario's rules: control rules, `network:` rules, the lockout setting and
    /// failed-login state are forgotten.
    public func reset() {
        lock.withLock {
            state.entries.removeAll { $0.origin == .control }
            state.network = []
            state.lockout = nil
            rebuild(&state, fresh: true)
        }
    }

    private func ensureController(_ state: inout State) -> FaultController {
        state.enabled = true
        if let controller = state.controller { return controller }
        let controller = makeController(state)
        state.controller = controller
        return controller
    }

    /// After a change of rules: the controller takes the new list, is made when first needed, and
    /// goes when nothing needs it any more (`fresh`: made anew, as after a reset).
    private func rebuild(_ state: inout State, fresh: Bool = false) {
        let needed = state.enabled || !state.entries.isEmpty || !state.network.isEmpty || state.lockout != nil
        if needed, !fresh, let controller = state.controller {
            controller.replaceRules(state.entries.map(\.rule))
        } else {
            state.controller = needed ? makeController(state) : nil
        }
    }

    private func makeController(_ state: State) -> FaultController {
        let controller = FaultController(
            rules: state.entries.map(\.rule), seed: seed, config: config, tokens: state.tokens)
        for step in state.network {
            controller.addNetworkRule(step.rule, forMilliseconds: step.duration, at: step.start)
        }
        if let lockout = state.lockout {
            controller.lockOut(after: lockout.after, forMilliseconds: lockout.milliseconds)
        }
        return controller
    }
}
