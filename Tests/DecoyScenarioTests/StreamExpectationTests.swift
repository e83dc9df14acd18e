import DecoyServer
import Testing

@testable import DecoyScenario

/// A hand-made stream session from `client`, started at `start`, lasting `duration`.
func streamSession(
    _ start: Int64, lasting duration: Int64, frames: Int = 10, ended: StreamSession.Ending = .clientClosed,
    fault: String? = nil, client: String = "127.0.0.1", path: String = "/axis-cgi/mjpg/video.cgi",
    camera: String = "1"
) -> JournalEntry {
    JournalEntry(
        milliseconds: start,
        event: .stream(
            StreamRecord(
                client: client, camera: "Front yard", variant: "640x360@q70", path: path,
                parameters: [RequestRecord.Parameter(name: "camera", value: camera)], framesSent: frames,
                firstFrame: frames > 0 ? 1 : nil, lastFrame: frames > 0 ? UInt64(frames) : nil, bytesSent: 1000,
                durationMilliseconds: duration, fault: fault, ended: ended)))
}

/// A video request from `client` at `time`, optionally hit by a fault.
func videoRequest(
    _ time: Int64, client: String = "127.0.0.1", fault: String? = nil, status: Int = 200
) -> JournalEntry {
    JournalEntry(
        milliseconds: time,
        event: .request(
            RequestRecord(
                client: client, user: "admin", auth: .basic, method: "GET", path: "/axis-cgi/mjpg/video.cgi",
                parameters: [], status: status, bodyBytes: status == 200 ? nil : 0, fault: fault)))
}

@Suite struct StreamExpectationTests {
    let video = RequestPattern(path: "/axis-cgi/mjpg/video.cgi")

    private func judge(_ kind: ExpectationKind, _ entries: [JournalEntry], run: Int64 = 60_000) -> ExpectationResult {
        ExpectationEvaluator(entries: entries, runMilliseconds: run).evaluate(Expectation(name: "e", kind: kind))
    }

    @Test("streams: P passes with one matching session; parameters and fault narrow it")
    func exists() {
        #expect(judge(.streams(video, .exists), [streamSession(1000, lasting: 500)]).passed)
        #expect(!judge(.streams(video, .exists), [videoRequest(1000)]).passed, "a request is not a session")
        var camera2 = video
        camera2.parameters["camera"] = "2"
        #expect(!judge(.streams(camera2, .exists), [streamSession(1000, lasting: 500)]).passed)
        var faulted = video
        faulted.fault = "media*"
        #expect(!judge(.streams(faulted, .exists), [streamSession(1000, lasting: 500)]).passed)
        #expect(judge(.streams(faulted, .exists), [streamSession(1000, lasting: 500, fault: "media lfOnly")]).passed)
    }

    @Test("framesAtLeast looks at the session that sent the most frames")
    func frames() {
        let entries = [streamSession(0, lasting: 100, frames: 3), streamSession(200, lasting: 900, frames: 24)]
        #expect(judge(.streams(video, .framesAtLeast(24)), entries).passed)
        let short = judge(.streams(video, .framesAtLeast(25)), entries)
        #expect(!short.passed)
        #expect(short.evidence.contains("24 frames"), "\(short.evidence)")
    }

    @Test("concurrentAtMost counts overlapping sessions per client; back-to-back is not overlap")
    func concurrency() {
        let backToBack = [streamSession(0, lasting: 3000), streamSession(3000, lasting: 3000)]
        #expect(judge(.streams(video, .concurrentAtMost(1)), backToBack).passed)
        let handover = [streamSession(0, lasting: 3000), streamSession(2100, lasting: 3000)]
        #expect(judge(.streams(video, .concurrentAtMost(1)), handover).passed, "Decoy saw the close 0.9 s late")
        let overlapping = [streamSession(0, lasting: 3000), streamSession(1500, lasting: 3000)]
        let result = judge(.streams(video, .concurrentAtMost(1)), overlapping)
        #expect(!result.passed)
        #expect(result.evidence.contains("2 matching sessions open at 1.5 s"), "\(result.evidence)")
        let twoClients = [streamSession(0, lasting: 3000), streamSession(1500, lasting: 3000, client: "10.0.0.2")]
        #expect(judge(.streams(video, .concurrentAtMost(1)), twoClients).passed, "limits are per client")
    }

