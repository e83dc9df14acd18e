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
/// All decoding, scaling and encoding runs on `mediaLoop` (never a network loop). With no subscribers
/// the hub is idle: no capture, no rendering, no encoding. Snapshots reuse the newest frame while it is
/// fresh (younger than one frame interval) and otherwise produce one on demand; a snapshot of an idle
/// camera starts its source, waits for its first frame (a device needs a moment) and keeps it warm
/// for `warmPeriod` so a client polling `image.cgi` does not reopen the device each time.
///
/// A source hands over pixels or its own JPEG (`SourceFrame`). A JPEG is checked to be whole
/// (`JPEGIntegrity`: padding after EOI is trimmed, broken ones are dropped and counted) and is sent
/// unchanged to `passthrough` variants of its size; it is decoded only when a scaled or re-compressed
/// variant or an observer needs pixels, once per frame.
///
/// The format (native size and rate) can change while streams run (`setFormat`): a new size makes a
/// new source for it, and the viewers of `followsNative` variants get the new size from the next
/// frame on; a new rate re-bases the pacing from now.
///
/// What a frame shows follows the camera's health, read once per frame: the health a scenario forces
/// (`setHealth`), or when that is `live`, the source's own (`VideoSourceHealth`: a device that is gone
/// shows the NO SIGNAL card). `live` asks the source; `frozen` does not, and repeats the last picture
/// as new frames (new sequence numbers so streams keep flowing, the very same encoded bytes and the
/// frozen picture's time and frame id); `black` and `noSignal` deliver a black picture or the
/// `NoSignalCard`; `offline` delivers nothing, tells the subscribers (streams close) and fails
/// snapshots with `FrameHubError.offline`.
public final class FrameHub: Sendable {
    public let mediaLoop: any EventLoop
    /// How long a source started for a snapshot keeps capturing after it (when nobody streams), in
    /// clock time (like every wait of the hub: frames follow the injected clock, virtual or real).
    public static let warmPeriod: TimeAmount = .seconds(10)
    /// How long a snapshot waits for a started source's first frame, in clock time.
    public static let firstFrameTimeout: TimeAmount = .seconds(3)
    private let clock: any DecoyClock
    private let makeSource: @Sendable (VideoFormat) -> any VideoSource
    private let formatBox: NIOLockedValueBox<VideoFormat>
    private let media: NIOLoopBoundBox<MediaState?>
    private let subscribers = NIOLockedValueBox([FrameVariant: [ObjectIdentifier: any FrameSubscriber]]())
    private let observers = NIOLockedValueBox([ObjectIdentifier: any FrameObserver]())
    private let counters = NIOLockedValueBox(FrameHubCounters())
    private let healthBox = NIOLockedValueBox(CameraHealth.live)
    private let sourceHealthBox = NIOLockedValueBox(VideoSourceHealth.live)

    /// `makeSource` is called on `mediaLoop` when frames are first needed, and again for each new
    /// size `setFormat` sets (with the format the source must deliver).
    public init(
        nativeSize: PixelSize, framesPerSecond: Int, mediaLoop: any EventLoop, clock: any DecoyClock,
        makeSource: @escaping @Sendable (VideoFormat) -> any VideoSource
    ) {
        self.formatBox = NIOLockedValueBox(VideoFormat(size: nativeSize, framesPerSecond: framesPerSecond))
        self.mediaLoop = mediaLoop
        self.clock = clock
        self.makeSource = makeSource
        self.media = .makeEmptyBox(valueType: MediaState.self, eventLoop: mediaLoop)
    }

    /// The native size and rate now (the config's, until `setFormat` changes them).
    public var format: VideoFormat { formatBox.withLockedValue { $0 } }
    public var nativeSize: PixelSize { format.size }
    public var framesPerSecond: Int { format.framesPerSecond }

