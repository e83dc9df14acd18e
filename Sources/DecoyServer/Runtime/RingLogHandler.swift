import DecoyCore
import Logging

/// A swift-log handler that copies log lines into a `LogRing`, so `applog.cgi` shows Decoy's own
/// application log just as tinyCam's admin page shows the app's.
public struct RingLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let ring: LogRing
    private let clock: any DecoyClock

    public init(label: String, ring: LogRing, level: Logger.Level, clock: any DecoyClock = SystemClock()) {
        self.label = label
        self.ring = ring
        self.logLevel = level
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        ring.append("\(CivilTime.logTimestamp(clock.nowMilliseconds())) \(event.level) \(label): \(event.message)")
    }
}
