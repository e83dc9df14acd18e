import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore

/// Receives a camera's frames of one variant. Called on the hub's media loop: implementations
/// should only hand the frame over (one hop per group of viewers, never work per viewer here).
public protocol FrameSubscriber: AnyObject, Sendable {
    func deliver(_ frame: EncodedFrame)
}

/// Sees every raw frame a hub produces (the motion detector). Called on the hub's media loop right
/// after the frame is made, before it is encoded for viewers: keep the work small and bounded.
public protocol FrameObserver: AnyObject, Sendable {
    func observe(_ image: I420Image, sequence: UInt64, timeMilliseconds: Int64)
}

/// A camera's frame pipeline: pulls frames from its `VideoSource` at the native rate while anyone
/// needs them, encodes each frame at most once per requested variant, and hands the shared bytes
/// to the subscribers of that variant.
///
/// All rendering and encoding runs on `mediaLoop` (never a network loop). With no subscribers the
/// hub is idle: no capture, no rendering, no encoding. Snapshots reuse the newest frame while it is
/// fresh (younger than one frame interval) and otherwise produce one on demand.
public final class FrameHub: Sendable {
    public let mediaLoop: any EventLoop
    public let nativeSize: PixelSize
    public let framesPerSecond: Int
    private let clock: any DecoyClock
    private let makeSource: @Sendable () -> any VideoSource
    private let media: NIOLoopBoundBox<MediaState?>
    private let subscribers = NIOLockedValueBox([FrameVariant: [ObjectIdentifier: any FrameSubscriber]]())
    private let observers = NIOLockedValueBox([ObjectIdentifier: any FrameObserver]())
    private let counters = NIOLockedValueBox(FrameHubCounters())

    /// `makeSource` is called once, on `mediaLoop`, when frames are first needed.
    public init(
        nativeSize: PixelSize, framesPerSecond: Int, mediaLoop: any EventLoop, clock: any DecoyClock,
        makeSource: @escaping @Sendable () -> any VideoSource
    ) {
        self.nativeSize = nativeSize
        self.framesPerSecond = framesPerSecond
        self.mediaLoop = mediaLoop
        self.clock = clock
        self.makeSource = makeSource
        self.media = .makeEmptyBox(valueType: MediaState.self, eventLoop: mediaLoop)
    }

    /// Frames produced and variants encoded so far, and whether the hub is running (for status and tests).
    public var counts: FrameHubCounters { counters.withLockedValue { $0 } }

    /// One frame interval.
    public var frameInterval: TimeAmount { .nanoseconds(1_000_000_000 / Int64(max(1, framesPerSecond))) }

