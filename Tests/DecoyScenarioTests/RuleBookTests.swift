import DecoyCore
import DecoyTinyCam
import Testing

@testable import DecoyScenario

/// The control API's rule changes replace the rules in place: what steps and actions asked for
/// survives them, and the seeded draws go on rather than starting over.
@Suite struct RuleBookTests {
    private let login = TinyCamRequest(method: "GET", target: "/api/v1/login", clientAddress: "a")
    private let poll = TinyCamRequest(method: "GET", target: "/api/v1/get_status", clientAddress: "a")

    private func book() -> RuleBook {
        let book = RuleBook(seed: 7, config: Scenario.defaultConfig)
        book.attach(tokens: TokenStore(clock: ManualClock(), timeToLiveSeconds: 3600, capacity: 100))
        return book
    }

    @Test func pendingFailedLoginsAndLockoutsSurviveARuleChange() throws {
        let book = book()
        book.failNextLogins(2)
        book.lockOut(after: 1, forMilliseconds: 60_000)
        let before = try #require(book.controller)
        #expect(before.decide(login, at: 0).replacement?.status.code == 403)
        let entry = book.add(FaultRule(fault: .status(code: 503, body: nil)), origin: .control)
        #expect(book.controller === before, "the same controller, with new rules")
        let decision = before.decide(login, at: 10)
        #expect(decision.applied.contains { $0.hasPrefix("failLogins") }, "\(decision.applied)")
        #expect(before.decide(poll, at: 20).applied == ["status 503 (control rule 1)"])
        _ = book.remove(id: entry.id)
        #expect(before.decide(poll, at: 30).applied.isEmpty)
        book.reset()
        #expect(book.controller !== before, "a reset starts over")
        #expect(book.controller?.decide(login, at: 40).replacement == nil)
    }

    @Test func seededDrawsContinueAcrossARuleChange() throws {
        let flaky = FaultRule(probability: 0.5, fault: .status(code: 500, body: nil))
        let draws = { (change: Bool) -> [Bool] in
            let book = book()
            book.add(flaky, origin: .control)
            var hits: [Bool] = []
            for index in 0..<40 {
                if change, index == 20 {
                    book.add(
                        FaultRule(
                            match: FaultMatch(path: "/never"),
                            fault: .latency(fixedMilliseconds: 1, jitterMilliseconds: 0)), origin: .control)
                }
                hits.append(book.controller?.decide(poll, at: Int64(index)).replacement != nil)
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
