import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one source of "now" for everything that shows or integrates time (frame timestamps,
/// PTZ motion, tokens, status uptime).
///
/// Injected rather than read from the system so tests and scenarios can run on a virtual
/// clock: same scenario + same clock = same bytes.
public protocol DecoyClock: Sendable {
    /// Wall-clock time as Unix milliseconds.
    func nowMilliseconds() -> Int64
}

/// The host's real-time clock.
public struct SystemClock: DecoyClock {
    public init() {}

    public func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// A clock that only moves when told to: for deterministic tests and faster-than-real-time runs.
public final class ManualClock: DecoyClock {
    private let now: NIOLockedValueBox<Int64>

    public init(startMilliseconds: Int64 = 1_601_381_164_000) {
        self.now = NIOLockedValueBox(startMilliseconds)
    }

    public func nowMilliseconds() -> Int64 { now.withLockedValue { $0 } }

    /// Moves the clock forward by `milliseconds`.
    public func advance(by milliseconds: Int64) {
        now.withLockedValue { $0 += milliseconds }
    }
}