    /// Starts delivering frames of `variant` to `subscriber`; the newest frame is delivered at once when fresh.
    public func subscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        // Added on the media loop, between two frames, so the subscriber gets each frame once: either
        // the fresh one now or, when this starts the hub, the first one the hub produces.
        mediaLoop.execute {
            self.subscribers.withLockedValue { $0[variant, default: [:]][ObjectIdentifier(subscriber)] = subscriber }
            let state = self.state()
            if state.running, state.isFresh(within: self.frameInterval),
                let frame = try? self.encoded(variant, state: state)
            {
                subscriber.deliver(frame)
            }
            self.updateRunning()
        }
    }

    public func unsubscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        let remove: @Sendable () -> Void = {
            self.subscribers.withLockedValue { all in
                all[variant]?[ObjectIdentifier(subscriber)] = nil
                if all[variant]?.isEmpty == true { all[variant] = nil }
            }
        }
        // At once (no more frames), and again on the loop in case a `subscribe` is still queued there.
        remove()
        mediaLoop.execute {
            remove()
            self.updateRunning()
        }
    }

    /// Starts handing every produced frame to `observer`; the hub runs while any observer is attached,
    /// even with no viewer (that is the whole idle cost of motion detection).
    public func addObserver(_ observer: any FrameObserver) {
        mediaLoop.execute {
            self.observers.withLockedValue { $0[ObjectIdentifier(observer)] = observer }
            self.updateRunning()
        }
    }

    public func removeObserver(_ observer: any FrameObserver) {
        observers.withLockedValue { $0[ObjectIdentifier(observer)] = nil }
        mediaLoop.execute { self.updateRunning() }
    }

    /// The newest frame of `variant`: reused when fresh, otherwise produced now.
    public func snapshot(_ variant: FrameVariant) -> EventLoopFuture<EncodedFrame> {
        mediaLoop.submit {
            let state = self.state()
            if !state.isFresh(within: self.frameInterval) { try self.produceFrame(state) }
            return try self.encoded(variant, state: state)
        }
    }

    /// Stops producing frames (server shutdown).
    public func shutdown() {
        subscribers.withLockedValue { $0.removeAll() }
        observers.withLockedValue { $0.removeAll() }
        mediaLoop.execute { self.updateRunning() }
    }

    // MARK: - Media loop

    private func state() -> MediaState {
        if let state = media.value { return state }
        let state = MediaState(source: makeSource())
        media.value = state
        return state
    }

    private func updateRunning() {
        let wanted = subscribers.withLockedValue { !$0.isEmpty } || observers.withLockedValue { !$0.isEmpty }
        let state = self.state()
        guard wanted != state.running else { return }
        state.running = wanted
        counters.withLockedValue { $0.running = wanted }
        if wanted {
            do { try state.source.start() } catch { state.lastError = "\(error)" }
            state.nextDeadline = .now()
            tick()
        } else {
            state.scheduled?.cancel()
            state.scheduled = nil
            state.source.stop()
        }
    }

    private func tick() {
        let state = self.state()
        guard state.running else { return }
        do {
            try produceFrame(state)
            let targets = subscribers.withLockedValue { $0 }
            for (variant, group) in targets {
                let frame = try encoded(variant, state: state)
                for subscriber in group.values { subscriber.deliver(frame) }
            }
        } catch {
            state.lastError = "\(error)"
        }
        let now = NIODeadline.now()
        state.nextDeadline = state.nextDeadline + frameInterval
        if state.nextDeadline < now { state.nextDeadline = now + frameInterval }
        state.scheduled = mediaLoop.scheduleTask(deadline: state.nextDeadline) { self.tick() }
    }

    private func produceFrame(_ state: MediaState) throws {
        let number = state.frameNumber + 1
        let time = clock.nowMilliseconds()
        guard let image = try state.source.frame(number: number, timeMilliseconds: time) else { return }
        state.frameNumber = number
        state.latest = LatestFrame(image: image, sequence: number, timeMilliseconds: time, producedAt: .now())
        state.encoded.removeAll(keepingCapacity: true)
        state.scaled.removeAll(keepingCapacity: true)
        counters.withLockedValue { $0.framesProduced += 1 }
        for observer in observers.withLockedValue({ Array($0.values) }) {
            observer.observe(image, sequence: number, timeMilliseconds: time)
        }
    }

    private func encoded(_ variant: FrameVariant, state: MediaState) throws -> EncodedFrame {
        if let frame = state.encoded[variant] { return frame }
        guard let latest = state.latest else { throw FrameHubError.noFrame(state.lastError) }
        let image: I420Image
        if variant.size == latest.image.size {
            image = latest.image
        } else if let scaled = state.scaled[variant.size] {
            image = scaled
        } else {
            image = latest.image.scaled(to: variant.size)
            state.scaled[variant.size] = image
        }
        let encoder = try state.encoder()
        let frame = try encoder.encode(image, quality: variant.quality) { jpeg in
            EncodedFrame(
                sequence: latest.sequence, timeMilliseconds: latest.timeMilliseconds, variant: variant, jpeg: jpeg,
                allocator: state.allocator)
        }
        state.encoded[variant] = frame
        counters.withLockedValue { $0.variantsEncoded += 1 }
        return frame
    }
}

/// Counters a hub keeps about its own work.
public struct FrameHubCounters: Sendable, Equatable {
    public var framesProduced = 0
    public var variantsEncoded = 0
    public var running = false
}

/// Why a hub could not hand out a frame.
public enum FrameHubError: Error, CustomStringConvertible {
    case noFrame(String?)

    public var description: String {
        switch self {
        case .noFrame(let reason): "the camera has produced no frame yet" + (reason.map { " (\($0))" } ?? "")
        }
    }
}

/// The hub's loop-confined state.
private final class MediaState {
    let source: any VideoSource
    let allocator = ByteBufferAllocator()
    var jpegEncoder: JPEGEncoder?
    var running = false
    var frameNumber: UInt64 = 0
    var latest: LatestFrame?
    var encoded: [FrameVariant: EncodedFrame] = [:]
    var scaled: [PixelSize: I420Image] = [:]
    var nextDeadline = NIODeadline.now()
    var scheduled: Scheduled<Void>?
    var lastError: String?

    init(source: any VideoSource) { self.source = source }

    func encoder() throws -> JPEGEncoder {
        if let jpegEncoder { return jpegEncoder }
        let encoder = try JPEGEncoder()
        jpegEncoder = encoder
        return encoder
    }

    func isFresh(within interval: TimeAmount) -> Bool {
        guard let latest else { return false }
        return NIODeadline.now() - latest.producedAt < interval
    }
}

private struct LatestFrame {
    let image: I420Image
    let sequence: UInt64
    let timeMilliseconds: Int64
    let producedAt: NIODeadline
}
