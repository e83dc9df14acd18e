import DecoyCore
import DecoyTinyCam
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import DecoyScenario

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

/// The fault layer inside the journal, as `ScenarioRunner` builds it, over a `StubAPI`.
struct FaultRig {
    let api: StubAPI
    let faults: FaultController
    let journal = Journal()
    let responder: JournalingResponder

    init(_ rules: [FaultRule], seed: UInt64 = 1, legacy: Bool = false, tokens: TokenStore? = nil) {
        api = StubAPI(legacy: legacy)
        var config = Scenario.defaultConfig
        config.server.legacyErrorStatus200 = legacy
        faults = FaultController(rules: rules, seed: seed, config: config, tokens: tokens)
        let clock = RunClock()
        responder = JournalingResponder(
            FaultingResponder(api, faults: faults, clock: clock), journal: journal, clock: clock)
    }

    @discardableResult
    func send(
        _ target: String, from client: String = "127.0.0.1", headers: [(name: String, value: String)] = []
    )
        async -> TinyCamResponse
    {
        await responder.handle(TinyCamRequest(method: "GET", target: target, headers: headers, clientAddress: client))
    }

    var records: [RequestRecord] { journal.snapshot().entries.compactMap(\.request) }
    var lastFault: String? { records.last?.fault }
}

func text(_ response: TinyCamResponse) -> String {
    response.bodyBytes.map { String(buffer: $0) } ?? ""
}

@Suite struct FaultLayerTests {
    let busy = FaultRule(name: "busy", fault: .status(code: 503, body: "HTTP 503. Busy."))

    @Test func aStatusFaultAnswersInsteadOfTheAPIAndIsJournaled() async {
        let rig = FaultRig([busy])
        let response = await rig.send("/api/v1/get_cam_event_list")
        #expect(response.status.code == 503)
        #expect(text(response) == "HTTP 503. Busy.")
        #expect(response.header("Server")?.hasPrefix("Decoy/") == true, "looks like Decoy's own answer")
        #expect(rig.api.calls.withLockedValue { $0 } == 0, "the API never saw it")
        #expect(rig.records.map(\.status) == [503])
        #expect(rig.lastFault == "status 503 (busy)")
        let plain = FaultRig([FaultRule(fault: .status(code: 500, body: nil))])
        #expect(text(await plain.send("/x")) == "HTTP 500. Internal Server Error.")
        #expect(plain.lastFault == "status 500 (rules[0])")
    }

    @Test func latencyDelaysTheAnswerAndTheJournalSaysByHowMuch() async {
        let rig = FaultRig([FaultRule(name: "slow", fault: .latency(fixedMilliseconds: 60, jitterMilliseconds: 0))])
        let start = ContinuousClock.now
        let response = await rig.send("/axis-cgi/jpg/image.cgi")
        #expect(ContinuousClock.now - start >= .milliseconds(60), "a lower bound only")
        #expect(response.status.code == 200)
        #expect(rig.lastFault == "latency 60 ms (slow)")
        #expect(rig.api.calls.withLockedValue { $0 } == 1)
    }

    @Test func jitterStaysInItsRangeAndFollowsTheSeed() {
        let rule = FaultRule(fault: .latency(fixedMilliseconds: 100, jitterMilliseconds: 50))
        let delays = { (seed: UInt64) in
            let faults = FaultController(rules: [rule], seed: seed, config: Scenario.defaultConfig, tokens: nil)
            return (0..<50).map { _ in
                faults.decide(TinyCamRequest(method: "GET", target: "/x", clientAddress: "a"), at: 0)
                    .latencyMilliseconds
            }
        }
        let first = delays(9)
        #expect(first.allSatisfy { (100...150).contains($0) }, "\(first)")
        #expect(Set(first).count > 10, "jitter varies: \(first)")
        #expect(delays(9) == first)
        #expect(delays(10) != first)
    }

