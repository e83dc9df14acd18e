import DecoyMedia

/// Where a camera's pictures come from: the synthetic renderer, or a V4L2 webcam (DecoyDevices).
///
/// A source is pulled by its camera's `FrameHub` on the hub's media event loop, at the camera's
/// frame rate and only while someone needs frames, so an unwatched camera costs nothing. A push
/// device (a webcam's capture thread) implements `nextFrame` by handing over its newest capture
/// without waiting: reads must never block the media loop, which other cameras share.
/// Non-`Sendable` on purpose: it is created and used on one thread only.
public protocol VideoSource: AnyObject {
    /// The largest picture the source delivers; clients may ask for smaller ones.
    var nativeSize: PixelSize { get }
    /// Native frame rate.
    var framesPerSecond: Int { get }
    /// Whether the source has a picture to give; the hub shows the NO SIGNAL card otherwise. Read
    /// once per frame. Defaults to `.live` (a synthetic source always has one).
    var health: VideoSourceHealth { get }
    /// Demand appeared: open devices, start capture.
    func start() throws
    /// Demand is gone: release devices.
    func stop()
    /// The frame to show as number `number` at `timeMilliseconds`, or nil when nothing new is ready.
    /// Sources that hand over encoded JPEGs implement `nextFrame` instead and may return nil here.
    func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image?
    /// The frame to show, as pixels or as the device's own JPEG (passed through to viewers who ask
    /// for the native picture); nil when nothing new is ready (the hub then repeats nothing).
    /// Defaults to `frame(number:timeMilliseconds:)` as pixels.
    func nextFrame(number: UInt64, timeMilliseconds: Int64) throws -> SourceFrame?
}

extension VideoSource {
    public var health: VideoSourceHealth { .live }

    public func nextFrame(number: UInt64, timeMilliseconds: Int64) throws -> SourceFrame? {
        try frame(number: number, timeMilliseconds: timeMilliseconds).map(SourceFrame.pixels)
    }
}

/// One picture from a source: pixels, or a JPEG exactly as the device made it. The hub decodes a
/// JPEG only when something needs pixels (a scaled or re-compressed variant, the motion detector,
/// the recorder), so an MJPEG webcam's own frames reach native-size viewers unchanged.
public enum SourceFrame: Sendable {
    case pixels(I420Image)
    /// `size` is what the device negotiated; the bytes are checked (`JPEGIntegrity`) by the hub.
    case jpeg([UInt8], size: PixelSize)

    /// The picture size, without decoding.
    public var size: PixelSize {
        switch self {
        case .pixels(let image): image.size
        case .jpeg(_, let size): size
        }
    }
}

/// What a source says about its input: one model with `CameraHealth`, which the hub derives
/// from it when no scenario forces a state (`cameraHealth`).
public enum VideoSourceHealth: String, Sendable, CaseIterable {
    /// Frames are coming.
    case live
    /// The device is absent or failed (unplugged, missing at start, no V4L2 support in this build).
    case noSignal
    /// The device went away and is being opened again (with backoff); still no picture.
    case reopening

    /// What the picture shows for this state: the NO SIGNAL card unless live.
    public var cameraHealth: CameraHealth { self == .live ? .live : .noSignal }
}

/// What a `VideoSourceFactory` gets to build a camera's source.
public struct VideoSourceRequest: Sendable {
    public let config: CameraConfig
    /// The size and rate to deliver: the config's, or what a scenario changed them to.
    public let format: VideoFormat
    /// For a frame number and time, what a synthetic picture shows (PTZ, LED, clock, objects).
    public let scene: @Sendable (UInt64, Int64) -> SceneState

    public init(
        config: CameraConfig, format: VideoFormat? = nil, scene: @escaping @Sendable (UInt64, Int64) -> SceneState
    ) {
        self.config = config
        self.format = format ?? VideoFormat(size: config.resolution, framesPerSecond: config.fps)
        self.scene = scene
    }
}

/// Makes a camera's `VideoSource` from its configuration, on the camera's media loop when frames are
/// first needed. Injected (through `CameraRegistry` and `DecoyRuntime`) so DecoyCore stays free of
/// device code: the `decoy` command passes one that opens V4L2 devices, tests and embedders get
/// `VideoSources.synthetic`.
public typealias VideoSourceFactory = @Sendable (VideoSourceRequest) -> any VideoSource

public enum VideoSources {
    /// Synthetic pictures; a `v4l2` camera shows NO SIGNAL, as a build without device support has no
    /// way to capture.
    public static let synthetic: VideoSourceFactory = { request in
        let config = request.config
        switch config.source {
        case .synthetic:
            return SyntheticVideoSource(
                cameraName: config.name, size: request.format.size, fps: request.format.framesPerSecond,
                seed: config.seed, scene: request.scene)
        case .v4l2:
            return UnavailableVideoSource(size: request.format.size, fps: request.format.framesPerSecond)
        }
    }
}

/// A source with no picture (`health` is `.noSignal`): what a device camera gets where devices
/// cannot be opened, so the camera still serves the NO SIGNAL card.
public final class UnavailableVideoSource: VideoSource {
    public let nativeSize: PixelSize
    public let framesPerSecond: Int
    public var health: VideoSourceHealth { .noSignal }

    public init(size: PixelSize, fps: Int) {
        self.nativeSize = size
        self.framesPerSecond = fps
    }

    public func start() throws {}
    public func stop() {}
    public func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? { nil }
}

/// The synthetic camera: a deterministic picture of the camera's current state.
public final class SyntheticVideoSource: VideoSource {
    public let nativeSize: PixelSize
    public let framesPerSecond: Int
    private let renderer: SyntheticRenderer
    private let scene: @Sendable (UInt64, Int64) -> SceneState

    /// `scene` tells, for a frame number and time, what the picture shows (PTZ, LED, clock).
    public init(
        cameraName: String, size: PixelSize, fps: Int, seed: UInt64,
        scene: @escaping @Sendable (UInt64, Int64) -> SceneState
    ) {
        self.nativeSize = size
        self.framesPerSecond = fps
        self.renderer = SyntheticRenderer(cameraName: cameraName, size: size, seed: seed)
        self.scene = scene
    }

    public func start() throws {}
    public func stop() {}

    public func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? {
        renderer.render(scene(number, timeMilliseconds))
    }
}
