import DecoyFaults
import DecoyTinyCam
import Testing

@testable import DecoyScenario

/// A hand-made journal: requests and steps at given times.
func request(
    _ time: Int64, _ path: String, status: Int = 200, user: String? = "admin", auth: AuthKind = .basic,
    parameters: [(String, String)] = []
) -> JournalEntry {
    JournalEntry(
        milliseconds: time,
        event: .request(
            RequestRecord(
                client: "127.0.0.1", user: user, auth: auth, method: "GET", path: path,
                parameters: parameters.map { RequestRecord.Parameter(name: $0.0, value: $0.1) }, status: status,
                bodyBytes: 10)))
}

func stepFired(_ time: Int64, _ label: String) -> JournalEntry {
    JournalEntry(
        milliseconds: time,
        event: .step(StepRecord(label: label, index: 0, occurrence: 1, scheduledMilliseconds: time, action: "log")))
}

@Suite struct ExpectationTests {
    let events = RequestPattern(path: "/api/v1/get_cam_event_list")
    let login = RequestPattern(path: "/api/v1/login")

    private func judge(_ kind: ExpectationKind, _ entries: [JournalEntry], run: Int64 = 15_000) -> ExpectationResult {
        ExpectationEvaluator(entries: entries, runMilliseconds: run).evaluate(Expectation(name: "e", kind: kind))
    }

    @Test(arguments: [
        (Int64(2999), false), (3000, true), (5500, true), (8000, true), (8001, false),
    ])
    func withinIsTheClosedWindowFromTheStep(requestAt time: Int64, passes: Bool) {
        let result = judge(
            .within(events, windowMilliseconds: 5000, step: "ring"),
            [stepFired(3000, "ring"), request(time, "/api/v1/get_cam_event_list")])
        #expect(result.passed == passes, "\(result.evidence)")
    }

    @Test func withinEvidenceNamesTheWindowAndTheNearestMatch() {
        let result = judge(
            .within(events, windowMilliseconds: 5000, step: "ring"),
            [
                request(1000, "/api/v1/get_cam_event_list"), stepFired(3000, "ring"),
                request(9400, "/api/v1/get_cam_event_list"), request(4000, "/api/v1/get_cam_list"),
            ])
        #expect(!result.passed)
        #expect(result.evidence == "no /api/v1/get_cam_event_list between 3 s and 8 s; nearest at 9.4 s")
    }

    @Test func withinFailsWhenTheStepNeverFired() {
        let result = judge(.within(events, windowMilliseconds: 5000, step: "ring"), [], run: 2100)
        #expect(!result.passed)
        #expect(result.evidence == "step 'ring' never fired (the run lasted 2.1 s)")
    }

    @Test func statusIsIgnoredUnlessNamed() {
        let entries = [request(100, "/api/v1/login", status: 403)]
        #expect(judge(.count(login, atLeast: 1, atMost: nil, perMilliseconds: nil), entries).passed)
        var ok = login
        ok.status = 200
        #expect(!judge(.count(ok, atLeast: 1, atMost: nil, perMilliseconds: nil), entries).passed)
    }

    @Test func pathsAreExactUnlessTheyHoldAStar() {
        let entries = [request(100, "/axis-cgi/mjpg/video.cgi")]
        let exact = RequestPattern(path: "/axis-cgi/mjpg")
        let glob = RequestPattern(path: "/axis-cgi/*.cgi")
        #expect(!judge(.count(exact, atLeast: 1, atMost: nil, perMilliseconds: nil), entries).passed)
        #expect(judge(.count(glob, atLeast: 1, atMost: nil, perMilliseconds: nil), entries).passed)
        #expect(Glob.matches("*", ""))
        #expect(Glob.matches("/a*b*c", "/aXbYbZc"))
        #expect(!Glob.matches("/a*b", "/aXbY"))
    }

    @Test func parametersUserAndAuthMustMatchWhenNamed() {
        let entries = [request(100, "/x", user: "guest", auth: .token, parameters: [("cameraId", "5")])]
        let pattern = RequestPattern(path: "/x", user: "guest", auth: .token, parameters: ["cameraId": "*"])
        #expect(judge(.never(pattern), entries).passed == false)
        #expect(judge(.never(RequestPattern(path: "/x", parameters: ["cameraId": "6"])), entries).passed)
        #expect(judge(.never(RequestPattern(path: "/x", user: "admin")), entries).passed)
        #expect(judge(.never(RequestPattern(path: "/x", auth: .basic)), entries).passed)
    }

    @Test func countsOverTheWholeRun() {
        let entries = (0..<4).map { request(Int64($0) * 1000 + 200, "/api/v1/login") }
        let atMost3 = judge(.count(login, atLeast: nil, atMost: 3, perMilliseconds: nil), entries)
        #expect(!atMost3.passed)
        #expect(atMost3.evidence == "4 matching requests: at 0.2 s, 1.2 s, 2.2 s, 3.2 s, more than atMost 3")
        #expect(judge(.count(login, atLeast: nil, atMost: 4, perMilliseconds: nil), entries).passed)
        #expect(!judge(.count(login, atLeast: 5, atMost: nil, perMilliseconds: nil), entries).passed)
        #expect(judge(.count(login, atLeast: 4, atMost: 4, perMilliseconds: nil), entries).passed)
    }

