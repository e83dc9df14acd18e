import NIOConcurrencyHelpers

/// Hands each new journal entry to whoever follows the journal live (the control API's
/// `/events/journal` and the console), each through a bounded buffer of its own.
///
/// Publishing never waits: an entry that finds a follower's buffer full is dropped for that
/// follower alone and counted, so a slow reader can neither grow memory nor slow the requests
/// being journaled; the reader learns how many it missed (`JournalFollower.takeDropped`).
final class JournalFeed: Sendable {
    private struct Followers {
        var next = 0
        var all: [Int: JournalFollower] = [:]
    }

    private let followers = NIOLockedValueBox(Followers())

    func publish(_ entry: JournalEntry) {
        for follower in followers.withLockedValue({ Array($0.all.values) }) { follower.offer(entry) }
    }

    func follow(buffer: Int) -> JournalFollower {
        let (stream, continuation) = AsyncStream.makeStream(
            of: JournalEntry.self, bufferingPolicy: .bufferingOldest(max(1, buffer)))
        let follower = JournalFollower(entries: stream, continuation: continuation)
        let id = followers.withLockedValue { followers in
            followers.next += 1
            followers.all[followers.next] = follower
            return followers.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.followers.withLockedValue { $0.all.removeValue(forKey: id) }
        }
        return follower
    }

    /// How many follow now (a finished follower leaves at once).
    var count: Int { followers.withLockedValue { $0.all.count } }
}

/// One live reader of the journal: new entries in arrival order, at most `buffer` waiting.
public final class JournalFollower: Sendable {
    /// Ends when `stop` is called or the reading task is cancelled.
    public let entries: AsyncStream<JournalEntry>
    private let continuation: AsyncStream<JournalEntry>.Continuation
    private let counts = NIOLockedValueBox((arrived: 0, dropped: 0))

    init(entries: AsyncStream<JournalEntry>, continuation: AsyncStream<JournalEntry>.Continuation) {
        self.entries = entries
        self.continuation = continuation
    }

    func offer(_ entry: JournalEntry) {
        let kept: Bool
        if case .dropped = continuation.yield(entry) { kept = false } else { kept = true }
        counts.withLockedValue { counts in
            counts.arrived += 1
            if !kept { counts.dropped += 1 }
        }
    }

    /// The entries dropped since the last call because the buffer was full (the newest ones are
    /// dropped, so what is read stays in order with a gap the reader can report).
    public func takeDropped() -> Int {
        counts.withLockedValue { counts in
            defer { counts.dropped = 0 }
            return counts.dropped
        }
    }

    /// The entries appended since the last call, kept or dropped: for a reader that only needs to
    /// know whether the journal changed (a buffer of 1 is then enough).
    public func takeArrivals() -> Int {
        counts.withLockedValue { counts in
            defer { counts.arrived = 0 }
            return counts.arrived
        }
    }

    /// Stops following: `entries` ends once what is buffered has been read.
    public func stop() { continuation.finish() }
}