    @Test(
        "reconnects: a stream a fault ended is followed in [end + backoff, end + within]",
        arguments: [(Int64(1100), false), (2000, true), (4000, true), (6000, true), (6001, false)])
    func reconnectWindow(nextAt time: Int64, passes: Bool) {
        // The session runs 0..1000 ms and a fault ends it; backoff 1 s, within 5 s → [2000, 6000].
        let entries = [
            videoRequest(0), streamSession(0, lasting: 1000, ended: .fault, fault: "closeAfterFrames 25"),
            videoRequest(time),
        ]
        let result = judge(.reconnects(video, withinMilliseconds: 5000, backoffMilliseconds: 1000), entries)
        #expect(result.passed == passes, "\(result.evidence)")
    }

    @Test("a faulted request counts as an interruption; another client's request is no reconnection")
    func faultedRequests() {
        let stream = ExpectationKind.reconnects(video, withinMilliseconds: 3000, backoffMilliseconds: 0)
        let delayed = judge(stream, [videoRequest(1000, fault: "latency 2 s"), streamSession(1000, lasting: 5000)])
        #expect(!delayed.passed, "a faulted answer that became a stream is judged by its session")
        #expect(delayed.evidence.contains("was interrupted"), "\(delayed.evidence)")
        let pattern = RequestPattern(path: "/axis-cgi/mjpg/video.cgi")
        let kind = ExpectationKind.reconnects(pattern, withinMilliseconds: 3000, backoffMilliseconds: 0)
        #expect(judge(kind, [videoRequest(1000, fault: "reset", status: 0), videoRequest(2500)]).passed)
        let other = judge(
            kind, [videoRequest(1000, fault: "reset", status: 0), videoRequest(2500, client: "10.0.0.9")])
        #expect(!other.passed)
        #expect(other.evidence.contains("no matching request came back"), "\(other.evidence)")
    }

    @Test("nothing interrupted fails (nothing to judge); an interruption at the very end is not judged")
    func edges() {
        let kind = ExpectationKind.reconnects(video, withinMilliseconds: 5000, backoffMilliseconds: 0)
        let nothing = judge(kind, [streamSession(0, lasting: 1000)])
        #expect(!nothing.passed)
        #expect(nothing.evidence.contains("was interrupted"), "\(nothing.evidence)")
        let late = [
            videoRequest(1000, fault: "status 503", status: 503), videoRequest(2000),
            streamSession(2000, lasting: 56_000, ended: .serverClosed),
        ]
        let result = judge(kind, late, run: 60_000)
        #expect(result.passed, "\(result.evidence)")
        #expect(result.evidence.contains("1 too close to the end"), "\(result.evidence)")
    }

    @Test("the reader takes streams: and reconnects: with their keys and refuses misplaced ones")
    func parsing() throws {
        let scenario = try ScenarioLoader.parse(
            """
            name: s
            duration: 30s
            expect:
              - name: one stream at a time
                streams: { path: /axis-cgi/mjpg/video.cgi }
                concurrentAtMost: 1
              - name: watches long enough
                streams: /axis-cgi/mjpg/video.cgi
                framesAtLeast: 50
              - name: comes back calmly
                reconnects: /axis-cgi/mjpg/video.cgi
                within: 10s
                backoff: 500ms
            """, file: "s.yaml")
        #expect(
            scenario.expectations.map(\.kind) == [
                .streams(video, .concurrentAtMost(1)), .streams(video, .framesAtLeast(50)),
                .reconnects(video, withinMilliseconds: 10_000, backoffMilliseconds: 500),
            ])
        let misplaced = diagnostics(
            """
            name: s
            duration: 30s
            expect:
              - name: x
                request: /api/v1/login
                backoff: 1s
            """)
        #expect(misplaced.map(\.message).contains { $0.contains("'expect[0].backoff' only goes with 'reconnects:'") })
        let noWithin = diagnostics("name: s\nduration: 30s\nexpect:\n  - name: x\n    reconnects: /a\n")
        #expect(noWithin.map(\.message).contains { $0.contains("needs 'within: <duration>'") })
        let status = diagnostics(
            "name: s\nduration: 30s\nexpect:\n  - name: x\n    streams: {path: /a, status: 200}\n")
        #expect(status.map(\.message).contains { $0.contains("describes requests, not stream sessions") })
        let backoff = diagnostics(
            "name: s\nduration: 30s\nexpect:\n  - name: x\n    reconnects: /a\n    within: 1s\n    backoff: 2s\n")
        #expect(backoff.map(\.message).contains { $0.contains("can never pass") })
    }
}
