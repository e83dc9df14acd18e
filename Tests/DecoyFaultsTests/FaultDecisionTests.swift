import DecoyCore
import DecoyTinyCam
import Foundation
import Testing

@testable import DecoyFaults

/// What the decider makes of an exchange's facts: the draws, the matches, the windows, the
/// session state. Pure: no transport, no API.
@Suite struct FaultDecisionTests {
    static let config = DecoyConfig.embeddedDefault

    /// The facts of `target` as the transport reads them.
    static func facts(
        _ target: String, client: String = "a", headers: [(name: String, value: String)] = [],
        tokens: TokenStore? = nil, at now: Int64 = 0
    ) -> ExchangeFacts {
        ExchangeFacts(
            http: TinyCamRequest(method: "GET", target: target, headers: headers, clientAddress: client),
            tokens: tokens, users: config.users, cameraIDs: config.cameras.map(\.id), at: now)
    }

    @Test func jitterStaysInItsRangeAndFollowsTheSeed() {
        let rule = FaultRule(fault: .latency(fixedMilliseconds: 100, jitterMilliseconds: 50))
        let delays = { (seed: UInt64) in
            let faults = FaultLayer(seed: seed, rules: [rule])
            return (0..<50).map { _ in faults.decide(Self.facts("/x")).latencyMilliseconds }
        }
        let first = delays(9)
        #expect(first.allSatisfy { (100...150).contains($0) }, "\(first)")
        #expect(Set(first).count > 10, "jitter varies: \(first)")
        #expect(delays(9) == first)
        #expect(delays(10) != first)
    }

    /// The same seed faults the same requests of a fixed sequence; another seed others.
    @Test func theSameSeedFaultsTheSameRequests() {
        let rule = FaultRule(
            match: FaultMatch(path: "/api/v1/get_cam_event_list"), probability: 0.3,
            fault: .status(code: 503, body: nil))
        let sequence = (0..<200).map { index in
            Self.facts(index % 3 == 0 ? "/api/v1/login" : "/api/v1/get_cam_event_list", client: "127.0.0.1")
        }
        let faulted = { (seed: UInt64) -> [Int] in
            let faults = FaultLayer(seed: seed, rules: [rule])
            return sequence.indices.filter { faults.decide(sequence[$0]).replacement != nil }
        }
        let first = faulted(42)
        #expect(faulted(42) == first)
        #expect(faulted(43) != first)
        #expect(first.allSatisfy { $0 % 3 != 0 }, "only matching requests are faulted")
        #expect((20...70).contains(first.count), "about 0.3 of the 133 event-list requests: \(first.count)")
    }

