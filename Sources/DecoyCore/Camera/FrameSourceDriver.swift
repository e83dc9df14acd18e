import DecoyMedia
import NIOCore

/// Drives a camera's `VideoSource` on the hub's media loop: makes it (again for each new size),
/// starts it when frames are needed and stops it when they are not (after a warm period when a
/// snapshot started it), paces the frames on the clock, asks it for its health, and turns each
/// frame's turn into the next `SourcePicture` as the camera's health says.
///
/// It knows nothing of variants or viewers: the hub caches a picture's variants (`VariantCache`)
/// and hands them out (`FrameFanOut`). Loop-confined: every member is used on `loop` only, and its
/// timers come back to it there.
final class FrameSourceDriver {
    /// The native size and rate now.
    private(set) var format: VideoFormat
    /// The health a scenario forces; `live` when none is (the loop's copy of `FrameHub.setHealth`).
    var forcedHealth = CameraHealth.live
    /// What the source said about its input when last asked.
    private(set) var sourceHealth = VideoSourceHealth.live
    /// Whether frames are paced (someone streams or observes).
    private(set) var running = false
    private(set) var framesProduced = 0
    /// Source JPEGs dropped because they were not whole.
    private(set) var jpegsDropped = 0
    /// Why the last frame could not be made (a snapshot with no frame says it).
    var lastError: String?
    /// One frame's work, run when a paced frame is due.
    var onTick: () -> Void = {}

    private let clock: any DecoyClock
    private let loop: any EventLoop
    private let makeSource: @Sendable (VideoFormat) -> any VideoSource
    private var made: (any VideoSource)?
    /// Whether `start()` was called on the source and `stop()` not yet.
    private var sourceStarted = false
    /// A snapshot started the source: keep it until then (clock time) even with no subscriber.
    private var warmUntil: Int64?
    private var frameNumber: UInt64 = 0
    private var pacing = FramePacing(startMilliseconds: 0, framesPerSecond: 1)
    private var scheduled: ClockTimer?
    /// Counts planned frames; a timer fires only for the newest plan (cancelling may come too late).
    private var tickGeneration: UInt64 = 0
    private var black: I420Image?
    private var card: NoSignalCard?

    /// `makeSource` is called on `loop` when the source is first needed, and for each new size.
    init(
        format: VideoFormat, clock: any DecoyClock, loop: any EventLoop,
        makeSource: @escaping @Sendable (VideoFormat) -> any VideoSource
    ) {
        self.format = format
        self.clock = clock
        self.loop = loop
        self.makeSource = makeSource
    }

    private var source: any VideoSource {
        if let made { return made }
        let source = makeSource(format)
        made = source
        return source
    }

    // MARK: - Health

    /// What frames show, from what the source said when last asked.
    var health: CameraHealth { forcedHealth == .live ? sourceHealth.cameraHealth : forcedHealth }

    /// Asks the source (once per frame) and returns the health the next frame follows.
    func askHealth() -> CameraHealth {
        sourceHealth = source.health
        return health
    }

    // MARK: - Source lifecycle

    /// Starts the source unless it runs; true when it was started now (what it showed before it
    /// was stopped is stale: the caller forgets it, so a snapshot waits for the first new frame).
    func startSource() -> Bool {
        guard !sourceStarted else { return false }
        sourceStarted = true
        do { try source.start() } catch { lastError = "\(error)" }
        return true
    }

    /// Stops the source when nothing needs it: not running and not kept warm.
    func stopSourceIfIdle() {
        guard !running, warmUntil == nil, sourceStarted else { return }
        sourceStarted = false
        source.stop()
    }

    /// Keeps a source started for a snapshot capturing for `FrameHub.warmPeriod`, so a client polling
    /// snapshots does not reopen the device each time; then stops it if nobody streams.
    func keepWarm() {
        let until = clock.nowMilliseconds() + FrameHub.warmPeriod.nanoseconds / 1_000_000
        let alreadyScheduled = warmUntil != nil
        warmUntil = until
        guard !alreadyScheduled else { return }
        scheduleWarmCheck(at: until)
    }

    /// Ends the warm period now (shutdown).
    func endWarm() { warmUntil = nil }

    private func scheduleWarmCheck(at deadline: Int64) {
        let this = NIOLoopBound(self, eventLoop: loop)
        _ = clock.schedule(atMilliseconds: deadline, on: loop) { this.value.warmCheck() }
    }

    private func warmCheck() {
        guard let until = warmUntil else { return }
        if until > clock.nowMilliseconds() {
            scheduleWarmCheck(at: until)
            return
        }
        warmUntil = nil
        stopSourceIfIdle()
    }

    // MARK: - Format

