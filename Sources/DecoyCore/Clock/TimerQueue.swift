import NIOCore

/// A virtual clock's pending timers: a binary heap ordered by due time, ties by the order they were
/// scheduled in (the sequence number), so firing is deterministic. Cancelled entries are removed
/// from the table at once and skipped in the heap when they come up.
struct TimerQueue {
    enum Entry {
        case work(any EventLoop, @Sendable () -> Void)
        /// A sleeping task and the hold it let go of to sleep, if any.
        case sleeper(CheckedContinuation<Void, any Error>, hold: UInt64?)
    }

    private struct Key: Comparable {
        let due: Int64
        let sequence: UInt64

        static func < (lhs: Key, rhs: Key) -> Bool {
            lhs.due != rhs.due ? lhs.due < rhs.due : lhs.sequence < rhs.sequence
        }
    }

    private var heap: [Key] = []
    private var entries: [UInt64: Entry] = [:]
    private var nextSequence: UInt64 = 0

    /// A sequence number for an entry about to be inserted (reserved so it can be cancelled early).
    mutating func reserve() -> UInt64 {
        nextSequence += 1
        return nextSequence
    }

    mutating func insert(_ entry: Entry, due: Int64, sequence: UInt64) {
        entries[sequence] = entry
        heap.append(Key(due: due, sequence: sequence))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Takes an entry out before it is due (cancellation); nil when it fired or was removed already.
    mutating func remove(_ sequence: UInt64) -> Entry? { entries.removeValue(forKey: sequence) }

    /// The earliest live entry, when it is due at or before `limit` (any time when nil).
    mutating func popEarliest(upTo limit: Int64? = nil) -> (due: Int64, entry: Entry)? {
        while let top = heap.first {
            guard entries[top.sequence] != nil else {
                popTop()
                continue
            }
            if let limit, top.due > limit { return nil }
            popTop()
            guard let entry = entries.removeValue(forKey: top.sequence) else { continue }
            return (top.due, entry)
        }
        return nil
    }

    /// Empties the queue, handing back what was in it.
    mutating func removeAll() -> [Entry] {
        let all = Array(entries.values)
        entries.removeAll()
        heap.removeAll()
        return all
    }

    var isEmpty: Bool { entries.isEmpty }

    private mutating func popTop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left] < heap[smallest] { smallest = left }
            if right < heap.count, heap[right] < heap[smallest] { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