    @Test func legacyErrorsSwitchTheStatusOfErrorBodiesOnly() async {
        let on = FaultRig([FaultRule(name: "legacy", fault: .legacyErrors(true))])
        let denied = await on.send("/deny")
        #expect(denied.status.code == 200)
        #expect(text(denied) == "HTTP 403. Invalid user name or password.")
        #expect(on.lastFault == "legacyErrors on (legacy)")
        #expect(await on.send("/ok").status.code == 200)
        #expect(on.lastFault == nil, "an answer it did not change is not faulted")
        let off = FaultRig([FaultRule(fault: .legacyErrors(false))], legacy: true)
        #expect(await off.send("/deny").status.code == 403)
        #expect(off.lastFault == "legacyErrors off (rules[0])")
    }

    /// The same seed faults the same requests of a fixed sequence; another seed others.
    @Test func theSameSeedFaultsTheSameRequests() {
        let rule = FaultRule(
            match: FaultMatch(path: "/api/v1/get_cam_event_list"), probability: 0.3,
            fault: .status(code: 503, body: nil))
        let sequence = (0..<200).map { index in
            TinyCamRequest(
                method: "GET", target: index % 3 == 0 ? "/api/v1/login" : "/api/v1/get_cam_event_list",
                clientAddress: "127.0.0.1")
        }
        let faulted = { (seed: UInt64) -> [Int] in
            let faults = FaultController(rules: [rule], seed: seed, config: Scenario.defaultConfig, tokens: nil)
            return sequence.indices.filter { faults.decide(sequence[$0], at: 0).replacement != nil }
        }
        let first = faulted(42)
        #expect(faulted(42) == first)
        #expect(faulted(43) != first)
        #expect(first.allSatisfy { $0 % 3 != 0 }, "only matching requests are faulted")
        #expect((20...70).contains(first.count), "about 0.3 of the 133 event-list requests: \(first.count)")
    }

    @Test func rulesMatchCameraPathClientAuthUserAndRole() async {
        let tokens = TokenStore(clock: SystemClock(), timeToLiveSeconds: 0, capacity: 10)
        let guestToken = tokens.issue(user: "guest", role: .guest)
        let config = Scenario.defaultConfig
        let doorbell = config.cameras[1].id
        let decide = { (match: FaultMatch, target: String, client: String, headers: [(name: String, value: String)]) in
            let faults = FaultController(
                rules: [FaultRule(match: match, fault: .status(code: 503, body: nil))], seed: 1, config: config,
                tokens: tokens)
            let request = TinyCamRequest(method: "GET", target: target, headers: headers, clientAddress: client)
            return faults.decide(request, at: 0).replacement != nil
        }
        let basicGuest = [(name: "Authorization", value: "Basic " + Data("guest:x".utf8).base64EncodedString())]
        #expect(decide(FaultMatch(cameraID: doorbell), "/v?cameraId=\(doorbell)", "a", []))
        #expect(decide(FaultMatch(cameraID: doorbell), "/v?camera=2", "a", []))
        #expect(!decide(FaultMatch(cameraID: doorbell), "/v?camera=1", "a", []))
        #expect(decide(FaultMatch(path: "/axis-cgi/*"), "/axis-cgi/jpg/image.cgi", "a", []))
        #expect(!decide(FaultMatch(path: "/axis-cgi/*"), "/api/v1/login", "a", []))
        #expect(decide(FaultMatch(client: "10.0.*"), "/x", "10.0.0.7", []))
        #expect(!decide(FaultMatch(client: "10.0.*"), "/x", "127.0.0.1", []))
        #expect(decide(FaultMatch(auth: .basic), "/x", "a", basicGuest))
        #expect(!decide(FaultMatch(auth: .token), "/x", "a", basicGuest))
        #expect(decide(FaultMatch(user: "guest"), "/x", "a", basicGuest))
        #expect(decide(FaultMatch(role: .guest), "/x?token=\(guestToken)", "a", []))
        #expect(!decide(FaultMatch(role: .admin), "/x?token=\(guestToken)", "a", []))
        #expect(decide(FaultMatch(role: .admin), "/x?user=admin&pwd=wrong", "a", []))
        #expect(!decide(FaultMatch(role: .admin), "/x", "a", []), "no credentials name no role")
    }

