import Glibc
import NIOCore

/// The one source of time for everything that shows, integrates, waits or paces (frame timestamps
/// and frame pacing, PTZ motion, tokens, status uptime, the scenario timeline, restarts, latency).
///
/// Injected rather than read from the system so tests and scenarios can run on a virtual clock:
/// same scenario + same clock = same bytes. Anything that waits asks the clock (`schedule`, `sleep`)
/// instead of NIO or `Task.sleep`, so a `VirtualClock` can move time itself, as fast as the work allows.
public protocol DecoyClock: Sendable {
    /// Wall-clock time as Unix milliseconds.
    func nowMilliseconds() -> Int64

    /// Runs `work` on `loop` once the clock reads `milliseconds` (at once when that has passed).
    /// Timers due at the same time run in the order they were scheduled.
    func schedule(
        atMilliseconds milliseconds: Int64, on loop: any EventLoop, _ work: @escaping @Sendable () -> Void
    ) -> ClockTimer

    /// Returns once the clock reads `milliseconds`; throws `CancellationError` when the task is
    /// cancelled (or a virtual clock is stopped) first.
    func sleep(untilMilliseconds milliseconds: Int64) async throws

    /// A hold that keeps a virtual clock from moving while its task works (see `ClockHold`);
    /// real clocks cannot be held and hand out an inert one.
    func hold() -> ClockHold
}

extension DecoyClock {
    /// Real time: NIO's timer for the time left on this clock's reading.
    public func schedule(
        atMilliseconds milliseconds: Int64, on loop: any EventLoop, _ work: @escaping @Sendable () -> Void
    ) -> ClockTimer {
        RealTimers.schedule(afterMilliseconds: milliseconds - nowMilliseconds(), on: loop, work)
    }

    /// Real time: `Task.sleep` for the time left on this clock's reading.
    public func sleep(untilMilliseconds milliseconds: Int64) async throws {
        try await RealTimers.sleep(forMilliseconds: milliseconds - nowMilliseconds())
    }

    public func hold() -> ClockHold { .inert }

    /// `schedule(atMilliseconds:)` `milliseconds` from now.
    public func schedule(
        afterMilliseconds milliseconds: Int64, on loop: any EventLoop, _ work: @escaping @Sendable () -> Void
    ) -> ClockTimer {
        schedule(atMilliseconds: nowMilliseconds() + max(0, milliseconds), on: loop, work)
    }

    /// `sleep(untilMilliseconds:)` `milliseconds` from now.
    public func sleep(forMilliseconds milliseconds: Int64) async throws {
        try await sleep(untilMilliseconds: nowMilliseconds() + max(0, milliseconds))
    }
}

/// A scheduled piece of work that can be called off.
public struct ClockTimer: Sendable {
    private let onCancel: @Sendable () -> Void

    public init(cancel: @escaping @Sendable () -> Void) { self.onCancel = cancel }

    /// A timer that was never set (a stopped clock hands these out).
    public static let none = ClockTimer {}

    /// Keeps the work from running if it has not run yet; calling it again does nothing.
    public func cancel() { onCancel() }
}

/// Waiting in real time, for the clocks that follow it.
enum RealTimers {
    static func schedule(
        afterMilliseconds milliseconds: Int64, on loop: any EventLoop, _ work: @escaping @Sendable () -> Void
    ) -> ClockTimer {
        let scheduled = loop.scheduleTask(in: .milliseconds(max(0, milliseconds))) { work() }
        return ClockTimer { scheduled.cancel() }
    }

    static func sleep(forMilliseconds milliseconds: Int64) async throws {
        if milliseconds > 0 {
            try await Task.sleep(for: .milliseconds(milliseconds))
        } else {
            try Task.checkCancellation()
        }
    }
}

/// The host's real-time clock: NIO timers and `Task.sleep` underneath, as before the clock seam.
public struct SystemClock: DecoyClock {
    public init() {}

    public func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
