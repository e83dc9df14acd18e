import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore

/// A camera's sound pipeline: one producer that pulls PCM from the camera's `AudioSource` in fixed
/// blocks (20 ms) while anyone listens, and hands each block, shared, to every listener's bounded
/// queue (`AudioSubscription`). Lives beside `FrameHub` rather than inside it because audio has the
/// opposite delivery rule: every sample in order with a bounded backlog, not newest-frame-wins.
///
/// Pacing and sample positions both come from the injected `DecoyClock` (its timers on `mediaLoop`),
/// so the marker's beeps sit on the clock's whole seconds and a virtual clock drives the sound too.
/// With no listener the hub is idle: no source, no timer, no work.
public final class AudioHub: Sendable {
    /// Samples per block = rate / 50: small enough for low latency, large enough to be cheap.
    public static let blocksPerSecond = 50
    public static let blockInterval = TimeAmount.milliseconds(1000 / Int64(blocksPerSecond))
    /// The hub resynchronises with the clock when it drifts further than this (a clock jump, a
    /// loop that stalled): samples then skip, which is better than lagging for ever.
    public static let maximumDriftSeconds = 1

    public let sampleRate: Int
    public let samplesPerBlock: Int
    public let mediaLoop: any EventLoop
    /// Per listener: blocks queued at most (default 1 s of sound).
    public let queueBlocks: Int
    /// Per listener: blocks dropped in a row before it is closed (default 2 s of sound).
    public let overflowBlocks: Int
    private let clock: any DecoyClock
    private let makeSource: @Sendable () -> any AudioSource
    private let media: NIOLoopBoundBox<AudioMediaState?>
    private let listeners = NIOLockedValueBox([ObjectIdentifier: Listener]())
    private let counters = NIOLockedValueBox(AudioHubCounters())
    private let probe = NIOLockedValueBox<(@Sendable () -> AudioDeviceHealth)?>(nil)

    private struct Listener {
        let subscription: AudioSubscription
        let onAvailable: @Sendable () -> Void
        let onClosed: @Sendable () -> Void
    }

    /// `makeSource` is called once, on `mediaLoop`, when sound is first needed; it must deliver
    /// `sampleRate` (one of `AudioConfig.rates`, a multiple of `blocksPerSecond`).
    public init(
        sampleRate: Int, mediaLoop: any EventLoop, clock: any DecoyClock, queueBlocks: Int = blocksPerSecond,
        overflowBlocks: Int = 2 * blocksPerSecond, makeSource: @escaping @Sendable () -> any AudioSource
    ) {
        self.sampleRate = sampleRate
        self.samplesPerBlock = max(1, sampleRate / Self.blocksPerSecond)
        self.mediaLoop = mediaLoop
        self.clock = clock
        self.queueBlocks = queueBlocks
        self.overflowBlocks = overflowBlocks
        self.makeSource = makeSource
        self.media = .makeEmptyBox(valueType: AudioMediaState.self, eventLoop: mediaLoop)
    }

    /// Blocks produced, drops and listeners, and whether the hub is running (for status and tests).
    public var counts: AudioHubCounters {
        var counts = counters.withLockedValue { $0 }
        counts.listeners = listeners.withLockedValue { $0.count }
        return counts
    }

    /// Adds a listener. `onAvailable` runs (on the media loop) when a block lands in its empty queue;
    /// `onClosed` when the hub closes it for not reading (it is then already unsubscribed).
    /// The capture device's health (nil for synthetic sound, and before anyone first listened:
    /// the source is made on demand).
    public var deviceHealth: AudioDeviceHealth? { probe.withLockedValue { $0 }?() }

    public func subscribe(
        onAvailable: @escaping @Sendable () -> Void, onClosed: @escaping @Sendable () -> Void
    ) -> AudioSubscription {
        let subscription = AudioSubscription(capacity: queueBlocks, overflowLimit: overflowBlocks)
        let listener = Listener(subscription: subscription, onAvailable: onAvailable, onClosed: onClosed)
        listeners.withLockedValue { $0[ObjectIdentifier(subscription)] = listener }
        mediaLoop.execute { self.updateRunning() }
        return subscription
    }

    public func unsubscribe(_ subscription: AudioSubscription) {
        subscription.close()
        listeners.withLockedValue { $0[ObjectIdentifier(subscription)] = nil }
        mediaLoop.execute { self.updateRunning() }
    }

