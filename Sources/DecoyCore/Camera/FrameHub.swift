import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore

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
///
/// Concurrency: this type is the thread-safe front. Everything it changes lives on `mediaLoop`
/// (`FramePipeline` in a `NIOLoopBoundBox`: the `FrameSourceDriver` that runs the source, the
/// `VariantCache` of the newest frame's variants, the `FrameFanOut` of subscribers), and every
/// request, `subscribe` and `unsubscribe` included, is queued there, so frames see one consistent
/// state and take no lock of their own. What other threads read (`status`: counters, health,
/// format) is published by the loop after each piece of work into one `NIOLockedValueBox` holding
/// an immutable `FrameHubStatus`, which readers copy (only a forced health is published at once, by
/// `setHealth` itself, so the API answers as a scenario said from that moment on).
public final class FrameHub: Sendable {
    public let mediaLoop: any EventLoop
    /// How long a source started for a snapshot keeps capturing after it (when nobody streams), in
    /// clock time (like every wait of the hub: frames follow the injected clock, virtual or real).
    public static let warmPeriod: TimeAmount = .seconds(10)
    /// How long a snapshot waits for a started source's first frame, in clock time.
    public static let firstFrameTimeout: TimeAmount = .seconds(3)
    private let clock: any DecoyClock
    private let published: NIOLockedValueBox<FrameHubStatus>
    /// Internal for the H.264 requests (`FrameHub+H264.swift`).
    let pipeline: NIOLoopBoundBox<FramePipeline>

    /// `makeSource` is called on `mediaLoop` when frames are first needed, and again for each new
    /// size `setFormat` sets (with the format the source must deliver).
    public init(
        nativeSize: PixelSize, framesPerSecond: Int, mediaLoop: any EventLoop, clock: any DecoyClock,
        makeSource: @escaping @Sendable (VideoFormat) -> any VideoSource
    ) {
        let format = VideoFormat(size: nativeSize, framesPerSecond: framesPerSecond)
        let published = NIOLockedValueBox(FrameHubStatus(format: format))
        self.mediaLoop = mediaLoop
        self.clock = clock
        self.published = published
        self.pipeline = .makeBoxSendingValue(
            FramePipeline(format: format, loop: mediaLoop, clock: clock, status: published, makeSource: makeSource),
            eventLoop: mediaLoop)
    }

    /// Everything other threads may know about the hub, as of its last piece of work (one copy).
    public var status: FrameHubStatus { published.withLockedValue { $0 } }

    /// The native size and rate now (the config's, until `setFormat` changes them).
    public var format: VideoFormat { status.format }
    public var nativeSize: PixelSize { format.size }
    public var framesPerSecond: Int { format.framesPerSecond }

    /// One frame interval.
    public var frameInterval: TimeAmount { .nanoseconds(1_000_000_000 / Int64(framesPerSecond)) }

    /// Frames produced and variants encoded so far, and whether the hub is running (for status and tests).
    public var counts: FrameHubCounters { status.counts }

    /// What the frames show now: the forced health, or the source's when none is forced (see the type).
    public var health: CameraHealth { status.health }

    /// What the source said about its input when last asked (once per frame while running).
    public var sourceHealth: VideoSourceHealth { status.sourceHealth }

    /// Changes the native size, the rate or both (nil keeps it) from the next frame on, without
    /// ending any stream (a scenario's `camera` step with `resolution:` or `fps:`).
    ///
    /// A new size stops the source and makes one for the new size (a device renegotiates; what the
    /// old one showed is forgotten, so a snapshot waits for the new picture); viewers of
    /// `followsNative` variants get frames of the new size, others keep theirs (scaled from the new
    /// picture). A new rate starts a new pacing stretch now: the next frame is one new interval away.
    public func setFormat(size: PixelSize? = nil, framesPerSecond: Int? = nil) {
        // Changed on the loop, between two frames, so a frame is made, encoded and paced in one format.
        mediaLoop.execute { self.pipeline.value.setFormat(size: size, framesPerSecond: framesPerSecond) }
    }

    /// Forces what the frames show from the next frame on (a scenario's `camera` step); `live` lifts
    /// the force, so the source's own state applies again. Going offline ends the streams at once.
    /// `health` reads the new value as soon as this returns.
    public func setHealth(_ health: CameraHealth) {
        published.withLockedValue { $0 = $0.forcing(health) }
        mediaLoop.execute { self.pipeline.value.setHealth(health) }
    }

    /// Says that what the picture shows changed (the LED), so a snapshot asked for after this
    /// returns draws a new frame: a client that sets the LED and then takes a snapshot sees it.
    public func sceneChanged() {
        mediaLoop.execute { self.pipeline.value.sceneChanged() }
    }

    /// Starts delivering frames of `variant` to `subscriber`; the newest frame is delivered at once when fresh.
    public func subscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        mediaLoop.execute { self.pipeline.value.subscribe(subscriber, variant: variant) }
    }

    /// Stops the deliveries to `subscriber` from the next frame on (the media loop may be handing it
    /// the current one while this is queued).
    public func unsubscribe(_ subscriber: any FrameSubscriber, variant: FrameVariant) {
        mediaLoop.execute { self.pipeline.value.unsubscribe(subscriber, variant: variant) }
    }

    /// Starts handing every produced frame to `observer`; the hub runs while any observer is attached,
    /// even with no viewer (that is the whole idle cost of motion detection).
    public func addObserver(_ observer: any FrameObserver) {
        mediaLoop.execute { self.pipeline.value.addObserver(observer) }
    }

    public func removeObserver(_ observer: any FrameObserver) {
        mediaLoop.execute { self.pipeline.value.removeObserver(observer) }
    }

    /// The newest frame of `variant`: reused when fresh, otherwise produced now (an idle camera's
    /// source is started and its first frame awaited, up to `firstFrameTimeout`).
    public func snapshot(_ variant: FrameVariant) -> EventLoopFuture<EncodedFrame> {
        mediaLoop.flatSubmit {
            self.pipeline.value.snapshot(
                variant, giveUpAt: self.clock.nowMilliseconds() + Self.firstFrameTimeout.nanoseconds / 1_000_000)
        }
    }

    /// Stops producing frames (server shutdown).
    public func shutdown() {
        mediaLoop.execute { self.pipeline.value.shutdown() }
    }
}