    @Test func rulesMatchCameraPathClientAuthUserAndRole() {
        let tokens = TokenStore(clock: SystemClock(), timeToLiveSeconds: 0, capacity: 10)
        let guestToken = tokens.issue(user: "guest", role: .guest)
        let doorbell = Self.config.cameras[1].id
        let decide = { (match: FaultMatch, target: String, client: String, headers: [(name: String, value: String)]) in
            let faults = FaultLayer(seed: 1, rules: [FaultRule(match: match, fault: .status(code: 503, body: nil))])
            return faults.decide(Self.facts(target, client: client, headers: headers, tokens: tokens)).replacement
                != nil
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

    @Test func rulesAndTimedStepsAreActiveOnlyInTheirWindow() {
        let faults = FaultLayer(
            seed: 1,
            rules: [FaultRule(fromMilliseconds: 1000, untilMilliseconds: 2000, fault: .status(code: 503, body: nil))])
        let at = { (now: Int64) in Self.facts("/x", at: now) }
        #expect(
            [999, 1000, 1999, 2000].map { faults.decide(at($0)).replacement != nil } == [false, true, true, false])
        faults.addTimedRule(
            FaultRule(fault: .latency(fixedMilliseconds: 5, jitterMilliseconds: 0)), forMilliseconds: 500, at: 3000)
        #expect([2999, 3000, 3499, 3500].map { faults.decide(at($0)).latencyMilliseconds } == [0, 5, 5, 0])
        #expect(faults.decide(at(3000)).applied == ["latency 5 ms (network step 1)"])
    }

    /// Timed steps that have run their course are forgotten, without changing the labels or draws
    /// of the ones that follow.
    @Test func expiredTimedRulesAreDroppedAndTheLabelsGoOn() {
        var state = FaultState(seed: 1)
        let slow = FaultRule(fault: .latency(fixedMilliseconds: 5, jitterMilliseconds: 0))
        for step in 0..<100 { state.addTimedRule(slow, forMilliseconds: 500, at: Int64(step) * 1000) }
        #expect(state.timedRules.count == 1, "only the one still active is kept")
        #expect(state.decide(Self.facts("/x", at: 99_100)).applied == ["latency 5 ms (network step 100)"])
    }

    @Test func lockoutLocksOneClientAfterFailuresInARowForItsTime() {
        let faults = FaultLayer(seed: 1)
        faults.lockOut(after: 2, forMilliseconds: 1000)
        let attempt = { (client: String, pwd: String, now: Int64) -> Bool in
            let plan = faults.decide(Self.facts("/api/v1/login?user=admin&pwd=\(pwd)", client: client, at: now))
            let failed = plan.replacement != nil || pwd == "bad"
            if !plan.lockedOut { faults.loginAnswered(client: client, failed: failed, at: now) }
            return plan.lockedOut
        }
        #expect(!attempt("a", "bad", 0))
        #expect(!attempt("a", "good", 10), "a success resets the count")
        #expect(!attempt("a", "bad", 20))
        #expect(!attempt("a", "bad", 30), "the second failure in a row locks")
        #expect(attempt("a", "good", 40), "locked: even the right password")
        #expect(!attempt("b", "good", 40), "other clients are not")
        #expect(attempt("a", "good", 1029))
        #expect(!attempt("a", "good", 1030), "over after its time")
        #expect(faults.decide(Self.facts("/api/v1/login?user=admin&pwd=bad", client: "a")).applied.isEmpty)
    }

    @Test func failLoginsHitOnlyLoginsAndCountDown() {
        let faults = FaultLayer(seed: 1)
        faults.failNextLogins(2)
        #expect(faults.decide(Self.facts("/api/v1/get_cam_list")).isEmpty, "only logins fail")
        #expect(faults.decide(Self.facts("/api/v1/login")).applied == ["failLogins (1 left)"])
        #expect(faults.decide(Self.facts("/api/v1/login")).replacement == .invalidCredentials)
        #expect(faults.decide(Self.facts("/api/v1/login")).isEmpty)
    }

    @Test func matchingRulesCombineIntoOneExchangeWithTheirLabels() {
        let faults = FaultLayer(
            seed: 1,
            rules: [
                FaultRule(
                    name: "slow", match: FaultMatch(path: "/axis-cgi/*"),
                    fault: .network(.bandwidth(bytesPerSecond: 1000))),
                FaultRule(name: "cut", match: FaultMatch(path: "/axis-cgi/*"), fault: .media(.truncatedJPEG)),
                FaultRule(name: "second cut", fault: .media(.corruptEntropy)),
            ])
        let plan = faults.decide(Self.facts("/axis-cgi/mjpg/video.cgi"))
        #expect(plan.wire?.bytesPerSecond == 1000)
        #expect(plan.wire?.media == .truncatedJPEG, "the first media rule wins")
        #expect(plan.wire?.label == "bandwidth 1000 B/s (slow); media truncatedJPEG (cut)")
        #expect(plan.summary == "bandwidth 1000 B/s (slow); media truncatedJPEG (cut)")
        let other = faults.decide(Self.facts("/api/v1/get_cam_list")).wire
        #expect(other?.media == .corruptEntropy && other?.bytesPerSecond == nil)
    }

    @Test func refuseRulesDrawPerConnectionAndNotPerRequest() {
        let rules = [
            FaultRule(name: "door", match: FaultMatch(client: "10.*"), probability: 0.5, fault: .network(.refuse))
        ]
        let run = { () -> [Bool] in
            let faults = FaultLayer(seed: 9, rules: rules)
            return (0..<40).map { _ in faults.refusal(client: "10.0.0.1", at: 0) != nil }
        }
        let first = run()
        #expect(first.contains(true) && first.contains(false))
        #expect(run() == first, "same seed, same connections refused")
        let faults = FaultLayer(seed: 1, rules: rules)
        #expect(faults.refusal(client: "127.0.0.1", at: 0) == nil)
        #expect(faults.decide(Self.facts("/api/v1/get_cam_list", client: "10.0.0.1")).wire == nil)
    }

    @Test func aStreamTokenRejectionTakesTheNextLiveStreamWithAValidTokenOfItsUser() {
        let tokens = TokenStore(clock: SystemClock(), timeToLiveSeconds: 0, capacity: 10)
        let admin = tokens.issue(user: "admin", role: .admin)
        let guest = tokens.issue(user: "guest", role: .guest)
        let faults = FaultLayer(seed: 1)
        faults.rejectNextStreamToken(afterFrames: 5, user: "guest")
        let stream = { (token: String) in
            faults.decide(Self.facts("/axis-cgi/mjpg/video.cgi?token=\(token)", tokens: tokens))
        }
        #expect(stream("nonsense").isEmpty, "an invalid token does not use the rejection up")
        #expect(stream(admin).isEmpty, "another user's stream")
        #expect(faults.decide(Self.facts("/api/v1/get_cam_list?token=\(guest)", tokens: tokens)).isEmpty)
        let plan = stream(guest)
        #expect(plan.wire?.closeAfterFrames == 5 && plan.wire?.revokesToken == guest)
        #expect(plan.applied == ["rejectStreamToken after 5 frames (guest)"])
        #expect(stream(guest).isEmpty, "used up")
        #expect(faults.streamReachedFrameLimit(token: guest))
        #expect(!faults.streamReachedFrameLimit(token: guest), "once")
    }

    @Test func aResetForgetsControlRulesAndSessionStateAndDrawsFromTheSeedAgain() {
        let faults = FaultLayer(seed: 5)
        faults.installScenarioRules(
            [FaultRule(probability: 0.5, fault: .status(code: 503, body: nil))], startingAt: 100)
        faults.add(FaultRule(fault: .latency(fixedMilliseconds: 1, jitterMilliseconds: 0)), origin: .control)
        faults.failNextLogins(3)
        let draws = { (0..<20).map { _ in faults.decide(Self.facts("/x", at: 200)).replacement != nil } }
        let first = draws()
        #expect(faults.rules.map(\.origin) == [.scenario, .control])
        #expect(faults.rules.first?.rule.name == "rules[0]" && faults.rules.first?.rule.fromMilliseconds == 100)
        #expect(faults.reset() == 1)
        #expect(faults.rules.map(\.origin) == [.scenario])
        #expect(draws() == first, "the same draws again")
        #expect(faults.decide(Self.facts("/api/v1/login", at: 200)).replacement != .invalidCredentials)
    }
}
