import DecoyCore
import DecoyTinyCam
import NIOPosix
import Testing

@testable import DecoyScenario

/// The state actions on a bare `TinyCamServices` (no sockets).
@Suite struct StateActionTests {
    private func withServices(
        _ body: (TinyCamServices, StateActionPerformer, FaultController) async throws -> Void
    )
        async rethrows
    {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let config = Scenario.defaultConfig
        let clock = ManualClock()
        let cameras = CameraRegistry(config: config, clock: clock, mediaGroup: group, stateDirectory: nil)
        let services = TinyCamServices(config: config, cameras: cameras, clock: clock, stateDirectory: nil)
        let faults = FaultController(rules: [], seed: 1, config: config, tokens: services.authenticator.tokens)
        let performer = StateActionPerformer(services: services, faults: faults, clock: RunClock())
        try await body(services, performer, faults)
        cameras.shutdown()
        try? await group.shutdownGracefully()
    }

    private func status(_ services: TinyCamServices) async -> String {
        let response = await TinyCamAPI(services: services).handle(
            TinyCamRequest(method: "GET", target: "/api/v1/get_status?user=admin&pwd=admin", clientAddress: "a"))
        return text(response)
    }

    @Test func revokeTokensForgetsOneUsersOrEveryToken() async {
        await withServices { services, performer, _ in
            let tokens = services.authenticator.tokens
            let admin = tokens.issue(user: "admin", role: .admin)
            let guest = tokens.issue(user: "guest", role: .guest)
            #expect(performer.perform(.auth(.revokeTokens(user: "guest"))) == nil)
            #expect(tokens.session(for: guest) == nil)
            #expect(tokens.session(for: admin) != nil)
            #expect(performer.perform(.auth(.revokeTokens(user: nil))) == nil)
            #expect(tokens.session(for: admin) == nil)
        }
    }

    @Test func batteryAndStorageShowInGetStatus() async {
        await withServices { services, performer, _ in
            #expect(performer.perform(.battery(level: 15, charging: false)) == nil)
            #expect(performer.perform(.storage(full: true)) == nil)
            let body = await status(services)
            #expect(body.contains("\"batteryLevel\":15"), "\(body)")
            #expect(body.contains("\"batteryStatus\":\"discharging\""), "\(body)")
            #expect(body.contains("\"spaceAvailable\":0"), "\(body)")
            _ = performer.perform(.battery(level: nil, charging: true))
            #expect(await status(services).contains("\"batteryLevel\":15,\"batteryStatus\":\"charging\""))
        }
    }

    @Test func settingsChangeAsOnThePhone() async {
        await withServices { services, performer, _ in
            _ = performer.perform(.settings(SettingsChange(notifications: false, profile: .sub, backgroundMode: false)))
            let settings = services.settings.current
            #expect(!settings.notifications && !settings.backgroundMode && settings.streamProfile == .sub)
            let body = await status(services)
            #expect(body.contains("\"streamProfile\":1") && body.contains("\"notifications\":false"), "\(body)")
        }
    }

    @Test func faultActionsReachTheFaultLayerOrSayWhyNot() async {
        await withServices { services, performer, faults in
            _ = performer.perform(.auth(.failLogins(1)))
            let login = TinyCamRequest(method: "GET", target: "/api/v1/login", clientAddress: "a")
            #expect(faults.decide(login, at: 0).replacement?.status.code == 403)
            _ = performer.perform(.network(FaultRule(fault: .status(code: 503, body: nil)), forMilliseconds: 1000))
            #expect(
                faults.decide(TinyCamRequest(method: "GET", target: "/x", clientAddress: "a"), at: 10).applied == [
                    "status 503 (network step 1)"
                ])
            // rejectStreamToken: only a stream with a valid token of the named user takes it, once.
            let guest = services.authenticator.tokens.issue(user: "guest", role: .guest)
            let admin = services.authenticator.tokens.issue(user: "admin", role: .admin)
            _ = performer.perform(.auth(.rejectStreamToken(afterFrames: 7, user: "admin")))
            let stream = { (token: String) in
                TinyCamRequest(method: "GET", target: "/axis-cgi/mjpg/video.cgi?token=\(token)", clientAddress: "a")
            }
            #expect(faults.decide(stream("nonsense"), at: 20).transport == nil)
            #expect(faults.decide(stream(guest), at: 20).transport == nil)
            let cut = faults.decide(stream(admin), at: 20).transport
            #expect(cut?.closeAfterFrames == 7)
            #expect(cut?.label == "rejectStreamToken after 7 frames (admin)")
            #expect(faults.decide(stream(admin), at: 30).transport == nil, "used up")
            faults.streamReachedFrameLimit(target: "/axis-cgi/mjpg/video.cgi?token=\(guest)")
            #expect(services.authenticator.tokens.session(for: guest) != nil, "a token no rejection was put on stays")
            faults.streamReachedFrameLimit(target: "/axis-cgi/mjpg/video.cgi?token=\(admin)")
            #expect(services.authenticator.tokens.session(for: admin) == nil)
            let bare = StateActionPerformer(services: services, faults: nil, clock: RunClock())
            #expect(bare.perform(.auth(.failLogins(1))) == StateActionPerformer.noFaultLayer)
        }
    }
}
