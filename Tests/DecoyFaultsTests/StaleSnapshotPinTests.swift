import DecoyCore
import NIOCore
import Testing

@testable import DecoyFaults

/// The pictures `staleFrames` serves again stay bounded and last only while such a rule does.
@Suite struct StaleSnapshotPinTests {
    private func picture(_ byte: UInt8) -> ByteBuffer { ByteBuffer(bytes: [byte]) }

    @Test func aClientAskingForEverNewSizesCannotGrowThePins() {
        var state = FaultState(seed: 1, rules: [FaultRule(fault: .media(.staleFrames))])
        for index in 0..<1000 { _ = state.pinSnapshot(picture(UInt8(index % 256)), key: "size \(index)") }
        #expect(state.pinnedSnapshots.count == PinnedSnapshots.limit)
        #expect(state.pinSnapshot(picture(7), key: "size 999") == picture(UInt8(999 % 256)), "the newest stays pinned")
        #expect(state.pinSnapshot(picture(7), key: "size 0") == picture(7), "the oldest was dropped")
    }

    @Test func theNextStaleWindowStartsFromAFreshPicture() {
        let window = FaultRule(fromMilliseconds: 0, untilMilliseconds: 1_000, fault: .media(.staleFrames))
        let later = FaultRule(fromMilliseconds: 5_000, untilMilliseconds: 6_000, fault: .media(.staleFrames))
        let faults = FaultLayer(seed: 1, rules: [window, later])
        let snapshot = { (now: Int64) in FaultDecisionTests.facts("/axis-cgi/jpg/image.cgi", at: now) }
        _ = faults.decide(snapshot(10))
        #expect(faults.pinSnapshot(picture(1), key: "k") == picture(1))
        _ = faults.decide(snapshot(20))
        #expect(faults.pinSnapshot(picture(2), key: "k") == picture(1), "stale within the window")
        _ = faults.decide(snapshot(2_000))
        _ = faults.decide(snapshot(5_010))
        #expect(faults.pinSnapshot(picture(3), key: "k") == picture(3), "not the first window's picture")
    }

    @Test func removingTheRuleDropsItsPins() throws {
        let faults = FaultLayer(seed: 1)
        let entry = faults.add(FaultRule(fault: .media(.staleFrames)), origin: .control)
        _ = faults.decide(FaultDecisionTests.facts("/x"))
        _ = faults.pinSnapshot(picture(1), key: "k")
        _ = faults.remove(id: try #require(entry.id))
        _ = faults.decide(FaultDecisionTests.facts("/x"))
        faults.add(FaultRule(fault: .media(.staleFrames)), origin: .control)
        _ = faults.decide(FaultDecisionTests.facts("/x"))
        #expect(faults.pinSnapshot(picture(2), key: "k") == picture(2))
    }
}
