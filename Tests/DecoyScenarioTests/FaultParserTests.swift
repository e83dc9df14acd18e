import DecoyCore
import DecoyFaults
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

@Suite struct FaultParserTests {
    @Test func rulesReadEveryMatchWindowAndFault() throws {
        let scenario = try ScenarioLoader.parse(
            """
            name: x
            duration: 1m
            rules:
              - name: busy
                match: { camera: Doorbell, path: "/api/v1/*", role: guest, user: guest, auth: token, client: "10.*" }
                from: 5s
                until: 20s
                probability: 0.25
                status: 503
                body: "HTTP 503. Busy."
              - match: { camera: "182399567" }
                from: 2s
                for: 3s
                latency: 1s
                jitter: 200ms
              - legacyErrors: true
            """, file: "s.yaml")
        let doorbell = try #require(scenario.config.cameras.first { $0.name == "Doorbell" })
        #expect(
            scenario.rules == [
                FaultRule(
                    name: "busy",
                    match: FaultMatch(
                        cameraID: doorbell.id, path: "/api/v1/*", role: .guest, user: "guest", auth: .token,
                        client: "10.*"),
                    fromMilliseconds: 5000, untilMilliseconds: 20_000, probability: 0.25,
                    fault: .status(code: 503, body: "HTTP 503. Busy."), line: 4),
                FaultRule(
                    match: FaultMatch(cameraID: 182_399_567), fromMilliseconds: 2000, untilMilliseconds: 5000,
                    fault: .latency(fixedMilliseconds: 1000, jitterMilliseconds: 200), line: 11),
                FaultRule(fault: .legacyErrors(true), line: 16),
            ])
        #expect(scenario.needsFaultLayer)
    }

    @Test func ruleMistakesAreReportedWhereTheyAre() {
        let found = diagnostics(
            """
            name: x
            duration: 1m
            rules:
              - staus: 503
              - status: 503
                latency: 1s
              - body: nope
                latency: 1s
              - status: 503
                from: 5s
                until: 2s
              - status: 503
                until: 9s
                for: 2s
              - status: 503
                probability: 1.5
              - status: 503
                match: { camera: Dorbell, user: root, role: owner }
              - status: 99
            """)
        let text = found.map(\.description).joined(separator: "\n")
        #expect(
            text.contains("s.yaml:4:5: error: unknown key 'staus' under 'rules[0]' (did you mean 'status'?)"), "\(text)"
        )
        #expect(text.contains("s.yaml:4:5: error: 'rules[0]' has no fault"), "\(text)")
        #expect(text.contains("s.yaml:5:5: error: 'rules[1]' has 2 faults (status, latency)"), "\(text)")
        #expect(text.contains("s.yaml:7:11: error: 'rules[2].body' only goes with 'status:'"), "\(text)")
        #expect(text.contains("s.yaml:11:12: error: 'rules[3].until' (2 s) must be after 'from' (5 s)"), "\(text)")
        #expect(text.contains("s.yaml:14:10: error: 'rules[4]' has both 'until' and 'for'"), "\(text)")
        #expect(
            text.contains("s.yaml:16:18: error: 'rules[5].probability' must be a number from 0.0 to 1.0"), "\(text)")
        #expect(text.contains("'rules[6].match.camera': no camera 'Dorbell' (did you mean 'Doorbell'?)"), "\(text)")
        #expect(text.contains("'rules[6].match.user': no user 'root'"), "\(text)")
        #expect(text.contains("'rules[6].match.role' must be one of guest, admin, got 'owner'"), "\(text)")
        #expect(
            text.contains("s.yaml:19:13: error: 'rules[7].status' must be a whole number from 200 to 599"), "\(text)")
    }

    @Test func stateActionsRead() throws {
        let scenario = try ScenarioLoader.parse(
            """
            name: x
            duration: 1m
            timeline:
              - at: 1s
                auth: { failLogins: 3 }
              - at: 2s
                auth: { revokeTokens: all }
              - at: 3s
                auth: { revokeTokens: guest }
              - at: 4s
                auth: { lockout: { after: 3, for: 30s } }
              - at: 5s
                network: { for: 10s, match: { path: /api/v1/get_status }, status: 500, probability: 0.5 }
              - at: 6s
                battery: { level: 15, charging: false }
              - at: 7s
                storage: { full: true }
              - at: 8s
                settings: { notifications: false, profile: sub, backgroundMode: false }
            """, file: "s.yaml")
        #expect(
            scenario.timeline.map(\.action) == [
                .auth(.failLogins(3)), .auth(.revokeTokens(user: nil)), .auth(.revokeTokens(user: "guest")),
                .auth(.lockout(after: 3, forMilliseconds: 30_000)),
                .network(
                    FaultRule(
                        match: FaultMatch(path: "/api/v1/get_status"), probability: 0.5,
                        fault: .status(code: 500, body: nil), line: 13), forMilliseconds: 10_000),
                .battery(level: 15, charging: false), .storage(full: true),
                .settings(SettingsChange(notifications: false, profile: .sub, backgroundMode: false)),
            ])
        #expect(scenario.needsFaultLayer)
        let calm = try ScenarioLoader.parse(
            "name: x\nduration: 5s\ntimeline:\n  - at: 1s\n    auth: { revokeTokens: all }\n", file: "s.yaml")
        #expect(!calm.needsFaultLayer, "revoking tokens needs no fault layer")
    }

    @Test func rejectStreamTokenReadsAndNeedsTheFaultLayer() throws {
        let scenario = try ScenarioLoader.parse(
            """
            name: x
            duration: 1m
            timeline:
              - at: 0s
                auth: { rejectStreamToken: { afterFrames: 50 } }
              - at: 1s
                auth: { rejectStreamToken: { afterFrames: 5, user: guest } }
            """, file: "s.yaml")
        #expect(
            scenario.timeline.map(\.action) == [
                .auth(.rejectStreamToken(afterFrames: 50, user: nil)),
                .auth(.rejectStreamToken(afterFrames: 5, user: "guest")),
            ])
        #expect(
            scenario.timeline[1].action.summary == "auth reject the token of the next stream of guest after 5 frames")
        #expect(scenario.needsFaultLayer)
        let found = diagnostics(
            """
            name: x
            duration: 1m
            timeline:
              - at: 0s
                auth: { rejectStreamToken: { user: admin } }
              - at: 1s
                auth: { rejectStreamToken: { afterFrames: 0 } }
              - at: 2s
                auth: { rejectStreamToken: { afterFrames: 3, user: nobody } }
            """)
        let text = found.map(\.description).joined(separator: "\n")
        #expect(
            text.contains("s.yaml:5:32: error: 'timeline[0].auth.rejectStreamToken' needs 'afterFrames: N'"), "\(text)")
        #expect(
            text.contains(
                "s.yaml:7:47: error: 'timeline[1].auth.rejectStreamToken.afterFrames' must be a whole number"),
            "\(text)")
        #expect(
            text.contains("s.yaml:9:56: error: 'timeline[2].auth.rejectStreamToken.user': no user 'nobody'"), "\(text)")
    }

    @Test func stateActionMistakesAreReportedWhereTheyAre() {
        let found = diagnostics(
            """
            name: x
            duration: 1m
            timeline:
              - at: 1s
                auth: { failLogins: 3, revokeTokens: all }
              - at: 2s
                auth: { revokeTokens: nobody }
              - at: 3s
                auth: { lockout: { after: 3 } }
              - at: 4s
                network: { status: 503 }
              - at: 5s
                battery: { level: 150 }
              - at: 6s
                storage: {}
              - at: 7s
                settings: { profile: hd }
              - at: 8s
                settings: {}
              - at: 9s
                battery: { charge: true }
            """)
        let text = found.map(\.description).joined(separator: "\n")
        #expect(text.contains("s.yaml:5:11: error: 'timeline[0].auth' needs exactly one of: failLogins"), "\(text)")
        #expect(text.contains("s.yaml:7:27: error: 'timeline[1].auth.revokeTokens': no user 'nobody'"), "\(text)")
        #expect(text.contains("s.yaml:9:22: error: 'timeline[2].auth.lockout' needs 'after: N'"), "\(text)")
        #expect(text.contains("s.yaml:11:14: error: 'timeline[3].network' needs 'for: <duration>'"), "\(text)")
        #expect(
            text.contains("s.yaml:13:23: error: 'timeline[4].battery.level' must be a whole number from 0 to 100"),
            "\(text)")
        #expect(text.contains("s.yaml:15:14: error: 'timeline[5].storage' needs 'full: true'"), "\(text)")
        #expect(
            text.contains("s.yaml:17:26: error: 'timeline[6].settings.profile' must be one of main, sub, auto"),
            "\(text)")
        #expect(text.contains("s.yaml:19:15: error: 'timeline[7].settings' needs at least one of"), "\(text)")
        #expect(
            text.contains(
                "s.yaml:21:16: error: unknown key 'charge' under 'timeline[8].battery'; valid keys: level, charging"),
            "\(text)")
    }

    @Test func theFaultScenariosReadAsDocumented() throws {
        let load = { (name: String) in try ScenarioLoader.load(path: packageRoot + "/Scenarios/\(name).yaml") }
        let expiry = try load("token-expiry")
        #expect(expiry.timeline.map(\.action) == [.auth(.revokeTokens(user: nil))])
        #expect(!expiry.needsFaultLayer)
        let lockout = try load("login-lockout")
        #expect(
            lockout.timeline.map(\.action) == [
                .auth(.lockout(after: 3, forMilliseconds: 20_000)), .auth(.failLogins(3)),
            ])
        let flaky = try load("flaky-network")
        #expect(flaky.rules.map(\.fault) == [.status(code: 503, body: "HTTP 503. Busy.")])
        #expect(flaky.rules.first?.probability == 0.3)
        #expect(flaky.rules.first?.match == FaultMatch(path: "/api/v1/get_cam_event_list"))
        let slow = try load("slow-link")
        #expect(slow.rules.map(\.match.path) == ["/axis-cgi/mjpg/video.cgi", "/axis-cgi/jpg/image.cgi"])
        #expect(
            slow.rules.map(\.fault) == [
                .latency(fixedMilliseconds: 2000, jitterMilliseconds: 0),
                .latency(fixedMilliseconds: 2000, jitterMilliseconds: 500),
            ])
        #expect(
            slow.expectations.first?.kind
                == .count(
                    RequestPattern(path: "/axis-cgi/jpg/image.cgi", status: 200, fault: "latency*"), atLeast: 2,
                    atMost: nil,
                    perMilliseconds: nil))
    }
}
