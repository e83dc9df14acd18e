import DecoyCore
import Foundation
import NIOConcurrencyHelpers

/// The run's t = 0 (the moment the listener is bound) and the time since, in milliseconds, read
/// from the run's `DecoyClock`: journal times, step times and rule windows are all this clock's.
///
/// On the real clock (`SystemClock`, the default) elapsed time is measured on the monotonic clock,
/// so wall-clock steps never move a step or a journal entry; on any other clock (a `VirtualClock`)
/// it is that clock's reading, so a virtual run journals virtual times.
public final class RunClock: Sendable {
    /// The clock Decoy runs on (frames, tokens, timers); what `sleep` waits on.
    public let base: any DecoyClock
    private let monotonic: Bool
    private let origin = NIOLockedValueBox<Origin?>(nil)

    private enum Origin {
        case monotonic(ContinuousClock.Instant)
        case clock(Int64)
    }

    public init(clock: any DecoyClock = SystemClock()) {
        self.base = clock
        self.monotonic = clock is SystemClock
    }

    /// Sets t = 0 to now; later calls do nothing.
    public func start() {
        let (monotonic, base) = (self.monotonic, self.base)
        origin.withLockedValue { origin in
            if origin == nil { origin = monotonic ? .monotonic(.now) : .clock(base.nowMilliseconds()) }
        }
    }

    /// Milliseconds since t = 0; 0 before `start`.
    public func elapsedMilliseconds() -> Int64 {
        switch origin.withLockedValue({ $0 }) {
        case nil:
            return 0
        case .monotonic(let origin):
            let elapsed = ContinuousClock.now - origin
            return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        case .clock(let origin):
            return base.nowMilliseconds() - origin
        }
    }

    /// Returns when `milliseconds` have passed since t = 0 (counted from now when not started);
    /// throws when the task is cancelled first. Inside a `ClockHold` of a virtual clock, time
    /// stands still again once it returns.
    public func sleep(untilElapsedMilliseconds milliseconds: Int64) async throws {
        switch origin.withLockedValue({ $0 }) {
        case .monotonic(let origin):
            try await Task.sleep(until: origin + .milliseconds(milliseconds), clock: .continuous)
        case .clock(let origin):
            try await base.sleep(untilMilliseconds: origin + milliseconds)
        case nil:
            try await base.sleep(forMilliseconds: milliseconds)
        }
    }
}
