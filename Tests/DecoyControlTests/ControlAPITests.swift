import DecoyControl
import DecoyScenario
import Foundation
import Testing

/// The control API against a real sandbox: tinyCam and control listeners on ephemeral loopback
/// ports, driven with curl.
@Suite(.serialized) struct ControlAPITests {
    @Test func healthzAnswersOK() async throws {
        try await ControlHarness.with { harness in
            let answer = try harness.call("GET", "/healthz")
            #expect(answer.status == 200, "\(answer.body)")
            let health = try object(answer)
            #expect(health["status"] as? String == "ok")
            #expect(health["tinyCamPort"] as? Int == harness.sandbox.runtime.port)
            #expect(health["scenario"] as? String == "empty")
        }
    }

    @Test func metricsCountTinyCamRequestsByPathAndStatus() async throws {
        try await ControlHarness.with { harness in
            let before = try harness.call("GET", "/metrics")
            #expect(!before.body.contains(#"path="/api/v1/get_cam_list""#), "\(before.body)")
            #expect(try harness.tinyCamGet("/api/v1/get_cam_list").status == 200)
            let after = try harness.call("GET", "/metrics")
            #expect(after.status == 200)
            let line = after.body.split(separator: "\n").first {
                $0.hasPrefix("decoy_http_requests_total{") && $0.contains(#"path="/api/v1/get_cam_list""#)
            }
            #expect(line?.contains(#"status="200""#) == true, "\(after.body)")
            #expect(line?.hasSuffix(" 1") == true, "\(after.body)")
            #expect(after.body.contains("decoy_frames_produced_total{"), "\(after.body)")
            #expect(after.body.contains("decoy_active_streams 0"), "\(after.body)")
            #expect(after.body.contains("decoy_encode_seconds_total{"), "\(after.body)")
        }
    }

    @Test func aRuleAddedThroughControlFaultsTheNextRequestUntilRemoved() async throws {
        try await ControlHarness.with { harness in
            #expect(try harness.tinyCamGet("/api/v1/get_cam_list").status == 200)
            let added = try harness.call(
                "POST", "/rules", body: #"{"match": {"path": "/api/v1/get_cam_list"}, "status": 503}"#)
            #expect(added.status == 201, "\(added.body)")
            let rule = try #require(try object(added)["rule"] as? [String: Any])
            let id = try #require(rule["id"] as? String)
            #expect(rule["origin"] as? String == "control")
            #expect(try harness.tinyCamGet("/api/v1/get_cam_list").status == 503)
            #expect(try harness.tinyCamGet("/api/v1/get_status").status == 200, "other paths are untouched")
            let listed = try object(try harness.call("GET", "/rules"))["rules"] as? [[String: Any]]
            #expect(listed?.count == 1)
            #expect(try harness.call("DELETE", "/rules/\(id)").status == 200)
            #expect(try harness.tinyCamGet("/api/v1/get_cam_list").status == 200)
            #expect(try harness.call("DELETE", "/rules/\(id)").status == 404)
            let journal = try harness.call("GET", "/journal?path=/api/v1/get_cam_list&status=503")
            let entries = try object(journal)["entries"] as? [[String: Any]]
            let request = entries?.first?["request"] as? [String: Any]
            #expect((request?["fault"] as? String)?.contains("status 503 (control rule \(id))") == true, "\(journal)")
        }
    }

    /// A rule whose exact path no endpoint serves is added (it may be meant for later), with a
    /// warning saying it will never apply.
    @Test func aRuleForAPathDecoyDoesNotServeIsAddedWithAWarning() async throws {
        try await ControlHarness.with { harness in
            let added = try harness.call(
                "POST", "/rules", body: #"{"match": {"path": "/cgi-bin/video.cgi"}, "status": 503}"#)
            #expect(added.status == 201, "\(added.body)")
            let warning = try object(added)["warning"] as? String
            #expect(warning?.contains("/cgi-bin/video.cgi, which Decoy does not serve") == true, "\(added.body)")
            let served = try harness.call(
                "POST", "/rules", body: #"{"match": {"path": "/axis-cgi/mjpg/video.cgi"}, "status": 503}"#)
            #expect(try object(served)["warning"] == nil, "\(served.body)")
        }
    }

    @Test func aRuleInYAMLWorksAndBadRulesAnswer400WithTheReadersMessage() async throws {
        try await ControlHarness.with { harness in
            let yaml = try harness.call("POST", "/rules", body: "match:\n  path: /api/v1/get_status\nlatency: 1ms\n")
            #expect(yaml.status == 201, "\(yaml.body)")
            let broken = try harness.call("POST", "/rules", body: #"{"status": 503"#)
            #expect(broken.status == 400, "\(broken.body)")
            #expect((try object(broken)["error"] as? String)?.contains("rule:") == true, "\(broken.body)")
            let noFault = try harness.call("POST", "/rules", body: #"{"match": {"path": "/x"}}"#)
            #expect(noFault.status == 400)
            #expect(
                (try object(noFault)["error"] as? String)?.contains("has no fault; give exactly one of") == true,
                "\(noFault.body)")
            let badKey = try harness.call("POST", "/rules", body: #"{"stauts": 503}"#)
            #expect((try object(badKey)["error"] as? String)?.contains("did you mean 'status'") == true)
            let badAction = try harness.call("POST", "/actions", body: #"{"motion": {"camera": "Nope"}}"#)
            #expect(badAction.status == 400)
            #expect((try object(badAction)["error"] as? String)?.contains("no camera 'Nope'") == true)
        }
    }

    @Test func aMotionActionRaisesTheCamerasMotionFlag() async throws {
        try await ControlHarness.with { harness in
            let camera = try #require(harness.sandbox.config.cameras.first { $0.name == "Doorbell" })
            let status = "/api/v1/get_status?cameraId=\(camera.id)"
            let idle = try harness.tinyCamGet(status)
            #expect((try object(idle)["data"] as? [String: Any])?["motion"] as? Bool == false, "\(idle.body)")
            let performed = try harness.call(
                "POST", "/actions", body: #"{"motion":{"camera":"Doorbell","type":"person","duration":"30s"}}"#)
            #expect(performed.status == 200, "\(performed.body)")
            let moving = try harness.tinyCamGet(status)
            #expect((try object(moving)["data"] as? [String: Any])?["motion"] as? Bool == true, "\(moving.body)")
            let steps = try object(try harness.call("GET", "/journal?kind=step"))["entries"] as? [[String: Any]]
            let step = steps?.first?["step"] as? [String: Any]
            #expect(step?["label"] as? String == "control")
            #expect((step?["action"] as? String)?.hasPrefix("motion person on Doorbell") == true)
        }
    }

    @Test func aRejectStreamTokenActionCutsTheNextTokenStreamAndRevokesItsToken() async throws {
        try await ControlHarness.with { harness in
            let performed = try harness.call(
                "POST", "/actions", body: #"{"auth":{"rejectStreamToken":{"afterFrames":3}}}"#)
            #expect(performed.status == 200, "\(performed.body)")
            let login = try curl(
                harness.tinyCam + "/api/v1/login?user=\(harness.admin.user)&pwd=\(harness.admin.password)")
            let token = try #require(
                (try object(login)["data"] as? [String: Any])?["token"] as? String, "\(login.body)")
            let stream = try curl(harness.tinyCam + "/axis-cgi/mjpg/video.cgi?resolution=160x120&token=\(token)")
            #expect(stream.status == 200)
            #expect(stream.body.components(separatedBy: "Content-Type: image/jpeg").count - 1 == 3)
            let refused = try curl(harness.tinyCam + "/api/v1/get_cam_list?token=\(token)")
            #expect(refused.status == 403, "\(refused.body)")
        }
    }

    @Test func theJournalFiltersAndClears() async throws {
        try await ControlHarness.with { harness in
            _ = try harness.tinyCamGet("/api/v1/get_cam_list")
            _ = try harness.tinyCamGet("/api/v1/get_status")
            _ = try harness.tinyCamGet("/api/v1/get_status")
            let statuses = try object(try harness.call("GET", "/journal?path=/api/v1/get_status"))
            #expect(statuses["count"] as? Int == 2)
            let glob = try object(try harness.call("GET", "/journal?path=/api/v1/get_*&limit=1"))
            let last = (glob["entries"] as? [[String: Any]])?.first?["request"] as? [String: Any]
            #expect(glob["count"] as? Int == 1)
            #expect(last?["path"] as? String == "/api/v1/get_status")
            let later = try object(try harness.call("GET", "/journal?since=1h"))
            #expect(later["count"] as? Int == 0)
            let bad = try harness.call("GET", "/journal?status=abc")
            #expect(bad.status == 400)
            #expect((try object(bad)["error"] as? String)?.contains("status=abc must be an HTTP status") == true)
            #expect(try harness.call("GET", "/journal?colour=red").status == 400)
            let cleared = try object(try harness.call("DELETE", "/journal"))
            #expect(cleared["cleared"] as? Int == 3)
            #expect(try object(try harness.call("GET", "/journal"))["count"] as? Int == 0)
        }
    }

    @Test func resetClearsTheJournalAndControlRules() async throws {
        try await ControlHarness.with { harness in
            _ = try harness.call("POST", "/rules", body: #"{"match": {"path": "/api/v1/get_cam_list"}, "status": 500}"#)
            #expect(try harness.tinyCamGet("/api/v1/get_cam_list").status == 500)
            let reset = try object(try harness.call("POST", "/reset"))
            #expect(reset["rulesRemoved"] as? Int == 1)
            #expect(reset["journalCleared"] as? Int == 1)
            #expect(try harness.tinyCamGet("/api/v1/get_cam_list").status == 200)
            #expect((try object(try harness.call("GET", "/rules"))["rules"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func controlPathsAreNotOnTheTinyCamPort() async throws {
        try await ControlHarness.with { harness in
            for path in ["/healthz", "/metrics", "/journal", "/rules", "/actions", "/scenario", "/reset"] {
                let answer = try harness.tinyCamGet(path)
                #expect(answer.status == 404, "\(path) on the tinyCam port: \(answer.status) \(answer.body)")
            }
        }
    }

    @Test func unknownPathsListTheEndpointsAndWrongMethodsAnswer405() async throws {
        try await ControlHarness.with { harness in
            let unknown = try harness.call("GET", "/nope")
            #expect(unknown.status == 404)
            #expect((try object(unknown)["endpoints"] as? [String])?.contains("POST /rules") == true)
            let wrong = try harness.call("PUT", "/healthz")
            #expect(wrong.status == 405, "\(wrong.body)")
        }
    }

    @Test func oversizeBodiesAnswer413() async throws {
        try await ControlHarness.with { harness in
            let folder = NSTemporaryDirectory() + "decoy-control-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/big.json"
            try Data(repeating: 0x20, count: ControlServer.maximumBodyBytes + 1).write(to: URL(fileURLWithPath: file))
            let answer = try curl(harness.control.url + "/rules", ["-X", "POST", "--data-binary", "@" + file])
            #expect(answer.status == 413, "\(answer.body)")
            #expect(try harness.call("GET", "/healthz").status == 200, "the listener still answers")
        }
    }

    @Test func aScenarioLoadsStartsPausesResumesAndStopsWithVerdicts() async throws {
        try await ControlHarness.with { harness in
            let scenario = """
                name: sandbox-check
                duration: 1m
                rules:
                  - match: { path: /api/v1/get_cam_list }
                    status: 503
                timeline:
                  - at: 0s
                    storage: { full: true }
                expect:
                  - name: asked for the status
                    request: { path: /api/v1/get_status }
                    atLeast: 1
                """
            #expect(try harness.call("POST", "/scenario/start").status == 409, "nothing loaded yet")
            let loaded = try harness.call("POST", "/scenario?file=check.yaml", body: scenario)
            #expect(loaded.status == 200, "\(loaded.body)")
            let started = try object(try harness.call("POST", "/scenario/start"))
            #expect(started["phase"] as? String == "running")
            #expect(try harness.tinyCamGet("/api/v1/get_cam_list").status == 503, "the scenario's rule is on")
            let rules = try object(try harness.call("GET", "/rules"))["rules"] as? [[String: Any]]
            #expect(rules?.first?["origin"] as? String == "scenario")
            #expect(try object(try harness.call("POST", "/scenario/pause"))["phase"] as? String == "paused")
            #expect(try harness.call("POST", "/scenario/pause").status == 409)
            #expect(try object(try harness.call("POST", "/scenario/resume"))["phase"] as? String == "running")
            _ = try harness.tinyCamGet("/api/v1/get_status")
            let stopped = try object(try harness.call("POST", "/scenario/stop"))
            #expect(stopped["phase"] as? String == "stopped")
            #expect(stopped["passed"] as? Bool == true, "\(stopped)")
            #expect(try harness.tinyCamGet("/api/v1/get_cam_list").status == 200, "its rule went with it")
            let invalid = try harness.call("POST", "/scenario", body: "name: x\n")
            #expect(invalid.status == 400)
            #expect((try object(invalid)["error"] as? String)?.contains("needs a 'duration'") == true)
        }
    }
}
