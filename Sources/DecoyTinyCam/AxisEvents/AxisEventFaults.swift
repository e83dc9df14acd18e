import NIOConcurrencyHelpers

/// Faults on every Axis event stream for a window of the server's clock (a scenario's `events`
/// step): the streams stay open but send nothing (`silence`), send each change late (`delay`), or
/// send each change twice (`duplicate`). Every transport's `AxisEventFeed` consults it, so the
/// WebSocket and the RTSP metadata track misbehave alike.
///
/// Faults touch changes only: a subscription's first values (`Initialized`) always go out. After a
/// silence the changes it held back go out as one batch of their newest values.
public final class AxisEventFaults: Sendable {
    public enum Kind: Sendable, Equatable {
        case silence
        case delay(milliseconds: Int64)
        case duplicate
    }

    /// What applies at one instant.
    public struct Plan: Sendable, Equatable {
        public var silent = false
        public var delayMilliseconds: Int64 = 0
        public var duplicate = false

        public static let none = Plan()
    }

    private let windows = NIOLockedValueBox([(kind: Kind, until: Int64)]())

    public init() {}

    /// Adds a fault active until `untilMilliseconds` (server clock).
    public func add(_ kind: Kind, untilMilliseconds: Int64) {
        windows.withLockedValue { $0.append((kind, untilMilliseconds)) }
    }

    /// The faults active at `time`: silence if any, the longest delay, duplication if any.
    public func plan(at time: Int64) -> Plan {
        windows.withLockedValue { windows in
            windows.removeAll { $0.until <= time }
            var plan = Plan()
            for window in windows {
                switch window.kind {
                case .silence: plan.silent = true
                case .delay(let milliseconds): plan.delayMilliseconds = max(plan.delayMilliseconds, milliseconds)
                case .duplicate: plan.duplicate = true
                }
            }
            return plan
        }
    }
}
