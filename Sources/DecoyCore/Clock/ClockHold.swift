/// Keeps a `VirtualClock` standing still while a task works between two sleeps, so what the task
/// does after waking happens at the very time it woke (a timeline step at 3 s runs at 3 s, before
/// the frame of 3.033 s is made), whatever the machine's load.
///
/// Take the hold where the task is *started* (time must not move before the task's first sleep),
/// then run the task's body in it:
/// ```swift
/// let hold = clock.hold()
/// Task { await hold.run { try? await clock.sleep(untilMilliseconds: due); act() } }
/// ```
/// While the task sleeps on the clock, the hold is let go; the clock takes it again before the
/// task wakes. `run` lets go when the body returns. Real clocks hand out `inert` holds.
public final class ClockHold: Sendable {
    /// The hold the current task runs in (`run`), read by `VirtualClock.sleep`.
    @TaskLocal static var current: ClockHold?

    /// The clock this holds and its number there; nil for an inert hold.
    let clock: VirtualClock?
    let id: UInt64

    init(clock: VirtualClock?, id: UInt64) {
        self.clock = clock
        self.id = id
    }

    /// A hold that holds nothing (real clocks).
    public static let inert = ClockHold(clock: nil, id: 0)

    /// Runs `body` in this hold (its sleeps let go of it meanwhile) and lets go when it returns.
    public func run<T>(_ body: () async throws -> T) async rethrows -> T {
        defer { release() }
        return try await Self.$current.withValue(self) { try await body() }
    }

    /// Lets go for good (the clock may move on); later calls do nothing.
    public func release() { clock?.release(self) }
}
