import NIOConcurrencyHelpers

/// What `get_status` reports in place of the configured battery and the measured free space, so
/// a scenario can play "the phone's battery is low" or "the storage is full" mid-run. Empty by
/// default: `get_status` then reports `status:` from the config and real readings, as before.
public final class StatusOverrides: Sendable {
    public struct Values: Sendable, Equatable {
        /// 0–100, instead of `status.batteryLevel`.
        public var batteryLevel: Int?
        /// One of `StatusConfig.batteryStatuses`, instead of `status.batteryStatus`.
        public var batteryStatus: String?
        /// `spaceAvailable` reads 0 (recording itself is not stopped).
        public var storageFull = false

        public init(batteryLevel: Int? = nil, batteryStatus: String? = nil, storageFull: Bool = false) {
            self.batteryLevel = batteryLevel
            self.batteryStatus = batteryStatus
            self.storageFull = storageFull
        }
    }

    private let box = NIOLockedValueBox(Values())

    public init() {}

    public var current: Values { box.withLockedValue { $0 } }

    public func update(_ change: (inout Values) -> Void) { box.withLockedValue { change(&$0) } }
}