    @Test func atMostPerIsCheckedOverEverySlidingWindow() {
        // Three logins within 60 s straddling the 60 s mark: fixed windows would see 2 + 1.
        let entries = [
            request(50_000, "/api/v1/login"), request(59_000, "/api/v1/login"), request(61_000, "/api/v1/login"),
        ]
        let tight = judge(.count(login, atLeast: nil, atMost: 2, perMilliseconds: 60_000), entries, run: 120_000)
        #expect(!tight.passed)
        #expect(tight.evidence.hasPrefix("3 matching requests within 60 s, from 50 s to 61 s"), "\(tight.evidence)")
        // Exactly one window apart is not within it: [t, t + per).
        let apart = [request(0, "/api/v1/login"), request(60_000, "/api/v1/login")]
        #expect(judge(.count(login, atLeast: nil, atMost: 1, perMilliseconds: 60_000), apart, run: 120_000).passed)
    }

    @Test func atLeastPerIsCheckedInEachCompleteWindow() {
        let entries = [request(1000, "/x"), request(12_000, "/x")]
        let pattern = RequestPattern(path: "/x")
        // Windows [0, 10 s) and [10 s, 20 s); the partial [20 s, 25 s) is not judged.
        #expect(judge(.count(pattern, atLeast: 1, atMost: nil, perMilliseconds: 10_000), entries, run: 25_000).passed)
        let gap = judge(.count(pattern, atLeast: 1, atMost: nil, perMilliseconds: 5000), entries, run: 15_000)
        #expect(!gap.passed)
        #expect(gap.evidence == "only 0 matching requests between 5 s and 10 s, fewer than atLeast 1")
        let short = judge(.count(pattern, atLeast: 1, atMost: nil, perMilliseconds: 60_000), entries, run: 15_000)
        #expect(!short.passed)
        #expect(short.evidence.hasPrefix("the run (15 s) ended before one complete 60 s window"))
    }

    @Test func neverListsTheOffenders() {
        let basic = RequestPattern(path: "*", auth: .basic)
        let entries = [request(100, "/a", auth: .token), request(1200, "/b", auth: .basic)]
        let result = judge(.never(basic), entries)
        #expect(!result.passed)
        #expect(
            result.evidence == "1 matching requests: at 1.2 s GET /b from 127.0.0.1 user admin auth basic status 200")
        #expect(judge(.never(basic), [request(100, "/a", auth: .token)]).passed)
    }

    @Test func orderNeedsEachPatternAfterThePreviousMatch() {
        let patterns = [login, RequestPattern(path: "/api/v1/get_cam_list"), events]
        let good = [
            request(100, "/api/v1/get_cam_list"), request(200, "/api/v1/login"), request(300, "/api/v1/get_cam_list"),
            request(400, "/api/v1/get_cam_event_list"),
        ]
        let passed = judge(.order(patterns), good)
        #expect(passed.passed, "\(passed.evidence)")
        #expect(passed.evidence.contains("/api/v1/get_cam_list at 0.3 s"))
        let bad = [
            request(100, "/api/v1/get_cam_list"), request(200, "/api/v1/login"),
            request(300, "/api/v1/get_cam_event_list"),
        ]
        let failed = judge(.order(patterns), bad)
        #expect(!failed.passed)
        #expect(
            failed.evidence
                == "/api/v1/login at 0.2 s, then no /api/v1/get_cam_list after that (seen only at 0.1 s)")
    }

    @Test func clientExitComparesTheStatusAndKnowsWhenDecoyStoppedIt() {
        let expectation = Expectation(name: "exit", kind: .clientExit(0))
        let none = ExpectationEvaluator(entries: [], runMilliseconds: 1000).evaluate(expectation)
        #expect(!none.passed)
        let ok = ExpectationEvaluator(
            entries: [], runMilliseconds: 1000, client: ClientOutcome(status: 0, stoppedByDecoy: false))
        #expect(ok.evaluate(expectation).passed)
        let failed = ExpectationEvaluator(
            entries: [], runMilliseconds: 1000, client: ClientOutcome(status: 3, stoppedByDecoy: false))
        #expect(failed.evaluate(expectation).evidence == "the client exited with status 3; expected 0")
        let stopped = ExpectationEvaluator(
            entries: [], runMilliseconds: 1000, client: ClientOutcome(status: 143, stoppedByDecoy: true))
        #expect(!stopped.evaluate(Expectation(name: "x", kind: .clientExit(143))).passed)
    }

    @Test func evidenceSaysWhenTheJournalDroppedEntries() {
        let evaluator = ExpectationEvaluator(entries: [], runMilliseconds: 1000, dropped: 7)
        let result = evaluator.evaluate(Expectation(name: "e", kind: .never(RequestPattern(path: "/a"))))
        #expect(result.evidence.hasSuffix("(the journal dropped its 7 oldest entries)"))
    }
}