    @Test func rulesAndNetworkStepsAreActiveOnlyInTheirWindow() {
        let faults = FaultController(
            rules: [FaultRule(fromMilliseconds: 1000, untilMilliseconds: 2000, fault: .status(code: 503, body: nil))],
            seed: 1, config: Scenario.defaultConfig, tokens: nil)
        let request = TinyCamRequest(method: "GET", target: "/x", clientAddress: "a")
        #expect(
            [999, 1000, 1999, 2000].map { faults.decide(request, at: $0).replacement != nil } == [
                false, true, true, false,
            ])
        faults.addNetworkRule(
            FaultRule(fault: .latency(fixedMilliseconds: 5, jitterMilliseconds: 0)), forMilliseconds: 500, at: 3000)
        #expect([2999, 3000, 3499, 3500].map { faults.decide(request, at: $0).latencyMilliseconds } == [0, 5, 5, 0])
        #expect(faults.decide(request, at: 3000).applied == ["latency 5 ms (network step 1)"])
    }

    @Test func failLoginsFailTheNextLoginsWhateverTheirCredentials() async {
        let rig = FaultRig([])
        rig.faults.failNextLogins(2)
        #expect(await rig.send("/api/v1/get_cam_list").status.code == 200, "only logins fail")
        for left in [1, 0] {
            let response = await rig.send("/api/v1/login?user=admin&pwd=right")
            #expect(response.status.code == 403)
            #expect(text(response) == "HTTP 403. Invalid user name or password.")
            #expect(rig.lastFault == "failLogins (\(left) left)")
        }
        #expect(await rig.send("/api/v1/login?user=admin&pwd=right").status.code == 200)
        #expect(rig.lastFault == nil)
        #expect(rig.api.calls.withLockedValue { $0 } == 2)
    }

    @Test func lockoutLocksOneClientAfterFailuresInARowForItsTime() {
        let faults = FaultController(rules: [], seed: 1, config: Scenario.defaultConfig, tokens: nil)
        faults.lockOut(after: 2, forMilliseconds: 1000)
        let login = { (client: String, pwd: String) in
            TinyCamRequest(method: "GET", target: "/api/v1/login?user=admin&pwd=\(pwd)", clientAddress: client)
        }
        let denied = APIError.auth(.invalidCredentials).response(legacyStatus200: false)
        let attempt = { (client: String, pwd: String, now: Int64) -> Bool in
            let request = login(client, pwd)
            let decision = faults.decide(request, at: now)
            let response = decision.replacement ?? (pwd == "bad" ? denied : .text(.ok, "{}"))
            faults.observe(request, response: response, decision: decision, at: now)
            return decision.lockedOut
        }
        #expect(!attempt("a", "bad", 0))
        #expect(!attempt("a", "good", 10), "a success resets the count")
        #expect(!attempt("a", "bad", 20))
        #expect(!attempt("a", "bad", 30), "the second failure in a row locks")
        #expect(attempt("a", "good", 40), "locked: even the right password")
        #expect(!attempt("b", "good", 40), "other clients are not")
        #expect(attempt("a", "good", 1029))
        #expect(!attempt("a", "good", 1030), "over after its time")
        #expect(faults.decide(login("a", "bad"), at: 0).applied.isEmpty)
    }

    @Test func withoutAControllerEverythingPassesStraightOn() async {
        let api = StubAPI()
        let journal = Journal()
        let clock = RunClock()
        let responder = JournalingResponder(
            FaultingResponder(api, faults: nil, clock: clock), journal: journal, clock: clock)
        let response = await responder.handle(TinyCamRequest(method: "GET", target: "/deny", clientAddress: "a"))
        #expect(response.status.code == 403)
        #expect(journal.snapshot().entries.compactMap(\.request?.fault) == [])
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
