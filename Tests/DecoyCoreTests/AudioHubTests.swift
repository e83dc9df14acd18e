import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// A marker source that counts how often it is made and started.
private final class CountingAudioSource: AudioSource {
    let inner = SignalAudioSource(MarkerSignal(sampleRate: 8000, frequency: 440, levelDBFS: -20))
    let starts: NIOLockedValueBox<Int>

    init(starts: NIOLockedValueBox<Int>) { self.starts = starts }

    var sampleRate: Int { inner.sampleRate }
    func start() throws { starts.withLockedValue { $0 += 1 } }
    func stop() {}
    func read(into samples: inout [Int16], at position: Int64) { inner.read(into: &samples, at: position) }
}

private func makeHub(
    loop: any EventLoop, clock: any DecoyClock = ManualClock(), queueBlocks: Int = 50, overflowBlocks: Int = 100,
    made: NIOLockedValueBox<Int> = NIOLockedValueBox(0), starts: NIOLockedValueBox<Int> = NIOLockedValueBox(0)
) -> AudioHub {
    AudioHub(
        sampleRate: 8000, mediaLoop: loop, clock: clock, queueBlocks: queueBlocks, overflowBlocks: overflowBlocks
    ) {
        made.withLockedValue { $0 += 1 }
        return CountingAudioSource(starts: starts)
    }
}

private func block(_ sequence: UInt64) -> AudioBlock {
    AudioBlock(sequence: sequence, position: Int64(sequence) * 160, pcm: ByteBuffer(repeating: 1, count: 320))
}

/// Takes every queued block until `count` have arrived (bounded by `eventually`'s deadline).
private func collect(_ subscription: AudioSubscription, count: Int) async -> [AudioBlock] {
    var blocks: [AudioBlock] = []
    _ = await eventually {
        blocks += subscription.takeAll()
        return blocks.count >= count
    }
    return blocks
}

@Suite("AudioHub")
struct AudioHubTests {
    @Test("with no listener no source is made and no block produced")
    func idle() async throws {
        try await withEventLoopGroup { group in
            let made = NIOLockedValueBox(0)
            let hub = makeHub(loop: group.next(), made: made)
            try await Task.sleep(for: .milliseconds(200))
            let counts = try await hub.mediaLoop.submit { hub.counts }.get()
            #expect(counts.blocksProduced == 0)
            #expect(!counts.running)
            #expect(made.withLockedValue { $0 } == 0)
        }
    }

