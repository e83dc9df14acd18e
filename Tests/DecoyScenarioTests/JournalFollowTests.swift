import Foundation
import Testing

@testable import DecoyScenario

/// Following the journal live (what `/events/journal` reads): a bounded buffer per follower that
/// never makes an append wait, and says how much a slow reader missed.
@Suite struct JournalFollowTests {
    @Test func aFollowerGetsTheBacklogThenEveryNewEntryInArrivalOrder() async {
        let journal = Journal(capacity: 4)
        for label in ["a", "b", "c", "d", "e"] { journal.append(stepFired(0, label)) }
        let (backlog, follower) = journal.follow(backlog: 3)
        #expect(backlog.compactMap(\.step?.label) == ["c", "d", "e"])
        journal.append(stepFired(9, "late"))
        journal.append(stepFired(1, "early"))
        follower.stop()
        var seen: [String] = []
        for await next in follower.entries { seen.append(next.step?.label ?? "?") }
        #expect(seen == ["late", "early"])
        #expect(follower.takeDropped() == 0)
        #expect(follower.takeArrivals() == 2)
        #expect(follower.takeArrivals() == 0)
    }

    @Test func aSlowFollowerDropsTheNewestAndCountsThemWhileAppendsGoOn() async {
        let journal = Journal()
        let (_, slow) = journal.follow(backlog: 0, buffer: 2)
        let (_, fast) = journal.follow(backlog: 0, buffer: 100)
        for number in 1...50 { journal.append(stepFired(0, "e\(number)")) }
        #expect(journal.snapshot().entries.count == 50, "every append went through")
        #expect(slow.takeDropped() == 48)
        #expect(slow.takeDropped() == 0, "counted once")
        #expect(fast.takeDropped() == 0)
        slow.stop()
        fast.stop()
        var kept: [String] = []
        for await next in slow.entries { kept.append(next.step?.label ?? "?") }
        #expect(kept == ["e1", "e2"])
        var all = 0
        for await _ in fast.entries { all += 1 }
        #expect(all == 50)
    }

    @Test func aStoppedFollowerLeavesTheFeed() {
        let feed = JournalFeed()
        let follower = feed.follow(buffer: 4)
        #expect(feed.count == 1)
        follower.stop()
        #expect(feed.count == 0)
        feed.publish(stepFired(0, "nobody"))
    }
}
