import DecoyServer
import Logging

/// Performs actions in a sandbox: the fault-layer ones (`network:`, failed logins, lockouts, stream tokens)
/// through the `RuleBook`, so they survive a rules change made through the control API; the rest
/// as `RuntimeActionPerformer` does.
public struct SandboxActionPerformer: ScenarioActionPerformer {
    public let runtime: DecoyRuntime
    public let rules: RuleBook
    public let clock: RunClock
    public let logger: Logger

    public init(runtime: DecoyRuntime, rules: RuleBook, clock: RunClock, logger: Logger) {
        self.runtime = runtime
        self.rules = rules
        self.clock = clock
        self.logger = logger
    }

    public func perform(_ action: ScenarioAction) async -> String? {
        switch action {
        case .network(let rule, let duration):
            rules.addNetworkRule(rule, forMilliseconds: duration, at: clock.elapsedMilliseconds())
            return nil
        case .auth(.failLogins(let count)):
            rules.failNextLogins(count)
            return nil
        case .auth(.lockout(let after, let duration)):
            rules.lockOut(after: after, forMilliseconds: duration)
            return nil
        case .auth(.rejectStreamToken):
            let performer = RuntimeActionPerformer(
                runtime: runtime, faults: rules.enabledController(), clock: clock, logger: logger)
            return await performer.perform(action)
        default:
            let performer = RuntimeActionPerformer(
                runtime: runtime, faults: rules.controller, clock: clock, logger: logger)
            return await performer.perform(action)
        }
    }
}
