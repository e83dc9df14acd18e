import Foundation

/// The run's t = 0 (the moment the listener is bound) and the time since, in milliseconds, on
/// the monotonic clock (wall-clock jumps never move a step or a journal entry).
public final class RunClock: @unchecked Sendable {  // `origin` is only touched under `lock`
    private let lock = NSLock()
    private var origin: ContinuousClock.Instant?

    public init() {}

    /// Sets t = 0 to now; later calls do nothing.
    public func start() {
        lock.withLock { if origin == nil { origin = .now } }
    }

    /// Milliseconds since t = 0; 0 before `start`.
    public func elapsedMilliseconds() -> Int64 {
        guard let origin = lock.withLock({ origin }) else { return 0 }
        let elapsed = ContinuousClock.now - origin
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }

    /// The instant `milliseconds` after t = 0 (now when not started).
    public func instant(atMilliseconds milliseconds: Int64) -> ContinuousClock.Instant {
        (lock.withLock { origin } ?? .now) + .milliseconds(milliseconds)
    }
}
