import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore

/// A hub's state and work on its media loop: puts the source driver, the variant cache, the
/// fan-out and the H.264 streams together. Each frame: the driver makes the picture, the observers
/// see it, the cache makes each subscribed variant once and the fan-out hands it over; then each
/// H.264 stream with subscribers encodes it (from the cache's pixels) and hands it over.
///
/// Loop-confined (the hub keeps it in a `NIOLoopBoundBox`): every method runs on `loop`. After
/// each piece of work it publishes what other threads may read into the hub's status box, one
/// lock per frame.
final class FramePipeline {
    private let loop: any EventLoop
    private let clock: any DecoyClock
    private let status: NIOLockedValueBox<FrameHubStatus>
    private let driver: FrameSourceDriver
    private var cache = VariantCache()
    private var fanOut = FrameFanOut()
    private var codecs = FrameCodecs()
    private var h264 = H264Streams()
    /// Set when what the picture shows changed after the newest frame was drawn (the LED): that
    /// frame is then not reused, however young it is.
    private var sceneChangedSinceNewestFrame = false

    init(
        format: VideoFormat, loop: any EventLoop, clock: any DecoyClock, status: NIOLockedValueBox<FrameHubStatus>,
        makeSource: @escaping @Sendable (VideoFormat) -> any VideoSource
    ) {
        self.loop = loop
        self.clock = clock
        self.status = status
        self.driver = FrameSourceDriver(format: format, clock: clock, loop: loop, makeSource: makeSource)
        driver.onTick = { [weak self] in self?.tick() }
    }

    // MARK: - Requests (each one piece of work, then published)

