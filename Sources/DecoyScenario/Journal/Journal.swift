import NIOConcurrencyHelpers

/// Everything a run recorded, in memory and bounded: past `capacity` entries the oldest are
/// dropped and counted, so a client hammering Decoy for an hour cannot exhaust memory.
///
/// Appends come from network threads (one per request) and the timeline task; a lock is enough
/// for one short append per request.
public final class Journal: Sendable {
    public let capacity: Int
    private let ring = NIOLockedValueBox(Ring())
    private let feed = JournalFeed()

    private struct Ring {
        var entries: [JournalEntry] = []
        /// Where the oldest entry is once the ring is full.
        var head = 0
        var dropped = 0
    }

    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    public func append(_ entry: JournalEntry) {
        let capacity = self.capacity
        ring.withLockedValue { ring in
            if ring.entries.count < capacity {
                ring.entries.append(entry)
            } else {
                ring.entries[ring.head] = entry
                ring.head = (ring.head + 1) % capacity
                ring.dropped += 1
            }
            feed.publish(entry)
        }
    }

    /// The newest `backlog` entries in arrival order, and a follower of every entry appended from
    /// then on (taken together, so none is missed or seen twice), with room for `buffer` unread
    /// entries before it drops: the control API's `/events/journal`.
    public func follow(backlog: Int, buffer: Int = 1024) -> (backlog: [JournalEntry], follower: JournalFollower) {
        ring.withLockedValue { ring in
            let ordered = ring.entries[ring.head...] + ring.entries[..<ring.head]
            return (Array(ordered.suffix(max(0, backlog))), feed.follow(buffer: buffer))
        }
    }

    /// Forgets every entry and the dropped count, and returns how many entries there were: the
    /// control API's `DELETE /journal` and `POST /reset` start a clean record for the next test
    /// against a long-running sandbox.
    @discardableResult
    public func clear() -> Int {
        ring.withLockedValue { ring in
            let count = ring.entries.count
            ring = Ring()
            return count
        }
    }

    /// The entries kept, ordered by time (then by arrival), and how many older ones were dropped.
    public func snapshot() -> (entries: [JournalEntry], dropped: Int) {
        let (raw, dropped) = ring.withLockedValue { ring in
            (Array(ring.entries[ring.head...] + ring.entries[..<ring.head]), ring.dropped)
        }
        let ordered = raw.enumerated().sorted {
            ($0.element.milliseconds, $0.offset) < ($1.element.milliseconds, $1.offset)
        }
        return (ordered.map(\.element), dropped)
    }
}
