import DecoyFaults
import DecoyServer
import DecoyTinyCam
import Logging

/// Does a timeline action. The seam the fault layer and the control API will extend: a new
/// action needs a `ScenarioAction` case, its reader and a line here, nothing in the driver.
public protocol ScenarioActionPerformer: Sendable {
    /// Does `action` now; nil when done, otherwise why it could not be done (journaled).
    func perform(_ action: ScenarioAction) async -> String?
}

/// Performs actions on a running Decoy.
public struct RuntimeActionPerformer: ScenarioActionPerformer {
    public let runtime: DecoyRuntime
    public let state: StateActionPerformer
    public let logger: Logger

    /// `faults` is the run's fault layer (nil: the fault actions are not applied).
    public init(runtime: DecoyRuntime, faults: FaultLayer?, clock: RunClock, logger: Logger) {
        self.runtime = runtime
        self.state = StateActionPerformer(services: runtime.services, faults: faults, clock: clock)
        self.logger = logger
    }

    public func perform(_ action: ScenarioAction) async -> String? {
        switch action {
        case .motion(let name, let type, let duration):
            guard let camera = runtime.services.cameras.camera(named: name) else { return "no camera '\(name)'" }
            camera.activity.begin(type, origin: .api, durationMilliseconds: duration, showObject: true)
            return nil
        case .restart:
            runtime.server.scheduleRestart()
            return nil
        case .log(let message):
            logger.notice("scenario: \(message)")
            return nil
        case .auth(.rejectStreamToken(let frames, let user)):
            return await rejectStreamToken(afterFrames: frames, user: user)
        case .drop(let match, let reset):
            let label = action.summary
            let count = await runtime.server.drop(matching: match, label: label, reset: reset)
            logger.notice("scenario: \(label) ended \(count) connection\(count == 1 ? "" : "s")")
            return nil
        case .auth, .network, .battery, .storage, .settings, .camera, .io, .events:
            return state.perform(action)
        }
    }

    /// A stream already open with a fitting token takes the rejection now; otherwise the next one
    /// to start does (`FaultLayer.rejectNextStreamToken`).
    private func rejectStreamToken(afterFrames frames: Int, user: String?) async -> String? {
        guard let faults = state.faults else { return StateActionPerformer.noFaultLayer }
        let tokens = runtime.services.authenticator.tokens
        let cut = await runtime.server.cutOpenStream(afterFrames: frames) { facts in
            // The token must still be good now, not only when the stream started.
            guard let token = facts.validToken, tokens.session(for: token) != nil else { return nil }
            return faults.claimOpenStream(facts, afterFrames: frames, user: user)
        } reached: { facts in
            if let token = facts.validToken, faults.streamReachedFrameLimit(token: token) { tokens.revoke(token) }
        }
        if !cut { faults.rejectNextStreamToken(afterFrames: frames, user: user) }
        return nil
    }
}