    /// Changes the native size, the rate or both (nil keeps it) from the next frame on, without
    /// ending any stream (a scenario's `camera` step with `resolution:` or `fps:`).
    ///
    /// A new size stops the source and makes one for the new size (a device renegotiates; what the
    /// old one showed is forgotten, so a snapshot waits for the new picture); viewers of
    /// `followsNative` variants get frames of the new size, others keep theirs (scaled from the new
    /// picture). A new rate starts a new pacing stretch now: the next frame is one new interval away.
    public func setFormat(size: PixelSize? = nil, framesPerSecond: Int? = nil) {
        mediaLoop.execute {
            // Changed on the loop, between two frames, so a frame is made, encoded and paced in one format.
            let (old, new) = self.formatBox.withLockedValue { format in
                let old = format
                format = VideoFormat(size: size ?? old.size, framesPerSecond: framesPerSecond ?? old.framesPerSecond)
                return (old, format)
            }
            guard old != new, let state = self.media.value else { return }  // no source yet: it is made for `new`
            if new.size != old.size { self.replaceSource(state, format: new) }
            if new.framesPerSecond != old.framesPerSecond, state.running {
                let now = self.clock.nowMilliseconds()
                state.pacing = FramePacing(startMilliseconds: now, framesPerSecond: new.framesPerSecond)
                self.scheduleTick(state, at: state.pacing.next(now: now))
            }
        }
    }

    /// Frames produced and variants encoded so far, and whether the hub is running (for status and tests).
    public var counts: FrameHubCounters { counters.withLockedValue { $0 } }

    /// What the frames show now: the forced health, or the source's when none is forced (see the type).
    public var health: CameraHealth {
        let forced = healthBox.withLockedValue { $0 }
        return forced == .live ? sourceHealth.cameraHealth : forced
    }

    /// What the source said about its input when last asked (once per frame while running).
    public var sourceHealth: VideoSourceHealth { sourceHealthBox.withLockedValue { $0 } }

    /// Forces what the frames show from the next frame on (a scenario's `camera` step); `live` lifts
    /// the force, so the source's own state applies again. Going offline ends the streams at once.
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
    public var frameInterval: TimeAmount { .nanoseconds(1_000_000_000 / Int64(framesPerSecond)) }

