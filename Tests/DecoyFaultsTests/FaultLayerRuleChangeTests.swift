import DecoyCore
import DecoyTinyCam
import Testing

@testable import DecoyFaults

/// The control API's rule changes change the rules in place: what steps and actions asked for
/// survives them, and the seeded draws go on rather than starting over.
@Suite struct FaultLayerRuleChangeTests {
    private let login = FaultDecisionTests.facts("/api/v1/login")
    private let poll = FaultDecisionTests.facts("/api/v1/get_status")

    private func at(_ facts: ExchangeFacts, _ now: Int64) -> ExchangeFacts {
        var facts = facts
        facts.milliseconds = now
        return facts
    }

    @Test func pendingFailedLoginsAndLockoutsSurviveARuleChange() throws {
        let faults = FaultLayer(seed: 7)
        faults.failNextLogins(2)
        faults.lockOut(after: 1, forMilliseconds: 60_000)
        #expect(faults.decide(at(login, 0)).replacement == .invalidCredentials)
        let entry = faults.add(FaultRule(fault: .status(code: 503, body: nil)), origin: .control)
        let decision = faults.decide(at(login, 10))
        #expect(decision.applied.contains { $0.hasPrefix("failLogins") }, "\(decision.applied)")
        #expect(faults.decide(at(poll, 20)).applied == ["status 503 (control rule 1)"])
        _ = faults.remove(id: try #require(entry.id))
        #expect(faults.decide(at(poll, 30)).applied.isEmpty)
        faults.reset()
        #expect(faults.decide(at(login, 40)).replacement == nil, "a reset starts over")
    }

    @Test func seededDrawsContinueAcrossARuleChange() throws {
        let flaky = FaultRule(probability: 0.5, fault: .status(code: 500, body: nil))
        let draws = { (change: Bool) -> [Bool] in
            let faults = FaultLayer(seed: 7)
            faults.add(flaky, origin: .control)
            var hits: [Bool] = []
            for index in 0..<40 {
                if change, index == 20 {
                    faults.add(
                        FaultRule(
                            match: FaultMatch(path: "/never"),
                            fault: .latency(fixedMilliseconds: 1, jitterMilliseconds: 0)), origin: .control)
                }
                hits.append(faults.decide(at(poll, Int64(index))).replacement != nil)
            }
            return hits
        }
        let steady = draws(false)
        #expect(steady.contains(true) && steady.contains(false))
        // A rule that matches nothing draws nothing: the same faults as without the change. Had the
        // draws started over at the change, the second half would repeat the first.
        #expect(draws(true) == steady)
        #expect(Array(steady[20...]) != Array(steady[..<20]))
    }
}
