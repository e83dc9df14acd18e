import NIOConcurrencyHelpers

/// The app-wide switches of `param.cgi?action=update`, read back by `get_status`.
public struct AppSettings: Sendable, Equatable {
    /// `root.StreamProfile` values, reported in `get_status` as 0, 1, 2.
    public enum StreamProfile: String, Sendable, CaseIterable {
        case main, sub, auto

        public var statusValue: Int {
            switch self {
            case .main: 0
            case .sub: 1
            case .auto: 2
            }
        }
    }

    public var backgroundMode = true
    public var streamProfile = StreamProfile.main
    public var notifications = true
    public var powerSafeMode = false
    /// The tag of the last `root.Notifications` change that named one (tinyCam forwards it to tagged cameras).
    public var notificationsTag: String?

    public init() {}
}

/// Thread-safe holder of `AppSettings`.
public final class RuntimeSettings: Sendable {
    private let box = NIOLockedValueBox(AppSettings())

    public init() {}

    public var current: AppSettings { box.withLockedValue { $0 } }

    public func update(_ change: (inout AppSettings) -> Void) { box.withLockedValue { change(&$0) } }
}