    /// Starts delivering frames of `variant` to `subscriber`; the newest frame is delivered at once when fresh.
    public func subscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        // Added on the media loop, between two frames, so the subscriber gets each frame once: either
        // the fresh one now or, when this starts the hub, the first one the hub produces.
        mediaLoop.execute {
            self.subscribers.withLockedValue { $0[variant, default: [:]][ObjectIdentifier(subscriber)] = subscriber }
            let state = self.state()
            if self.health == .offline {
                subscriber.cameraWentOffline()
            } else if state.running, self.isFresh(state),
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

    /// The newest frame of `variant`: reused when fresh, otherwise produced now (an idle camera's
    /// source is started and its first frame awaited, up to `firstFrameTimeout`).
    public func snapshot(_ variant: FrameVariant) -> EventLoopFuture<EncodedFrame> {
        mediaLoop.flatSubmit {
            self.snapshotOnLoop(
                variant, giveUpAt: self.clock.nowMilliseconds() + Self.firstFrameTimeout.nanoseconds / 1_000_000)
        }
    }

    /// Stops producing frames (server shutdown).
    public func shutdown() {
        subscribers.withLockedValue { $0.removeAll() }
        observers.withLockedValue { $0.removeAll() }
        mediaLoop.execute {
            self.state().warmUntil = nil
            self.updateRunning()
        }
    }

    // MARK: - Media loop

    private func state() -> MediaState {
        if let state = media.value { return state }
        let state = MediaState(source: makeSource(format))
        media.value = state
        return state
    }

    /// A new native size: the old source goes, one for `format` comes (started if the old one was),
    /// and every picture made at the old size is forgotten.
    private func replaceSource(_ state: MediaState, format: VideoFormat) {
        let wasStarted = state.sourceStarted
        if wasStarted {
            state.sourceStarted = false
            state.source.stop()
        }
        state.source = makeSource(format)
        state.forgetPictures()
        if wasStarted { startSource(state) }
    }

    private func snapshotOnLoop(_ variant: FrameVariant, giveUpAt: Int64) -> EventLoopFuture<EncodedFrame> {
        let state = self.state()
        do {
            startSource(state)
            if !state.running { keepWarm(state) }
            let health = currentHealth(state)
            guard health != .offline else { throw FrameHubError.offline }
            if !isFresh(state) { try produceFrame(state, health: health) }
            if state.latest == nil, clock.nowMilliseconds() < giveUpAt {
                // A device that was just started has no frame yet: look again shortly.
                let retry = mediaLoop.makePromise(of: EncodedFrame.self)
                _ = clock.schedule(afterMilliseconds: 20, on: mediaLoop) {
                    retry.completeWith(self.snapshotOnLoop(variant, giveUpAt: giveUpAt))
                }
                return retry.futureResult
            }
            return mediaLoop.makeSucceededFuture(try encoded(variant, state: state))
        } catch {
            return mediaLoop.makeFailedFuture(error)
        }
    }

    /// Starts the source; what it showed before it was stopped is stale now, so it is forgotten (a
    /// snapshot waits for the first new frame).
    private func startSource(_ state: MediaState) {
        guard !state.sourceStarted else { return }
        state.sourceStarted = true
        state.latest = nil
        state.encoded.removeAll()
        state.scaled.removeAll()
        do { try state.source.start() } catch { state.lastError = "\(error)" }
    }

    /// Keeps a source started for a snapshot capturing a while, then stops it if nobody streams.
    private func keepWarm(_ state: MediaState) {
        let until = clock.nowMilliseconds() + Self.warmPeriod.nanoseconds / 1_000_000
        let alreadyScheduled = state.warmUntil != nil
        state.warmUntil = until
        guard !alreadyScheduled else { return }
        scheduleWarmCheck(at: until)
    }

    private func scheduleWarmCheck(at deadline: Int64) {
        _ = clock.schedule(atMilliseconds: deadline, on: mediaLoop) {
            let state = self.state()
            guard let until = state.warmUntil else { return }
            if until > self.clock.nowMilliseconds() {
                self.scheduleWarmCheck(at: until)
                return
            }
            state.warmUntil = nil
            self.updateRunning()
        }
    }

    /// Whether the newest frame is younger than one frame interval on the clock (then it is reused).
    private func isFresh(_ state: MediaState) -> Bool {
        guard let latest = state.latest else { return false }
        return (clock.nowMilliseconds() - latest.producedAt) * Int64(framesPerSecond) < 1000
    }

    /// The health frames follow, with the source asked now (on the loop) and remembered.
    private func currentHealth(_ state: MediaState) -> CameraHealth {
        let source = state.source.health
        sourceHealthBox.withLockedValue { $0 = source }
        return health
    }

    private func updateRunning() {
        let wanted = subscribers.withLockedValue { !$0.isEmpty } || observers.withLockedValue { !$0.isEmpty }
        let state = self.state()
        if wanted != state.running {
            state.running = wanted
            counters.withLockedValue { $0.running = wanted }
            if wanted {
                startSource(state)
                state.pacing = FramePacing(startMilliseconds: clock.nowMilliseconds(), framesPerSecond: framesPerSecond)
                tick()
            } else {
                state.cancelTick()
            }
        }
        if !state.running, state.warmUntil == nil, state.sourceStarted {
            state.sourceStarted = false
            state.source.stop()
        }
    }

    private func tick() {
        let state = self.state()
        guard state.running else { return }
        let health = currentHealth(state)
        if health != .offline {
            do {
                try produceFrame(state, health: health)
                let targets = subscribers.withLockedValue { $0 }
                if state.latest != nil, state.latestDelivered == false {
                    state.latestDelivered = true
                    for (variant, group) in targets {
                        let frame = try encoded(variant, state: state)
                        for subscriber in group.values { subscriber.deliver(frame) }
                    }
                }
            } catch {
                state.lastError = "\(error)"
            }
        }
        scheduleTick(state, at: state.pacing.next(now: clock.nowMilliseconds()))
    }

    /// The next frame at `due`, in place of any other planned (a timer already on its way is void).
    private func scheduleTick(_ state: MediaState, at due: Int64) {
        let generation = state.cancelTick()
        state.scheduled = clock.schedule(atMilliseconds: due, on: mediaLoop) {
            guard self.state().tickGeneration == generation else { return }
            self.tick()
        }
    }

    /// Makes the next frame as `health` says (never called offline). A source with nothing new
    /// leaves the newest frame as it is (and it is not delivered again).
    private func produceFrame(_ state: MediaState, health: CameraHealth) throws {
        let number = state.frameNumber + 1
        let time = clock.nowMilliseconds()
        if health == .frozen, let latest = state.latest {
            // The same picture again: the encoded variants are kept and only renumbered.
            state.frameNumber = number
            state.latest = LatestFrame(
                image: latest.image, jpeg: latest.jpeg, size: latest.size, sequence: number,
                timeMilliseconds: latest.timeMilliseconds, producedAt: time)
            state.latestDelivered = false
            for (variant, frame) in state.encoded { state.encoded[variant] = frame.restamped(sequence: number) }
            counters.withLockedValue { $0.framesProduced += 1 }
            try notifyObservers(state, sequence: number, timeMilliseconds: latest.timeMilliseconds)
            return
        }
        let picture: SourceFrame
        switch health {
        case .live, .frozen, .offline:  // frozen before any picture: take one first
            guard let made = try state.source.nextFrame(number: number, timeMilliseconds: time) else { return }
            picture = made
        case .black:
            picture = .pixels(state.blackImage(nativeSize))
        case .noSignal:
            picture = .pixels(state.noSignalCard(nativeSize).render(frameNumber: UInt32(truncatingIfNeeded: number)))
        }
        let latest: LatestFrame
        switch picture {
        case .pixels(let image):
            latest = LatestFrame(
                image: image, jpeg: nil, size: image.size, sequence: number, timeMilliseconds: time,
                producedAt: time)
        case .jpeg(let bytes, let size):
            guard let whole = checkedJPEG(bytes, state: state) else { return }
            latest = LatestFrame(
                image: nil, jpeg: whole, size: size, sequence: number, timeMilliseconds: time, producedAt: time)
        }
        state.frameNumber = number
        state.latest = latest
        state.latestDelivered = false
        state.encoded.removeAll(keepingCapacity: true)
        state.scaled.removeAll(keepingCapacity: true)
        counters.withLockedValue { $0.framesProduced += 1 }
        try notifyObservers(state, sequence: number, timeMilliseconds: time)
    }

    /// The JPEG up to its EOI (padding trimmed), or nil (counted, and the reason kept) when broken.
    private func checkedJPEG(_ bytes: [UInt8], state: MediaState) -> [UInt8]? {
        do {
            let length = try JPEGIntegrity.jpegLength(bytes)
            return length == bytes.count ? bytes : Array(bytes[..<length])
        } catch {
            state.lastError = "the source's JPEG \(error)"
            counters.withLockedValue { $0.jpegsDropped += 1 }
            return nil
        }
    }

    private func notifyObservers(_ state: MediaState, sequence: UInt64, timeMilliseconds: Int64) throws {
        let observers = self.observers.withLockedValue { Array($0.values) }
        guard !observers.isEmpty else { return }
        let image = try pixels(state)
        for observer in observers {
            observer.observe(image, sequence: sequence, timeMilliseconds: timeMilliseconds)
        }
    }

    /// The newest frame's pixels, decoding its JPEG once when it has only that.
    private func pixels(_ state: MediaState) throws -> I420Image {
        guard var latest = state.latest else { throw FrameHubError.noFrame(state.lastError) }
        if let image = latest.image { return image }
        guard let jpeg = latest.jpeg else { throw FrameHubError.noFrame(state.lastError) }
        let image = try state.decoder().decodeToI420(jpeg)
        counters.withLockedValue { $0.jpegsDecoded += 1 }
        latest.image = image
        state.latest = latest
        return image
    }

    /// The frame of `asked`, encoded once per concrete variant: a `followsNative` one is the
    /// native size now, and shares its bytes with a variant asking for that size.
    private func encoded(_ asked: FrameVariant, state: MediaState) throws -> EncodedFrame {
        let variant = asked.resolved(nativeSize: nativeSize)
        if let frame = state.encoded[variant] { return frame }
        guard let latest = state.latest else { throw FrameHubError.noFrame(state.lastError) }
        if variant.passthrough {
            let frame: EncodedFrame
            if let jpeg = latest.jpeg, latest.size == variant.size {
                frame = jpeg.withUnsafeBytes { bytes in
                    EncodedFrame(
                        sequence: latest.sequence, timeMilliseconds: latest.timeMilliseconds, variant: variant,
                        jpeg: bytes, allocator: state.allocator)
                }
                counters.withLockedValue { $0.jpegsPassedThrough += 1 }
            } else {
                frame = try encoded(variant.encodedEquivalent, state: state)
            }
            state.encoded[variant] = frame
            return frame
        }
        let full = try pixels(state)
        let image: I420Image
        if variant.size == full.size {
            image = full
        } else if let scaled = state.scaled[variant.size] {
            image = scaled
        } else {
            image = full.scaled(to: variant.size)
            state.scaled[variant.size] = image
        }
        let encoder = try state.encoder()
        // The encoder's cost is real time by nature (a virtual clock stands still while it works).
        let started = NIODeadline.now()
        let frame = try encoder.encode(image, quality: variant.quality) { jpeg in
            EncodedFrame(
                sequence: latest.sequence, timeMilliseconds: latest.timeMilliseconds, variant: variant, jpeg: jpeg,
                allocator: state.allocator)
        }
        let spent = UInt64(max(0, (NIODeadline.now() - started).nanoseconds))
        state.encoded[variant] = frame
        counters.withLockedValue {
            $0.variantsEncoded += 1
            $0.encodeNanoseconds &+= spent
        }
        return frame
    }
}

/// Counters a hub keeps about its own work.
public struct FrameHubCounters: Sendable, Equatable {
    public var framesProduced = 0
    public var variantsEncoded = 0
    public var running = false
    /// Time spent in the JPEG encoder, cumulative (scaling and decoding not included): what MJPEG
    /// passthrough saves shows here.
    public var encodeNanoseconds: UInt64 = 0
    /// Frames sent as the source's own JPEG (once per frame and passthrough variant, like `variantsEncoded`).
    public var jpegsPassedThrough = 0
    /// Source JPEGs decoded because something needed pixels.
    public var jpegsDecoded = 0
    /// Source JPEGs dropped because they were not whole (`JPEGIntegrity`).
    public var jpegsDropped = 0
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
    var source: any VideoSource
    let allocator = ByteBufferAllocator()
    var jpegEncoder: JPEGEncoder?
    var jpegDecoder: JPEGDecoder?
    var running = false
    /// Whether `source.start()` was called and `stop()` not yet.
    var sourceStarted = false
    /// A snapshot started the source: keep it until then (clock time) even with no subscriber.
    var warmUntil: Int64?
    /// Whether `latest` went to the subscribers already (a source with nothing new repeats nothing).
    var latestDelivered = false
    var frameNumber: UInt64 = 0
    var latest: LatestFrame?
    var encoded: [FrameVariant: EncodedFrame] = [:]
    var scaled: [PixelSize: I420Image] = [:]
    var pacing = FramePacing(startMilliseconds: 0, framesPerSecond: 1)
    var scheduled: ClockTimer?
    /// Counts planned frames; a timer fires only for the newest plan (cancelling may come too late).
    var tickGeneration: UInt64 = 0
    var lastError: String?
    private var black: I420Image?
    private var card: NoSignalCard?

