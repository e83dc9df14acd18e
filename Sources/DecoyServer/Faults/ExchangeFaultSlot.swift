import NIOConcurrencyHelpers

/// Where the fault layer, deep in the responder chain, leaves the `ExchangeFaults` of the request
/// being answered for the transport to apply. The transport binds one to the task that answers a
/// request (only when `TransportFaults` are on), so one decision, with one documented draw order,
/// covers request-, byte- and frame-level faults alike.
public final class ExchangeFaultSlot: Sendable {
    private let box = NIOLockedValueBox<ExchangeFaults?>(nil)

    public init() {}

    /// The slot of the request the current task answers; nil when the transport applies no faults.
    @TaskLocal public static var current: ExchangeFaultSlot?

    /// What the wire should do to this answer.
    public var faults: ExchangeFaults? {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }
}