    @Test("the hub stops when its last listener leaves")
    func stopsWhenEmpty() async throws {
        try await withEventLoopGroup { group in
            let starts = NIOLockedValueBox(0)
            let hub = makeHub(loop: group.next(), starts: starts)
            let subscription = hub.subscribe(onAvailable: {}, onClosed: {})
            #expect(await collect(subscription, count: 3).count >= 3)
            hub.unsubscribe(subscription)
            #expect(await eventually { !hub.counts.running })
            let stopped = try await hub.mediaLoop.submit { hub.counts.blocksProduced }.get()
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await hub.mediaLoop.submit { hub.counts.blocksProduced }.get() == stopped)
            #expect(starts.withLockedValue { $0 } == 1)
            #expect(hub.counts.listeners == 0)
        }
    }

    @Test("every listener gets the same blocks, sharing one buffer")
    func fanOut() async throws {
        try await withEventLoopGroup { group in
            let hub = makeHub(loop: group.next())
            let first = hub.subscribe(onAvailable: {}, onClosed: {})
            let second = hub.subscribe(onAvailable: {}, onClosed: {})
            let a = await collect(first, count: 5)
            let b = await collect(second, count: 5)
            hub.shutdown()
            let common = Set(a.map(\.sequence)).intersection(b.map(\.sequence))
            #expect(common.count >= 3)
            for sequence in common {
                let (x, y) = (a.first { $0.sequence == sequence }!, b.first { $0.sequence == sequence }!)
                #expect(x.pcm == y.pcm)
                #expect(storageAddress(x.pcm) == storageAddress(y.pcm))
                #expect(x.position == y.position)
            }
        }
    }

    @Test("blocks are contiguous, start at the clock's sample position and carry the source's samples")
    func positions() async throws {
        try await withEventLoopGroup { group in
            let clock = ManualClock(startMilliseconds: 1_601_381_164_250)
            let hub = makeHub(loop: group.next(), clock: clock)
            let subscription = hub.subscribe(onAvailable: {}, onClosed: {})
            let blocks = await collect(subscription, count: 4)
            hub.shutdown()
            let first = try #require(blocks.first)
            #expect(first.position == Int64(1_601_381_164_250) * 8, "\(first.position)")
            #expect(first.sequence == 1)
            for (earlier, later) in zip(blocks, blocks.dropFirst()) {
                #expect(later.sequence == earlier.sequence + 1)
                #expect(later.position == earlier.position + 160)
            }
            let signal = MarkerSignal(sampleRate: 8000, frequency: 440, levelDBFS: -20)
            for block in blocks {
                var pcm = block.pcm
                let samples = (0..<160).compactMap { _ in pcm.readInteger(endianness: .little, as: Int16.self) }
                #expect(samples == signal.samples(160, startingAt: block.position))
            }
        }
    }

    @Test("a listener's queue is bounded: a full queue drops and counts, reading makes room")
    func boundedQueue() {
        let subscription = AudioSubscription(capacity: 3, overflowLimit: 4)
        #expect(subscription.offer(block(1)) == .queued(wasEmpty: true))
        #expect(subscription.offer(block(2)) == .queued(wasEmpty: false))
        #expect(subscription.offer(block(3)) == .queued(wasEmpty: false))
        #expect(subscription.offer(block(4)) == .dropped)
        #expect(subscription.counts == .init(queued: 3, taken: 0, dropped: 1, closed: false))
        #expect(subscription.next()?.sequence == 1)
        #expect(subscription.offer(block(5)) == .queued(wasEmpty: false))
        #expect(subscription.takeAll().map(\.sequence) == [2, 3, 5])
        #expect(subscription.next() == nil)
        #expect(subscription.offer(block(6)) == .queued(wasEmpty: true))
        #expect(subscription.counts == .init(queued: 1, taken: 4, dropped: 1, closed: false))
    }

    @Test("a listener that stops reading is closed after the overflow limit; reading resets the count")
    func overflowCloses() {
        let subscription = AudioSubscription(capacity: 2, overflowLimit: 3)
        for sequence in 1...2 { _ = subscription.offer(block(UInt64(sequence))) }
        #expect(subscription.offer(block(3)) == .dropped)
        #expect(subscription.offer(block(4)) == .dropped)
        _ = subscription.next()
        #expect(subscription.offer(block(5)) == .queued(wasEmpty: false))
        #expect(subscription.offer(block(6)) == .dropped)
        #expect(subscription.offer(block(7)) == .dropped)
        #expect(subscription.offer(block(8)) == .closed)
        #expect(subscription.offer(block(9)) == .closed)
        #expect(subscription.counts.closed)
        #expect(subscription.counts.dropped == 5)
    }

    @Test("the hub closes a listener that stops reading while another keeps receiving")
    func stalledListenerDropped() async throws {
        try await withEventLoopGroup { group in
            let hub = makeHub(loop: group.next(), queueBlocks: 10, overflowBlocks: 5)
            let closed = NIOLockedValueBox(0)
            let stalled = hub.subscribe(onAvailable: {}, onClosed: { closed.withLockedValue { $0 += 1 } })
            // The reader drains on the hub's own loop as blocks arrive, so however loaded the machine
            // (tests share the concurrency pool) it always keeps up; only the stalled one falls behind.
            let readerBox = NIOLockedValueBox<AudioSubscription?>(nil)
            let received = NIOLockedValueBox(0)
            let reader = hub.subscribe(
                onAvailable: {
                    guard let reader = readerBox.withLockedValue({ $0 }) else { return }
                    let count = reader.takeAll().count
                    received.withLockedValue { $0 += count }
                }, onClosed: { closed.withLockedValue { $0 += 100 } })
            readerBox.withLockedValue { $0 = reader }
            #expect(await eventually { closed.withLockedValue { $0 } >= 1 })
            let before = received.withLockedValue { $0 }
            #expect(await eventually { received.withLockedValue { $0 } >= before + 3 }, "the reader keeps receiving")
            let readerCounts = reader.counts
            hub.shutdown()
            #expect(closed.withLockedValue { $0 } == 1, "only the stalled listener is closed")
            #expect(stalled.counts.closed)
            #expect(stalled.counts.dropped == 5)
            #expect(!readerCounts.closed)
            #expect(hub.counts.listenersClosed == 1)
            #expect(hub.counts.blocksDropped >= 5)
        }
    }

    @Test("a listener is woken when a block lands in its empty queue")
    func wakesListener() async throws {
        try await withEventLoopGroup { group in
            // Large queues: on a loaded machine the listener must not be closed for reading late.
            let hub = makeHub(loop: group.next(), queueBlocks: 1000, overflowBlocks: 1000)
            let wakes = NIOLockedValueBox(0)
            let subscription = hub.subscribe(onAvailable: { wakes.withLockedValue { $0 += 1 } }, onClosed: {})
            #expect(await eventually { wakes.withLockedValue { $0 } >= 1 })
            #expect(await eventually { !subscription.takeAll().isEmpty })
            // The queue is empty now: the next block wakes the listener again.
            #expect(await eventually { wakes.withLockedValue { $0 } >= 2 })
            hub.shutdown()
        }
    }
}
