import DecoyCore
import DecoyFaults
import DecoyServer
import DecoyTinyCam
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

/// A stand-in for the API: logins succeed unless `pwd=bad`, `deny` answers 403, everything else
/// 200 "fine"; it counts what reached it.
final class StubAPI: TinyCamResponder {
    let calls = NIOLockedValueBox(0)
    let legacy: Bool

    init(legacy: Bool = false) { self.legacy = legacy }

    func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        calls.withLockedValue { $0 += 1 }
        if request.rawQuery.contains("pwd=bad") || request.rawPath == "/deny" {
            return APIError.auth(.invalidCredentials).response(legacyStatus200: legacy)
        }
        var response = TinyCamResponse.text(.ok, "fine")
        response.user = "admin"
        return response
    }
}

/// The fault layer and the journal in the real connection pipeline (on an embedded channel), as
/// a sandbox builds them, over a `StubAPI`: what the journal says is what the transport wrote.
struct FaultRig {
    let api: StubAPI
    let faults: FaultLayer
    let journal: Journal
    let clock: ManualClock
    let server: EmbeddedServer

    /// Runs `body` with a rig whose fault layer has `rules` in force, and shuts it down.
    static func with(
        _ rules: [FaultRule], seed: UInt64 = 1, legacy: Bool = false,
        answering responder: (any TinyCamResponder)? = nil,
        _ body: (FaultRig) async throws -> Void
    ) async throws {
        let api = StubAPI(legacy: legacy)
        var config = DecoyConfig(cameras: TestServer.cameras)
        config.server.legacyErrorStatus200 = legacy
        let clock = ManualClock(timers: .onAdvance)
        let journal = Journal()
        let faults = FaultLayer(seed: seed, rules: rules)
        let server = try await EmbeddedServer.start(
            config: config, clock: clock,
            harness: TransportHarness(
                faults: faults, journal: JournalRecorder(journal: journal, clock: RunClock(clock: clock))),
            responder: { _ in responder ?? api })
        let rig = FaultRig(api: api, faults: faults, journal: journal, clock: clock, server: server)
        do {
            try await body(rig)
            await server.shutdown()
        } catch {
            await server.shutdown()
            throw error
        }
    }

    @discardableResult
    func send(_ target: String, headers: [(name: String, value: String)] = []) async throws -> RawResponse {
        try await server.get(target, headers: headers)
    }

    var records: [RequestRecord] { journal.snapshot().entries.compactMap(\.request) }
    var lastFault: String? { records.last?.fault }
}

@Suite struct FaultLayerTests {
    let busy = FaultRule(name: "busy", fault: .status(code: 503, body: "HTTP 503. Busy."))

    @Test func aStatusFaultAnswersInsteadOfTheAPIAndIsJournaled() async throws {
        try await FaultRig.with([busy]) { rig in
            let response = try await rig.send("/api/v1/get_cam_event_list")
            #expect(response.status == 503)
            #expect(response.bodyText == "HTTP 503. Busy.")
            #expect(response.header("Server")?.hasPrefix("Decoy/") == true, "looks like Decoy's own answer")
            #expect(rig.api.calls.withLockedValue { $0 } == 0, "the API never saw it")
            #expect(rig.records.map(\.status) == [503])
            #expect(rig.lastFault == "status 503 (busy)")
        }
        try await FaultRig.with([FaultRule(fault: .status(code: 500, body: nil))]) { plain in
            let answer = try await plain.send("/x")
            #expect(answer.bodyText == "HTTP 500. Internal Server Error.")
            #expect(plain.lastFault == "status 500 (rules[0])")
        }
    }

    /// On the server's clock: the answer is held back until the latency has passed on it, and
    /// the API is asked only then.
    @Test func latencyDelaysTheAnswerAndTheJournalSaysByHowMuch() async throws {
        let slow = FaultRule(name: "slow", fault: .latency(fixedMilliseconds: 60, jitterMilliseconds: 0))
        try await FaultRig.with([slow]) { rig in
            try await rig.server.send("GET /axis-cgi/jpg/image.cgi HTTP/1.1\r\nHost: decoy\r\n\r\n")
            rig.clock.advance(by: 59)
            #expect(try await rig.server.output { _ in true }.isEmpty, "nothing before 60 ms")
            #expect(rig.api.calls.withLockedValue { $0 } == 0, "the API is not asked during the latency")
            rig.clock.advance(by: 1)
            let response = try await rig.server.response()
            #expect(response.status == 200)
            #expect(rig.lastFault == "latency 60 ms (slow)")
            #expect(rig.api.calls.withLockedValue { $0 } == 1)
        }
    }

    @Test func legacyErrorsSwitchTheStatusOfErrorBodiesOnly() async throws {
        try await FaultRig.with([FaultRule(name: "legacy", fault: .legacyErrors(true))]) { on in
            let denied = try await on.send("/deny")
            #expect(denied.status == 200)
            #expect(denied.bodyText == "HTTP 403. Invalid user name or password.")
            #expect(on.lastFault == "legacyErrors on (legacy)")
            #expect(try await on.send("/ok").status == 200)
            #expect(on.lastFault == nil, "an answer it did not change is not faulted")
        }
        try await FaultRig.with([FaultRule(fault: .legacyErrors(false))], legacy: true) { off in
            let denied = try await off.send("/deny")
            #expect(denied.status == 403)
            #expect(off.lastFault == "legacyErrors off (rules[0])")
        }
    }

    @Test func failLoginsFailTheNextLoginsWhateverTheirCredentials() async throws {
        try await FaultRig.with([]) { rig in
            rig.faults.failNextLogins(2)
            #expect(try await rig.send("/api/v1/get_cam_list").status == 200, "only logins fail")
            for left in [1, 0] {
                let response = try await rig.send("/api/v1/login?user=admin&pwd=right")
                #expect(response.status == 403)
                #expect(response.bodyText == "HTTP 403. Invalid user name or password.")
                #expect(rig.lastFault == "failLogins (\(left) left)")
            }
            #expect(try await rig.send("/api/v1/login?user=admin&pwd=right").status == 200)
            #expect(rig.lastFault == nil)
            #expect(rig.api.calls.withLockedValue { $0 } == 2)
        }
    }

    @Test func withoutAHarnessEverythingPassesStraightOn() async throws {
        let api = StubAPI()
        let server = try await EmbeddedServer.start(responder: { _ in api })
        let response = try await server.get("/deny")
        await server.shutdown()
        #expect(response.status == 403)
        #expect(api.calls.withLockedValue { $0 } == 1)
    }

    @Test func expectationsCanNameTheFault() {
        var record = RequestRecord(
            client: "a", user: nil, auth: .none, method: "GET", path: "/x", parameters: [], status: 200, bodyBytes: 1,
            fault: "latency 2000 ms (slow)")
        #expect(RequestPattern(path: "/x", fault: "latency*").matches(record))
        #expect(!RequestPattern(path: "/x", fault: "status*").matches(record))
        record.fault = nil
        #expect(!RequestPattern(path: "/x", fault: "*").matches(record))
        #expect(RequestPattern(path: "/x").matches(record))
    }
}