    /// Adds `subscriber` between two frames, so it gets each frame once: the fresh one now, or,
    /// when this starts the hub, the first one the hub produces.
    func subscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        defer { publish() }
        fanOut.subscribe(subscriber, variant: variant)
        if driver.health == .offline {
            subscriber.cameraWentOffline()
        } else if driver.running, isFresh, let frame = try? frame(of: variant) {
            subscriber.deliver(frame)
        }
        updateRunning()
    }

    func unsubscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        defer { publish() }
        fanOut.unsubscribe(subscriber, variant: variant)
        updateRunning()
    }

    /// Adds an H.264 subscriber; it gets frames from the next IDR on, which its joining asks for.
    func subscribe(_ subscriber: any H264Subscriber, variant: H264Variant) {
        defer { publish() }
        h264.subscribe(subscriber, variant: variant)
        if driver.health == .offline { subscriber.cameraWentOffline() }
        updateRunning()
    }

    /// Removes an H.264 subscriber; the variant's encoder goes with its last one.
    func unsubscribe(_ subscriber: any H264Subscriber, variant: H264Variant) {
        defer { publish() }
        h264.unsubscribe(subscriber, variant: variant)
        updateRunning()
    }

    func requestKeyframe(_ variant: H264Variant) { h264.requestKeyframe(variant) }

    /// The SPS and PPS of `variant` in the camera's format now, with or without subscribers.
    func parameterSets(_ variant: H264Variant) throws -> H264ParameterSets {
        try h264.parameterSets(variant, format: driver.format)
    }

    func addObserver(_ observer: any FrameObserver) {
        defer { publish() }
        fanOut.addObserver(observer)
        updateRunning()
    }

    func removeObserver(_ observer: any FrameObserver) {
        defer { publish() }
        fanOut.removeObserver(observer)
        updateRunning()
    }

    func setFormat(size: PixelSize?, framesPerSecond: Int?) {
        defer { publish() }
        let old = driver.format
        let new = VideoFormat(size: size ?? old.size, framesPerSecond: framesPerSecond ?? old.framesPerSecond)
        if driver.setFormat(new) {
            cache.forget()
            h264.restartEncoders()
        }
    }

    /// Frames follow `health` from now on; going offline ends the streams at once.
    func setHealth(_ health: CameraHealth) {
        let previous = driver.forcedHealth
        driver.forcedHealth = health
        if health == .offline, previous != .offline {
            fanOut.announceOffline()
            h264.announceOffline()
        }
    }

    /// The newest frame of `variant`: reused when fresh, otherwise made now; an idle camera's source
    /// is started and its first frame awaited until `giveUpAt` (clock time).
    func snapshot(_ variant: FrameVariant, giveUpAt: Int64) -> EventLoopFuture<EncodedFrame> {
        defer { publish() }
        do {
            if driver.startSource() { cache.forget() }
            if !driver.running { driver.keepWarm() }
            let health = driver.askHealth()
            guard health != .offline else { throw FrameHubError.offline }
            if !isFresh { try produceFrame(health) }
            if cache.picture == nil, clock.nowMilliseconds() < giveUpAt {
                // A device that was just started has no frame yet: look again shortly.
                let retry = loop.makePromise(of: EncodedFrame.self)
                let this = NIOLoopBound(self, eventLoop: loop)
                _ = clock.schedule(afterMilliseconds: 20, on: loop) {
                    retry.completeWith(this.value.snapshot(variant, giveUpAt: giveUpAt))
                }
                return retry.futureResult
            }
            return loop.makeSucceededFuture(try frame(of: variant))
        } catch {
            return loop.makeFailedFuture(error)
        }
    }

    /// The next snapshot draws a new frame instead of reusing the newest one.
    func sceneChanged() {
        sceneChangedSinceNewestFrame = true
    }

    /// Stops producing frames for good (server shutdown).
    func shutdown() {
        defer { publish() }
        fanOut.removeAll()
        h264.removeAll()
        driver.endWarm()
        updateRunning()
    }

    // MARK: - Frames

    /// Runs the hub while anyone needs frames; stops the source when nothing does.
    private func updateRunning() {
        let wanted = fanOut.isWanted || !h264.isEmpty
        if wanted != driver.running {
            if wanted {
                if driver.startSource() { cache.forget() }
                driver.startRunning()
                tick()
            } else {
                driver.stopRunning()
            }
        }
        driver.stopSourceIfIdle()
    }

    /// One paced frame: made, observed, delivered (unless the source had nothing new), and the next planned.
    private func tick() {
        guard driver.running else { return }
        defer { publish() }
        let health = driver.askHealth()
        if health != .offline {
            do {
                try produceFrame(health)
                if let sequence = cache.picture?.stamp.sequence {
                    try fanOut.deliver(sequence: sequence) { variant in try frame(of: variant) }
                }
            } catch {
                driver.lastError = "\(error)"
            }
            if !h264.isEmpty { encodeH264() }
        }
        driver.planNextTick()
    }

    /// The newest frame for the H.264 streams, at the sizes they need (scaled once per size, shared
    /// with the JPEG variants of that size).
    private func encodeH264() {
        guard let picture = cache.picture else { return }
        do {
            try h264.encode(picture, format: driver.format) { size in try cache.pixels(at: size, codecs: &codecs) }
        } catch {
            driver.lastError = "\(error)"
        }
    }

    /// Makes the next frame as `health` says (never offline) and shows it to the observers.
    private func produceFrame(_ health: CameraHealth) throws {
        switch try driver.nextPicture(health, after: cache.picture) {
        case nil: return
        case .new(let picture): cache.show(picture)
        case .repeated(let picture): cache.showAgain(picture)
        }
        sceneChangedSinceNewestFrame = false
        guard let stamp = cache.picture?.stamp else { return }
        try fanOut.observe(sequence: stamp.sequence, timeMilliseconds: stamp.timeMilliseconds) {
            try cache.pixels(codecs: &codecs)
        }
    }

    /// Whether the newest frame is younger than one frame interval on the clock and the scene has
    /// not changed since it was drawn (then it is reused).
    private var isFresh: Bool {
        guard !sceneChangedSinceNewestFrame, let picture = cache.picture else { return false }
        return (clock.nowMilliseconds() - picture.producedAt) * Int64(driver.format.framesPerSecond) < 1000
    }

    /// The newest frame of `asked`, resolved against the native size now (a `followsNative`
    /// variant shares its bytes with one asking for that size).
    private func frame(of asked: FrameVariant) throws -> EncodedFrame {
        guard cache.picture != nil else { throw FrameHubError.noFrame(driver.lastError) }
        return try cache.frame(of: asked.resolved(nativeSize: driver.format.size), codecs: &codecs)
    }

    /// Publishes what other threads read (`FrameHubStatus`); the forced health is `setHealth`'s.
    private func publish() {
        let work = cache.work
        let counts = FrameHubCounters(
            framesProduced: driver.framesProduced, variantsEncoded: work.variantsEncoded, running: driver.running,
            encodeNanoseconds: work.encodeNanoseconds, jpegsPassedThrough: work.jpegsPassedThrough,
            jpegsDecoded: work.jpegsDecoded, jpegsDropped: driver.jpegsDropped,
            h264FramesEncoded: h264.work.framesEncoded, h264EncodeNanoseconds: h264.work.encodeNanoseconds)
        let format = driver.format
        let sourceHealth = driver.sourceHealth
        status.withLockedValue {
            $0 = FrameHubStatus(
                format: format, forcedHealth: $0.forcedHealth, sourceHealth: sourceHealth, counts: counts)
        }
    }
}
