import Foundation

/// Small file helpers for configuration and state files (never on a hot path).
enum FileText {
    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The local time zone of the configured `storage.timeZone` (the host's when absent): the
/// picture's clock and recording names use it, as tinyCam uses the phone's.
public struct LocalTimeZone: Sendable {
    private let zone: TimeZone

    public init(identifier: String?) {
        self.zone = identifier.flatMap(TimeZone.init(identifier:)) ?? TimeZone.current
    }

    public static func isKnown(_ identifier: String) -> Bool { TimeZone(identifier: identifier) != nil }

    /// Seconds east of UTC at `milliseconds`.
    public func utcOffsetSeconds(atMilliseconds milliseconds: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