    /// Takes `new` from the next frame on; true when the size changed under a made source: the old
    /// source went, one for `new` came (started if the old one was), and what was shown is stale.
    /// A new rate starts a new pacing stretch now: the next frame is one new interval away.
    func setFormat(_ new: VideoFormat) -> Bool {
        let old = format
        format = new
        guard old != new, let made else { return false }  // no source yet: it is made for `new`
        if new.framesPerSecond != old.framesPerSecond, running {
            let now = clock.nowMilliseconds()
            pacing = FramePacing(startMilliseconds: now, framesPerSecond: new.framesPerSecond)
            planTick(at: pacing.next(now: now))
        }
        guard new.size != old.size else { return false }
        let wasStarted = sourceStarted
        if wasStarted {
            sourceStarted = false
            made.stop()
        }
        self.made = makeSource(new)
        if wasStarted { _ = startSource() }
        return true
    }

    // MARK: - Pacing

    /// Starts pacing from now; the caller runs the first frame at once.
    func startRunning() {
        running = true
        pacing = FramePacing(startMilliseconds: clock.nowMilliseconds(), framesPerSecond: format.framesPerSecond)
    }

    func stopRunning() {
        running = false
        cancelTick()
    }

    /// Plans the frame after the one just made.
    func planNextTick() { planTick(at: pacing.next(now: clock.nowMilliseconds())) }

    /// The next frame at `due`, in place of any other planned (a timer already on its way is void).
    private func planTick(at due: Int64) {
        let generation = cancelTick()
        let this = NIOLoopBound(self, eventLoop: loop)
        scheduled = clock.schedule(atMilliseconds: due, on: loop) {
            let driver = this.value
            guard driver.tickGeneration == generation, driver.running else { return }
            driver.onTick()
        }
    }

    /// Cancels the planned frame; the new plan's number.
    @discardableResult
    private func cancelTick() -> UInt64 {
        scheduled?.cancel()
        scheduled = nil
        tickGeneration &+= 1
        return tickGeneration
    }

    // MARK: - Pictures

    /// The next frame as `health` says (never called offline), after `latest`: the source's
    /// picture, the black picture or the NO SIGNAL card, or (`frozen`) `latest` again as a new
    /// frame. Nil when the source has nothing new or handed over a broken JPEG (counted).
    func nextPicture(_ health: CameraHealth, after latest: SourcePicture?) throws -> NextPicture? {
        let number = frameNumber + 1
        let time = clock.nowMilliseconds()
        if health == .frozen, let latest {
            frameNumber = number
            framesProduced += 1
            return .repeated(
                latest.repeated(sequence: number, framesPerSecond: format.framesPerSecond, producedAt: time))
        }
        let made: SourceFrame
        switch health {
        case .live, .frozen, .offline:  // frozen before any picture: take one first
            guard let frame = try source.nextFrame(number: number, timeMilliseconds: time) else { return nil }
            made = frame
        case .black:
            made = .pixels(blackImage())
        case .noSignal:
            made = .pixels(noSignalCard().render(frameNumber: UInt32(truncatingIfNeeded: number)))
        }
        let stamp = FrameStamp(sequence: number, timeMilliseconds: time, framesPerSecond: format.framesPerSecond)
        let picture: SourcePicture
        switch made {
        case .pixels(let image):
            picture = SourcePicture(image: image, jpeg: nil, size: image.size, stamp: stamp, producedAt: time)
        case .jpeg(let bytes, let size):
            guard let whole = checkedJPEG(bytes) else { return nil }
            picture = SourcePicture(image: nil, jpeg: whole, size: size, stamp: stamp, producedAt: time)
        }
        frameNumber = number
        framesProduced += 1
        return .new(picture)
    }

    /// The JPEG up to its EOI (padding trimmed), or nil (counted, and the reason kept) when broken.
    private func checkedJPEG(_ bytes: [UInt8]) -> [UInt8]? {
        do {
            let length = try JPEGIntegrity.jpegLength(bytes)
            return length == bytes.count ? bytes : Array(bytes[..<length])
        } catch {
            lastError = "the source's JPEG \(error)"
            jpegsDropped += 1
            return nil
        }
    }

    /// Video black (Y 16, neutral chroma) of the native size, made once per size.
    private func blackImage() -> I420Image {
        if let black, black.size == format.size { return black }
        let image = I420Image(size: format.size, fillY: 16, fillU: 128, fillV: 128)
        black = image
        return image
    }

    private func noSignalCard() -> NoSignalCard {
        if let card, card.size == format.size { return card }
        let made = NoSignalCard(size: format.size)
        card = made
        return made
    }
}

/// What the driver made for a frame's turn.
enum NextPicture {
    /// A new picture.
    case new(SourcePicture)
    /// The previous picture again, as a new frame (a frozen camera).
    case repeated(SourcePicture)
}
