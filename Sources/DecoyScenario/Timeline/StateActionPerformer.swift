import DecoyCore
import DecoyFaults
import DecoyTinyCam

/// The actions that change state behind the API (tokens, status readings, app settings) or the
/// fault layer, without sockets: what `RuntimeActionPerformer` delegates to, and what tests drive
/// on a bare `TinyCamServices`.
public struct StateActionPerformer: Sendable {
    public let services: TinyCamServices
    /// The run's fault layer; nil on a bare API (the fault actions then say they were not applied).
    public let faults: FaultLayer?
    public let clock: RunClock

    public init(services: TinyCamServices, faults: FaultLayer?, clock: RunClock) {
        self.services = services
        self.faults = faults
        self.clock = clock
    }

    /// Nil when done; otherwise why not. Motion, restart and log are the runtime's.
    public func perform(_ action: ScenarioAction) -> String? {
        switch action {
        case .auth(let auth): return perform(auth)
        case .network(let rule, let duration):
            guard let faults else { return Self.noFaultLayer }
            faults.addTimedRule(rule, forMilliseconds: duration, at: clock.elapsedMilliseconds())
            return nil
        case .battery(let level, let charging):
            services.statusOverrides.update { values in
                if let level { values.batteryLevel = level }
                if let charging { values.batteryStatus = charging ? "charging" : "discharging" }
            }
            return nil
        case .storage(let full):
            services.statusOverrides.update { $0.storageFull = full }
            return nil
        case .settings(let change):
            services.settings.update { settings in
                if let notifications = change.notifications { settings.notifications = notifications }
                if let profile = change.profile { settings.streamProfile = profile }
                if let background = change.backgroundMode { settings.backgroundMode = background }
            }
            services.recordAudit("settings changed on the device: \(change.summary)")
            return nil
        case .camera(let name, let change):
            guard let camera = services.cameras.camera(named: name) else { return "no camera '\(name)'" }
            if change.resolution != nil || change.framesPerSecond != nil {
                camera.setFormat(size: change.resolution, framesPerSecond: change.framesPerSecond)
            }
            if let health = change.health { camera.setHealth(health) }
            return nil
        case .io(let name, let input, let active):
            guard let camera = services.cameras.camera(named: name) else { return "no camera '\(name)'" }
            guard let port = camera.io.input(named: input) else { return "camera '\(name)' has no input '\(input)'" }
            camera.io.set(port, active: active)
            return nil
        case .events(let kind, let duration):
            guard services.config.server.profile == .axis else {
                return "no event streams: they exist in the axis profile only (server.profile: axis)"
            }
            services.axisEvents.faults.add(kind, untilMilliseconds: services.clock.nowMilliseconds() + duration)
            return nil
        case .motion, .restart, .log, .drop:
            return "not a state action: \(action.summary)"
        }
    }

    private func perform(_ action: AuthAction) -> String? {
        switch action {
        case .revokeTokens(let user):
            let tokens = services.authenticator.tokens
            if let user { tokens.revokeAll(user: user) } else { tokens.revokeAll() }
            return nil
        case .failLogins(let count):
            guard let faults else { return Self.noFaultLayer }
            faults.failNextLogins(count)
            return nil
        case .lockout(let after, let duration):
            guard let faults else { return Self.noFaultLayer }
            faults.lockOut(after: after, forMilliseconds: duration)
            return nil
        case .rejectStreamToken(let frames, let user):
            guard let faults else { return Self.noFaultLayer }
            faults.rejectNextStreamToken(afterFrames: frames, user: user)
            return nil
        }
    }

    static let noFaultLayer = "there is no fault layer here (a bare API without a harness), so this was not applied"
}
