import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore

/// Receives a camera's frames of one variant. Called on the hub's media loop: implementations
/// should only hand the frame over (one hop per group of viewers, never work per viewer here).
public protocol FrameSubscriber: AnyObject, Sendable {
    func deliver(_ frame: EncodedFrame)
    /// The camera went offline: no frame will come until it is back. Streams end here (a real
    /// camera that goes down drops its connections); called on the media loop.
    func cameraWentOffline()
}

extension FrameSubscriber {
    /// Subscribers that outlive an outage (the recorder) simply get no frames meanwhile.
    public func cameraWentOffline() {}
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
///
/// What a frame shows follows the camera's `CameraHealth`, read once per frame: `live` asks the
/// source; `frozen` does not, and repeats the last picture as new frames (new sequence numbers so
/// streams keep flowing, the very same encoded bytes and the frozen picture's time and frame id);
/// `black` and `noSignal` deliver a black picture or the `NoSignalCard`; `offline` delivers nothing,
/// tells the subscribers (streams close) and fails snapshots with `FrameHubError.offline`.
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
    private let healthBox = NIOLockedValueBox(CameraHealth.live)

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

    /// What the frames show now (see the type's documentation).
    public var health: CameraHealth { healthBox.withLockedValue { $0 } }

    /// Changes what the frames show from the next frame on; going offline ends the streams at once.
    public func setHealth(_ health: CameraHealth) {
        let previous = healthBox.withLockedValue { value in
            defer { value = health }
            return value
        }
        guard health == .offline, previous != .offline else { return }
        mediaLoop.execute {
            for group in self.subscribers.withLockedValue({ Array($0.values) }) {
                for subscriber in group.values { subscriber.cameraWentOffline() }
            }
        }
    }

    /// One frame interval.
    public var frameInterval: TimeAmount { .nanoseconds(1_000_000_000 / Int64(max(1, framesPerSecond))) }

    /// Starts delivering frames of `variant` to `subscriber`; the newest frame is delivered at once when fresh.
    public func subscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        // Added on the media loop, between two frames, so the subscriber gets each frame once: either
        // the fresh one now or, when this starts the hub, the first one the hub produces.
        mediaLoop.execute {
            self.subscribers.withLockedValue { $0[variant, default: [:]][ObjectIdentifier(subscriber)] = subscriber }
            let state = self.state()
            if self.health == .offline {
                subscriber.cameraWentOffline()
            } else if state.running, state.isFresh(within: self.frameInterval),
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
            let health = self.health
            guard health != .offline else { throw FrameHubError.offline }
            let state = self.state()
            if !state.isFresh(within: self.frameInterval) { try self.produceFrame(state, health: health) }
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
        let health = self.health
        if health != .offline {
            do {
                try produceFrame(state, health: health)
                let targets = subscribers.withLockedValue { $0 }
                for (variant, group) in targets {
                    let frame = try encoded(variant, state: state)
                    for subscriber in group.values { subscriber.deliver(frame) }
                }
            } catch {
                state.lastError = "\(error)"
            }
        }
        let now = NIODeadline.now()
        state.nextDeadline = state.nextDeadline + frameInterval
        if state.nextDeadline < now { state.nextDeadline = now + frameInterval }
        state.scheduled = mediaLoop.scheduleTask(deadline: state.nextDeadline) { self.tick() }
    }

    /// Makes the next frame as `health` says (never called offline).
    private func produceFrame(_ state: MediaState, health: CameraHealth) throws {
        let number = state.frameNumber + 1
        let time = clock.nowMilliseconds()
        if health == .frozen, let latest = state.latest {
            // The same picture again: the encoded variants are kept and only renumbered.
            state.frameNumber = number
            state.latest = LatestFrame(
                image: latest.image, sequence: number, timeMilliseconds: latest.timeMilliseconds, producedAt: .now())
            for (variant, frame) in state.encoded { state.encoded[variant] = frame.restamped(sequence: number) }
            counters.withLockedValue { $0.framesProduced += 1 }
            notifyObservers(latest.image, sequence: number, timeMilliseconds: latest.timeMilliseconds)
            return
        }
        let image: I420Image
        switch health {
        case .live, .frozen, .offline:  // frozen before any picture: take one first
            guard let made = try state.source.frame(number: number, timeMilliseconds: time) else { return }
            image = made
        case .black:
            image = state.blackImage(nativeSize)
        case .noSignal:
            image = state.noSignalCard(nativeSize).render(frameNumber: UInt32(truncatingIfNeeded: number))
        }
        state.frameNumber = number
        state.latest = LatestFrame(image: image, sequence: number, timeMilliseconds: time, producedAt: .now())
        state.encoded.removeAll(keepingCapacity: true)
        state.scaled.removeAll(keepingCapacity: true)
        counters.withLockedValue { $0.framesProduced += 1 }
        notifyObservers(image, sequence: number, timeMilliseconds: time)
    }

    private func notifyObservers(_ image: I420Image, sequence: UInt64, timeMilliseconds: Int64) {
        for observer in observers.withLockedValue({ Array($0.values) }) {
            observer.observe(image, sequence: sequence, timeMilliseconds: timeMilliseconds)
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
    /// The camera's health is `offline`: it has no picture to give.
    case offline

    public var description: String {
        switch self {
        case .noFrame(let reason): "the camera has produced no frame yet" + (reason.map { " (\($0))" } ?? "")
        case .offline: "the camera is offline"
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
    private var black: I420Image?
    private var card: NoSignalCard?

    init(source: any VideoSource) { self.source = source }

    /// Video black (Y 16, neutral chroma), made once.
    func blackImage(_ size: PixelSize) -> I420Image {
        if let black { return black }
        let image = I420Image(size: size, fillY: 16, fillU: 128, fillV: 128)
        black = image
        return image
    }

    func noSignalCard(_ size: PixelSize) -> NoSignalCard {
        if let card { return card }
        let made = NoSignalCard(size: size)
        card = made
        return made
    }

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
