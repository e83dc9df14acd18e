import DecoyServer
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
        var entries: [(entry: JournalEntry, sequence: UInt64)] = []
        /// Where the oldest entry is once the ring is full.
        var head = 0
        var dropped = 0
        /// The last sequence number handed out (`stamp`, or an append without one).
        var sequence: UInt64 = 0
    }

    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    /// A stamp for something happening now, at `milliseconds` of run time: the next sequence
    /// number, so what happened first sorts first among entries of the same millisecond.
    public func stamp(at milliseconds: Int64) -> JournalStamp {
        ring.withLockedValue { ring in
            ring.sequence += 1
            return JournalStamp(milliseconds: milliseconds, sequence: ring.sequence)
        }
    }

    /// Adds `entry`; `sequence` is its stamp's when it was stamped as it happened (an exchange
    /// finished later), else it is placed as happening now.
    public func append(_ entry: JournalEntry, sequence: UInt64? = nil) {
        let capacity = self.capacity
        ring.withLockedValue { ring in
            let order: UInt64
            if let sequence {
                order = sequence
            } else {
                ring.sequence += 1
                order = ring.sequence
            }
            if ring.entries.count < capacity {
                ring.entries.append((entry, order))
            } else {
                ring.entries[ring.head] = (entry, order)
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
            let ordered = (ring.entries[ring.head...] + ring.entries[..<ring.head]).map(\.entry)
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
            ring = Ring(sequence: ring.sequence)
            return count
        }
    }

    /// The entries kept, ordered by time, then by the order they happened in (a request by its
    /// arrival, however long its answer took; a step by its firing), and how many older ones were dropped.
    public func snapshot() -> (entries: [JournalEntry], dropped: Int) {
        let (raw, dropped) = ring.withLockedValue { ring in
            (Array(ring.entries[ring.head...] + ring.entries[..<ring.head]), ring.dropped)
        }
        let ordered = raw.sorted { ($0.entry.milliseconds, $0.sequence) < ($1.entry.milliseconds, $1.sequence) }
        return (ordered.map(\.entry), dropped)
    }
}
