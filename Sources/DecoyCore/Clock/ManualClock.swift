import NIOCore

/// A clock that only moves when told to, for tests.
///
/// `timers` says what its timers and sleeps follow: `.realTime` (the default, for tests that want a
/// fixed picture time while streams keep flowing) waits in real time; `.onAdvance` fires them only
/// when `advance(by:)` passes their time, so frames are made only when the test moves the clock.
public final class ManualClock: DecoyClock {
    public enum Timers: Sendable {
        case realTime
        case onAdvance
    }

    public let timers: Timers
    private let timeline: VirtualClock

    public init(startMilliseconds: Int64 = VirtualClock.defaultStartMilliseconds, timers: Timers = .realTime) {
        self.timers = timers
        self.timeline = VirtualClock(startMilliseconds: startMilliseconds, pace: .manual)
    }

    public func nowMilliseconds() -> Int64 { timeline.nowMilliseconds() }

    /// Moves the clock forward by `milliseconds`; with `.onAdvance`, fires the timers that fall due
    /// on the way, each at its own time (see `VirtualClock.advance(by:)`).
    public func advance(by milliseconds: Int64) {
        timeline.advance(by: milliseconds)
    }

    public func schedule(
        atMilliseconds milliseconds: Int64, on loop: any EventLoop, _ work: @escaping @Sendable () -> Void
    ) -> ClockTimer {
        switch timers {
        case .realTime: RealTimers.schedule(afterMilliseconds: milliseconds - nowMilliseconds(), on: loop, work)
        case .onAdvance: timeline.schedule(atMilliseconds: milliseconds, on: loop, work)
        }
    }

    public func sleep(untilMilliseconds milliseconds: Int64) async throws {
        switch timers {
        case .realTime: try await RealTimers.sleep(forMilliseconds: milliseconds - nowMilliseconds())
        case .onAdvance: try await timeline.sleep(untilMilliseconds: milliseconds)
        }
    }
}