    /// Stops producing (server shutdown); every listener is closed.
    public func shutdown() {
        let all = listeners.withLockedValue { all in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for listener in all { listener.subscription.close() }
        mediaLoop.execute { self.updateRunning() }
    }

    // MARK: - Media loop

    private func state() -> AudioMediaState {
        if let state = media.value { return state }
        let state = AudioMediaState(source: makeSource(), samplesPerBlock: samplesPerBlock)
        media.value = state
        probe.withLockedValue { $0 = state.source.healthProbe }
        return state
    }

    private func updateRunning() {
        let wanted = listeners.withLockedValue { !$0.isEmpty }
        let state = self.state()
        guard wanted != state.running else { return }
        state.running = wanted
        counters.withLockedValue { $0.running = wanted }
        if wanted {
            do { try state.source.start() } catch { counters.withLockedValue { $0.lastError = "\(error)" } }
            state.position = clockPosition()
            state.nextDue = clock.nowMilliseconds()
            tick()
        } else {
            state.scheduled?.cancel()
            state.scheduled = nil
            state.source.stop()
        }
    }

    private func clockPosition() -> Int64 { clock.nowMilliseconds() * Int64(sampleRate) / 1000 }

    private func tick() {
        let state = self.state()
        guard state.running else { return }
        let expected = clockPosition()
        if abs(expected - state.position) > Int64(sampleRate * Self.maximumDriftSeconds) {
            state.position = expected
            counters.withLockedValue { $0.resynchronisations += 1 }
        }
        fanOut(makeBlock(state))
        guard state.running else { return }
        let now = clock.nowMilliseconds()
        let interval = Self.blockInterval.nanoseconds / 1_000_000
        state.nextDue += interval
        // A late loop catches up by producing the missed blocks at once (up to the drift limit); a
        // clock that stepped back or stands still (real-time timers) paces from now.
        if state.nextDue < now - Int64(Self.maximumDriftSeconds) * 1000 { state.nextDue = now }
        if state.nextDue > now + interval { state.nextDue = now + interval }
        state.scheduled = clock.schedule(atMilliseconds: state.nextDue, on: mediaLoop) { self.tick() }
    }

    private func makeBlock(_ state: AudioMediaState) -> AudioBlock {
        state.source.read(into: &state.samples, at: state.position)
        var pcm = state.allocator.buffer(capacity: state.samples.count * 2)
        for sample in state.samples { pcm.writeInteger(sample, endianness: .little) }
        state.sequence += 1
        let block = AudioBlock(sequence: state.sequence, position: state.position, pcm: pcm)
        state.position += Int64(state.samples.count)
        return block
    }

    private func fanOut(_ block: AudioBlock) {
        let targets = listeners.withLockedValue { Array($0) }
        var dropped = 0
        var closed = 0
        for (key, listener) in targets {
            switch listener.subscription.offer(block) {
            case .queued(let wasEmpty):
                if wasEmpty { listener.onAvailable() }
            case .dropped:
                dropped += 1
            case .closed:
                dropped += 1
                closed += 1
                listeners.withLockedValue { $0[key] = nil }
                listener.onClosed()
            }
        }
        counters.withLockedValue {
            $0.blocksProduced += 1
            $0.blocksDropped += dropped
            $0.listenersClosed += closed
        }
        if closed > 0 { updateRunning() }
    }
}

/// Counters a hub keeps about its own work.
public struct AudioHubCounters: Sendable, Equatable {
    public var blocksProduced = 0
    /// Blocks not queued for some listener (summed over listeners).
    public var blocksDropped = 0
    /// Listeners closed for not reading.
    public var listenersClosed = 0
    /// Times the hub jumped to the clock's position.
    public var resynchronisations = 0
    public var listeners = 0
    public var running = false
    /// Why the source failed to start, if it did (it then plays what `read` gives, e.g. silence).
    public var lastError: String?
}

/// The hub's loop-confined state.
private final class AudioMediaState {
    let source: any AudioSource
    let allocator = ByteBufferAllocator()
    var samples: [Int16]
    var running = false
    var sequence: UInt64 = 0
    var position: Int64 = 0
    /// Clock time the next block is due.
    var nextDue: Int64 = 0
    var scheduled: ClockTimer?

    init(source: any AudioSource, samplesPerBlock: Int) {
        self.source = source
        self.samples = [Int16](repeating: 0, count: samplesPerBlock)
    }
}