    init(source: any VideoSource) { self.source = source }

    /// Cancels the planned frame; the new plan's number.
    @discardableResult
    func cancelTick() -> UInt64 {
        scheduled?.cancel()
        scheduled = nil
        tickGeneration &+= 1
        return tickGeneration
    }

    /// Drops every picture of the old size (a new native size).
    func forgetPictures() {
        latest = nil
        latestDelivered = false
        encoded.removeAll()
        scaled.removeAll()
    }

    /// Video black (Y 16, neutral chroma), made once.
    func blackImage(_ size: PixelSize) -> I420Image {
        if let black, black.size == size { return black }
        let image = I420Image(size: size, fillY: 16, fillU: 128, fillV: 128)
        black = image
        return image
    }

    func noSignalCard(_ size: PixelSize) -> NoSignalCard {
        if let card, card.size == size { return card }
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

    func decoder() throws -> JPEGDecoder {
        if let jpegDecoder { return jpegDecoder }
        let decoder = try JPEGDecoder()
        jpegDecoder = decoder
        return decoder
    }

}

/// The newest frame: pixels, the source's checked JPEG, or both once the JPEG was decoded.
private struct LatestFrame {
    var image: I420Image?
    let jpeg: [UInt8]?
    let size: PixelSize
    let sequence: UInt64
    let timeMilliseconds: Int64
    /// Clock time it was made at (a frozen frame's is when it was repeated, not its picture's time).
    let producedAt: Int64
}
