import Foundation
import Testing

/// `/events/journal` and `/events/scenario`, read with `curl -N` as the README shows.
@Suite struct EventStreamTests {
    @Test func theJournalStreamSendsTheBacklogThenNewEntries() async throws {
        try await WebHarness.with { harness in
            _ = try await harness.call("POST", "/actions", body: #"{"log": "before"}"#)
            let stream = try StreamReader(harness.control.url + "/events/journal?backlog=5")
            defer { stream.stop() }
            let ready = try await stream.wait(for: "the backlog", until: { $0.contains("log before") })
            #expect(ready.hasPrefix(": decoy control API event stream\nretry: 2000\n\n"), "\(ready)")
            #expect(serverSentEvents(ready).first?.event == "ready")
            _ = try await harness.call("POST", "/actions", body: #"{"log": "after"}"#)
            _ = try await fetch(
                harness.tinyCam + "/api/v1/get_cam_list", headers: ["Authorization: Basic YWRtaW46YWRtaW4="])
            let text = try await stream.wait(for: "the new entries", until: { $0.contains("/api/v1/get_cam_list") })
            let entries = serverSentEvents(text).filter { $0.event == "entry" }.map(\.data)
            #expect(entries.count == 3, "\(text)")
            #expect(entries[0].contains("\"action\":\"log before\""))
            #expect(entries[1].contains("\"action\":\"log after\""))
            let request = try jsonObject(entries[2])["request"] as? [String: Any]
            #expect(request?["status"] as? Int == 200)
            #expect(request?["user"] as? String == "admin")
        }
    }

    @Test func theJournalStreamFiltersByPathStatusFaultClientAndKind() async throws {
        try await WebHarness.with { harness in
            let stream = try StreamReader(
                harness.control.url + "/events/journal?backlog=0&kind=request&path=/api/v1/*&status=5xx&fault=*busy*"
                    + "&client=127.0.0.1")
            defer { stream.stop() }
            _ = try await stream.wait(for: "ready", until: { $0.contains("event: ready") })
            let auth = ["Authorization: Basic YWRtaW46YWRtaW4="]
            _ = try await fetch(harness.tinyCam + "/api/v1/get_cam_list", headers: auth)
            _ = try await harness.call(
                "POST", "/rules", body: #"{"name": "busy", "match": {"path": "/api/v1/get_cam_list"}, "status": 503}"#)
            #expect(try await fetch(harness.tinyCam + "/api/v1/get_cam_list", headers: auth).status == 503)
            _ = try await fetch(harness.tinyCam + "/web/ui.js")
            _ = try await harness.call("POST", "/actions", body: #"{"log": "a step"}"#)
            _ = try await stream.wait(for: "the 503", until: { $0.contains("\"status\":503") })
            let last = try await fetch(harness.tinyCam + "/api/v1/login?user=admin&pwd=admin")
            #expect(last.status == 200)
            let other = try StreamReader(harness.control.url + "/events/journal?backlog=10&path=/api/v1/login")
            defer { other.stop() }
            _ = try await other.wait(for: "the login", until: { $0.contains("/api/v1/login") })
            let entries = serverSentEvents(stream.output).filter { $0.event == "entry" }.map(\.data)
            #expect(entries.count == 1, "\(stream.output)")
            #expect(entries.first?.contains("\"status\":503") == true)
            #expect(entries.first?.contains("busy") == true)
        }
    }

    @Test func badStreamRequestsAreRefusedWithTheReason() async throws {
        try await WebHarness.with { harness in
            let control = harness.control.url
            let unknown = try await fetch(control + "/events/journal?colour=red")
            #expect(unknown.status == 400)
            #expect(unknown.text.contains("unknown journal stream filter 'colour'"))
            #expect(try await fetch(control + "/events/journal?status=6xx").status == 400)
            #expect(try await fetch(control + "/events/journal?backlog=-1").status == 400)
            #expect(try await fetch(control + "/events/journal?kind=steps").status == 400)
            #expect(try await fetch(control + "/events/scenario?x=1").status == 400)
            let nope = try await fetch(control + "/events/nope")
            #expect(nope.status == 404)
            #expect(nope.text.contains("/events/journal, /events/scenario"))
            let post = try await fetch(control + "/events/journal", method: "POST", body: "{}")
            #expect(post.status == 405)
            #expect(post.header("Allow") == "GET")
        }
    }

    /// The console's view: timeline with fired and planned steps, and live verdicts that go from
    /// waiting to passing (or failing for good) while the scenario runs, final once it stops.
    @Test func theScenarioStreamShowsTheTimelineAndLiveVerdicts() async throws {
        try await WebHarness.with { harness in
            let scenario = """
                name: live-verdicts
                duration: 60s
                timeline:
                  - id: first
                    at: 100ms
                    log: first
                  - id: later
                    at: 50s
                    log: much later
                expect:
                  - name: lists cameras
                    request: { path: /api/v1/get_cam_list }
                  - name: never asks status
                    never: { path: /api/v1/get_status }
                """
            _ = try await harness.call("POST", "/scenario?file=live.yaml", body: scenario)
            let stream = try StreamReader(harness.control.url + "/events/scenario")
            defer { stream.stop() }
            let loaded = try await stream.wait(
                for: "the loaded scenario", until: { $0.contains("\"phase\":\"loaded\"") })
            #expect(loaded.contains("\"name\":\"live-verdicts\""))
            _ = try await harness.call("POST", "/scenario/start")
            let fired = try await stream.wait(
                for: "the first step fired", until: { $0.contains("\"state\":\"fired\"") })
            let view = try jsonObject(try #require(serverSentEvents(fired).last?.data))
            let timeline = try #require(view["timeline"] as? [[String: Any]])
            #expect(timeline.map { $0["label"] as? String } == ["first", "later"])
            #expect(timeline.map { $0["state"] as? String } == ["fired", "upcoming"])
            #expect(timeline.last?["scheduledMilliseconds"] as? Int == 50_000)
            let waiting = try #require(view["expectations"] as? [[String: Any]])
            #expect(waiting.map { $0["verdict"] as? String } == ["pending", "pass"], "\(waiting)")
            let auth = ["Authorization: Basic YWRtaW46YWRtaW4="]
            _ = try await fetch(harness.tinyCam + "/api/v1/get_cam_list", headers: auth)
            _ = try await fetch(harness.tinyCam + "/api/v1/get_status", headers: auth)
            let judged = try await stream.wait(
                for: "the verdicts turning",
                until: { text in
                    guard let last = serverSentEvents(text).last?.data, let view = try? jsonObject(last),
                        let list = view["expectations"] as? [[String: Any]]
                    else { return false }
                    return list.map { $0["verdict"] as? String } == ["pass", "fail"]
                })
            let live = try jsonObject(try #require(serverSentEvents(judged).last?.data))
            #expect((live["expectations"] as? [[String: Any]])?.allSatisfy { $0["final"] as? Bool == false } == true)
            _ = try await harness.call("POST", "/scenario/stop")
            let stopped = try await stream.wait(
                for: "the final verdicts", until: { $0.contains("\"phase\":\"stopped\"") })
            let final = try jsonObject(try #require(serverSentEvents(stopped).last?.data))
            let verdicts = try #require(final["expectations"] as? [[String: Any]])
            #expect(verdicts.map { $0["verdict"] as? String } == ["pass", "fail"])
            #expect(verdicts.allSatisfy { $0["final"] as? Bool == true })
        }
    }
}

extension WebHarness {
    /// A control API request with a JSON or YAML body.
    func call(_ method: String, _ path: String, body: String? = nil) async throws -> WebAnswer {
        try await fetch(control.url + path, method: method, body: body)
    }
}
