import NIOConcurrencyHelpers
import NIOCore

/// One block of PCM the hub produced: the same buffer (shared storage, never copied) goes to
/// every listener.
public struct AudioBlock: Sendable {
    /// 1, 2, 3… per hub run: a gap tells a listener that blocks were dropped.
    public let sequence: UInt64
    /// The first sample's index (samples since the Unix epoch on the camera clock).
    public let position: Int64
    /// Mono signed 16-bit little-endian samples.
    public let pcm: ByteBuffer

    public init(sequence: UInt64, position: Int64, pcm: ByteBuffer) {
        self.sequence = sequence
        self.position = position
        self.pcm = pcm
    }
}

/// What happened to a block offered to a listener.
public enum AudioOffer: Sendable, Equatable {
    /// Queued; `wasEmpty` says the listener must be woken up to take it.
    case queued(wasEmpty: Bool)
    /// The queue was full: the block was dropped and counted.
    case dropped
    /// The queue has been full for `overflowLimit` blocks in a row: the listener stopped reading
    /// and is closed (this block was dropped too).
    case closed
}

/// A listener's bounded queue of audio blocks.
///
/// Audio is not video: a listener must get every sample in order, so blocks queue, unlike frames
/// where the newest wins. The queue is bounded (`capacity` blocks) so a slow listener's memory and
/// lag stay bounded: when it is full new blocks are dropped and counted, and a listener whose queue
/// stays full for `overflowLimit` blocks in a row (it stopped reading) is closed, without any
/// effect on the other listeners of the camera.
public final class AudioSubscription: Sendable {
    public let capacity: Int
    public let overflowLimit: Int
    private let state: NIOLockedValueBox<State>

    private struct State {
        var queue: [AudioBlock] = []
        var head = 0
        var taken = 0
        var dropped = 0
        var droppedInARow = 0
        var closed = false

        var count: Int { queue.count - head }
    }

    /// What a listener got and lost so far.
    public struct Counts: Sendable, Equatable {
        public var queued: Int
        public var taken: Int
        public var dropped: Int
        public var closed: Bool

        public init(queued: Int, taken: Int, dropped: Int, closed: Bool) {
            self.queued = queued
            self.taken = taken
            self.dropped = dropped
            self.closed = closed
        }
    }

    public init(capacity: Int, overflowLimit: Int) {
        self.capacity = max(1, capacity)
        self.overflowLimit = max(1, overflowLimit)
        self.state = NIOLockedValueBox(State())
    }

    public var counts: Counts {
        state.withLockedValue { Counts(queued: $0.count, taken: $0.taken, dropped: $0.dropped, closed: $0.closed) }
    }

    /// Producer side: queues `block` when there is room.
    public func offer(_ block: AudioBlock) -> AudioOffer {
        state.withLockedValue { state in
            if state.closed { return .closed }
            guard state.count < capacity else {
                state.dropped += 1
                state.droppedInARow += 1
                if state.droppedInARow >= overflowLimit { state.closed = true }
                return state.closed ? .closed : .dropped
            }
            let wasEmpty = state.count == 0
            state.droppedInARow = 0
            if state.head > capacity {
                state.queue.removeFirst(state.head)
                state.head = 0
            }
            state.queue.append(block)
            return .queued(wasEmpty: wasEmpty)
        }
    }

    /// Listener side: the oldest queued block, if any.
    public func next() -> AudioBlock? {
        state.withLockedValue { state in
            guard state.count > 0 else { return nil }
            let block = state.queue[state.head]
            state.head += 1
            state.taken += 1
            state.droppedInARow = 0
            return block
        }
    }

    /// Listener side: every queued block, oldest first.
    public func takeAll() -> [AudioBlock] {
        state.withLockedValue { state in
            let blocks = Array(state.queue[state.head...])
            state.queue.removeAll(keepingCapacity: true)
            state.head = 0
            state.taken += blocks.count
            if !blocks.isEmpty { state.droppedInARow = 0 }
            return blocks
        }
    }

    /// No more blocks will be queued (the listener left or the hub shut down).
    public func close() { state.withLockedValue { $0.closed = true } }
}
