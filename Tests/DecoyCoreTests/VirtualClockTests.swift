import DecoyCore
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Records what fired and at which clock time.
private final class Log: Sendable {
    private let entries = NIOLockedValueBox<[String]>([])
    let clock: any DecoyClock
    let start: Int64

    init(_ clock: any DecoyClock) {
        self.clock = clock
        self.start = clock.nowMilliseconds()
    }

    func note(_ label: String) {
        let at = clock.nowMilliseconds() - start
        entries.withLockedValue { $0.append("\(label)@\(at)") }
    }

    var all: [String] { entries.withLockedValue { $0 } }
}

@Suite("VirtualClock")
struct VirtualClockTests {
    @Test("fast: timers fire in time order, ties in the order they were set, each at its own time")
    func order() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = VirtualClock(pace: .fast)
            let log = Log(clock)
            let hold = clock.hold()
            for (label, at) in [("c", 30), ("a", 10), ("b", 20), ("a2", 10)] {
                _ = clock.schedule(atMilliseconds: log.start + Int64(at), on: loop) { log.note(label) }
            }
            #expect(log.all.isEmpty)  // held: time stands still
            try await hold.run { try await clock.sleep(untilMilliseconds: log.start + 100) }
            #expect(log.all == ["a@10", "a2@10", "b@20", "c@30"])
            #expect(clock.nowMilliseconds() == log.start + 100)
        }
    }

    @Test("fast: a cancelled timer never fires, the others still do")
    func cancellation() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = VirtualClock(pace: .fast)
            let log = Log(clock)
            let hold = clock.hold()
            let cancelled = clock.schedule(atMilliseconds: log.start + 10, on: loop) { log.note("cancelled") }
            _ = clock.schedule(atMilliseconds: log.start + 20, on: loop) { log.note("kept") }
            cancelled.cancel()
            cancelled.cancel()  // twice is harmless
            try await hold.run { try await clock.sleep(untilMilliseconds: log.start + 50) }
            #expect(log.all == ["kept@20"])
        }
    }

    @Test("fast: a sleep jumps straight to its time; a cancelled sleep throws and does not move time")
    func sleep() async throws {
        let clock = VirtualClock(startMilliseconds: 5_000, pace: .fast)
        try await clock.sleep(untilMilliseconds: 65_000)
        #expect(clock.nowMilliseconds() == 65_000)
        try await clock.sleep(untilMilliseconds: 1_000)  // the past: returns at once
        #expect(clock.nowMilliseconds() == 65_000)

        let hold = clock.hold()  // nothing else moves time while the sleeper is cancelled
        let sleeper = Task { try await clock.sleep(untilMilliseconds: 999_000) }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        hold.release()
        #expect(clock.nowMilliseconds() == 65_000)
        #expect(!clock.hasPendingTimers)
    }

    @Test("fast: work that schedules its next run keeps pace with virtual time, as fast as it runs")
    func fastAdvance() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = VirtualClock(pace: .fast)
            let log = Log(clock)
            let ticks = NIOLockedValueBox(0)
            @Sendable func tick(_ at: Int64) {
                _ = clock.schedule(atMilliseconds: at, on: loop) {
                    ticks.withLockedValue { $0 += 1 }
                    tick(at + 10)
                }
            }
            let hold = clock.hold()
            tick(log.start + 10)
            // A minute of 10 ms ticks: the sleeper (set before the tick due with it) wakes first, and
            // time stands still while it looks (the ticks never end: letting go would move it on).
            let (count, now) = try await hold.run {
                try await clock.sleep(untilMilliseconds: log.start + 60_000)
                defer { clock.stop() }
                return (ticks.withLockedValue { $0 }, clock.nowMilliseconds())
            }
            #expect(count == 5_999)
            #expect(now == log.start + 60_000)
        }
    }

    @Test("a hold keeps time still after its task wakes until it sleeps again or lets go")
    func holdAfterWaking() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = VirtualClock(pace: .fast)
            let log = Log(clock)
            let hold = clock.hold()
            _ = clock.schedule(atMilliseconds: log.start + 10, on: loop) { log.note("timer") }
            try await hold.run {
                try await clock.sleep(untilMilliseconds: log.start + 10)  // due with the timer, set later
                log.note("woke")
                // Still 10 ms however long this takes: the timer set before waits for the hold too.
                try await loop.submit {}.get()
                log.note("worked")
            }
            try await clock.sleep(untilMilliseconds: log.start + 20)
            #expect(log.all == ["timer@10", "woke@10", "worked@10"])
        }
    }

    @Test("a stopped clock wakes its sleepers with CancellationError and sets no more timers")
    func stop() async throws {
        try await withEventLoopGroup { group in
            let clock = VirtualClock(pace: .fast)
            let hold = clock.hold()
            let sleeper = Task { try await clock.sleep(untilMilliseconds: clock.nowMilliseconds() + 1_000) }
            while !clock.hasPendingTimers { await Task.yield() }
            clock.stop()
            await #expect(throws: CancellationError.self) { try await sleeper.value }
            let fired = NIOLockedValueBox(false)
            _ = clock.schedule(afterMilliseconds: 0, on: group.next()) { fired.withLockedValue { $0 = true } }
            hold.release()
            try await group.next().submit {}.get()
            #expect(!fired.withLockedValue { $0 })
            #expect(!clock.hasPendingTimers)
        }
    }

    @Test("manual: advance fires what falls due on the way, each at its time, and nothing later")
    func manualAdvance() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 1_000, timers: .onAdvance)
            let log = Log(clock)
            for at in [30, 10, 20] {
                _ = clock.schedule(atMilliseconds: 1_000 + Int64(at), on: loop) { log.note("t\(at)") }
            }
            clock.advance(by: 25)
            #expect(log.all == ["t10@10", "t20@20"])
            #expect(clock.nowMilliseconds() == 1_025)
            clock.advance(by: 5)
            #expect(log.all == ["t10@10", "t20@20", "t30@30"])
        }
    }

    @Test("real speed: starts at the fixed start and runs forward from it")
    func realSpeed() async throws {
        let clock = VirtualClock(startMilliseconds: 42_000, pace: .realSpeed)
        let first = clock.nowMilliseconds()
        #expect(first >= 42_000 && first < 42_000 + 60_000)
        try await clock.sleep(forMilliseconds: 5)
        #expect(clock.nowMilliseconds() >= first + 5)
    }
}
