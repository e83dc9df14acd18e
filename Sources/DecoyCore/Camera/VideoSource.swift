import DecoyMedia

/// Where a camera's pictures come from: the synthetic renderer now, V4L2 webcams and JPEG folders later.
///
/// A source is pulled by its camera's `FrameHub` on the hub's media event loop, at the camera's
/// frame rate and only while someone needs frames, so an unwatched camera costs nothing. A push
/// device (a webcam's capture thread) implements `frame` by handing over its newest capture.
/// Non-`Sendable` on purpose: it is created and used on one thread only.
public protocol VideoSource: AnyObject {
    /// The largest picture the source delivers; clients may ask for smaller ones.
    var nativeSize: PixelSize { get }
    /// Native frame rate.
    var framesPerSecond: Int { get }
    /// Demand appeared: open devices, start capture.
    func start() throws
    /// Demand is gone: release devices.
    func stop()
    /// The frame to show as number `number` at `timeMilliseconds`, or nil when nothing new is ready.
    func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image?
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
