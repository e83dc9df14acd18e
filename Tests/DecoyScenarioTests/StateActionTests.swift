import DecoyCore
import DecoyFaults
import DecoyTinyCam
import NIOPosix
import Testing

@testable import DecoyScenario

/// The state actions on a bare `TinyCamServices` (no sockets).
@Suite struct StateActionTests {
    private func withServices(
        _ body: (TinyCamServices, StateActionPerformer, FaultLayer) async throws -> Void
    )
        async rethrows
    {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let config = Scenario.defaultConfig
        let clock = ManualClock()
        let cameras = CameraRegistry(config: config, clock: clock, mediaGroup: group, stateDirectory: nil)
        let services = TinyCamServices(config: config, cameras: cameras, clock: clock, stateDirectory: nil)
        let faults = FaultLayer(seed: 1)
        let performer = StateActionPerformer(services: services, faults: faults, clock: RunClock())
        try await body(services, performer, faults)
        cameras.shutdown()
        try? await group.shutdownGracefully()
    }

    private func status(_ services: TinyCamServices) async -> String {
        let response = await TinyCamAPI(services: services).handle(
            TinyCamRequest(method: "GET", target: "/api/v1/get_status?user=admin&pwd=admin", clientAddress: "a"))
        return response.bodyBytes.map { String(buffer: $0) } ?? ""
    }

    /// The facts the transport would read from `target`.
    private func facts(_ target: String, _ services: TinyCamServices, at now: Int64) -> ExchangeFacts {
        ExchangeFacts(
            http: TinyCamRequest(method: "GET", target: target, clientAddress: "a"),
            tokens: services.authenticator.tokens, users: services.config.users,
            cameraIDs: services.cameras.cameras.map(\.config.id), at: now)
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
            #expect(faults.decide(facts("/api/v1/login", services, at: 0)).replacement == .invalidCredentials)
            _ = performer.perform(.network(FaultRule(fault: .status(code: 503, body: nil)), forMilliseconds: 1000))
            #expect(faults.decide(facts("/x", services, at: 10)).applied == ["status 503 (network step 1)"])
            // rejectStreamToken: only a stream with a valid token of the named user takes it, once.
            let guest = services.authenticator.tokens.issue(user: "guest", role: .guest)
            let admin = services.authenticator.tokens.issue(user: "admin", role: .admin)
            _ = performer.perform(.auth(.rejectStreamToken(afterFrames: 7, user: "admin")))
            let stream = { (token: String, now: Int64) in
                faults.decide(facts("/axis-cgi/mjpg/video.cgi?token=\(token)", services, at: now)).wire
            }
            #expect(stream("nonsense", 20) == nil)
            #expect(stream(guest, 20) == nil)
            let cut = stream(admin, 20)
            #expect(cut?.closeAfterFrames == 7)
            #expect(cut?.label == "rejectStreamToken after 7 frames (admin)")
            #expect(cut?.revokesToken == admin, "the token goes as the last frame does")
            #expect(stream(admin, 30) == nil, "used up")
            #expect(!faults.streamReachedFrameLimit(token: guest), "a token no rejection was put on stays")
            #expect(faults.streamReachedFrameLimit(token: admin))
            let bare = StateActionPerformer(services: services, faults: nil, clock: RunClock())
            #expect(bare.perform(.auth(.failLogins(1))) == StateActionPerformer.noFaultLayer)
        }
    }
}
