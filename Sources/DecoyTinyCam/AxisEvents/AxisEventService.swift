import DecoyCore
import NIOConcurrencyHelpers

/// The Axis profile's events, once per server: the catalog of properties, the WebSocket session
/// tokens, and the count of open event streams (bounded, so a subscription storm cannot exhaust
/// the server).
public final class AxisEventService: Sendable {
    public let catalog: AxisEventCatalog
    public let sessions: WebSocketSessionTokens
    public let clock: any DecoyClock
    /// Faults every event stream applies (a scenario's `events` step).
    public let faults = AxisEventFaults()
    /// The producer id of this device's notifications (RTSP metadata).
    public let producer: String
    /// At most this many event streams open at once; more are refused with 503.
    public static let maximumStreams = 32
    private let open = NIOLockedValueBox(0)

    public init(cameras: CameraRegistry, clock: any DecoyClock, deviceID: String) {
        self.catalog = AxisEventCatalog(cameras: cameras)
        self.sessions = WebSocketSessionTokens(clock: clock)
        self.clock = clock
        self.producer = AxisMetadataXML.producerUUID(deviceID: deviceID)
    }

    /// A place for one more stream, or nil when `maximumStreams` are open. The place is given
    /// back when the lease is released or dropped.
    public func lease() -> StreamLease? {
        let granted = open.withLockedValue { count in
            guard count < Self.maximumStreams else { return false }
            count += 1
            return true
        }
        guard granted else { return nil }
        return StreamLease { [open] in open.withLockedValue { $0 -= 1 } }
    }

    /// Event streams open now.
    public var openStreams: Int { open.withLockedValue { $0 } }
}

/// One open event stream's place in `AxisEventService`'s bound; given back once, when released
/// or when the last reference goes.
public final class StreamLease: Sendable {
    private let giveBack: NIOLockedValueBox<(@Sendable () -> Void)?>

    init(_ giveBack: @escaping @Sendable () -> Void) { self.giveBack = NIOLockedValueBox(giveBack) }

    public func release() {
        let work = giveBack.withLockedValue { work in
            defer { work = nil }
            return work
        }
        work?()
    }

    deinit { release() }
}
