import NIOConcurrencyHelpers

/// A bounded in-memory log (at most the newest `capacity` lines; the oldest tenth is dropped when full), served as text by the admin log CGIs.
///
/// Bounded so a long run or a flood of requests cannot grow memory.
public final class LogRing: Sendable {
    public let capacity: Int
    private let lines: NIOLockedValueBox<[String]>

    public init(capacity: Int = 5000) {
        self.capacity = capacity
        self.lines = NIOLockedValueBox([])
        self.lines.withLockedValue { $0.reserveCapacity(min(capacity, 1024)) }
    }

    public func append(_ line: String) {
        lines.withLockedValue { lines in
            if lines.count >= capacity { lines.removeFirst(lines.count - capacity + 1 + capacity / 10) }
            lines.append(line)
        }
    }

    /// All lines, oldest first, each ending in a newline.
    public var text: String {
        lines.withLockedValue { $0.isEmpty ? "" : $0.joined(separator: "\n") + "\n" }
    }

    public var count: Int { lines.withLockedValue { $0.count } }

    public func clear() { lines.withLockedValue { $0.removeAll() } }
}

/// Decoy's own logs, as the admin pages of tinyCam expose the app's: the application log, the
/// access log (one line per request), the audit log (state changes such as logins, settings
/// and restarts, which `eventlog.cgi` serves) and the lifecycle log (the web server's starts,
/// stops and restarts). "Event" in Decoy's code means a camera event (motion, person, …) only.
public struct ServerLogs: Sendable {
    public let app = LogRing()
    public let access = LogRing()
    public let audit = LogRing()
    public let lifecycle = LogRing(capacity: 1000)

    public init() {}
}
