/// Deterministic synthetic camera: turns a `SceneState` into an I420 frame.
///
/// The world (see `WorldBuilder`) is built once per renderer. The background — the viewport resampled from
/// the world with iris/LED/focus applied and the static overlays drawn — is cached and rebuilt only when the
/// viewport or LED mode changes. Each frame is then a copy of that background plus the small per-frame items
/// (moving object, scene objects, clock, counter, frame-id strip), which keeps steady-state rendering well under
/// the cost of JPEG encoding. Not `Sendable` because it owns these caches: use one renderer per camera on one thread.
public final class SyntheticRenderer {
    /// Name drawn in the top-left corner.
    public let cameraName: String
    /// Size of every rendered frame.
    public let size: PixelSize
    /// Seed of the world's landmarks and texture; two renderers with the same seed draw the same frames.
    public let seed: UInt64
    /// How many times the background has been rebuilt; lets tests and diagnostics confirm the cache works.
    public private(set) var backgroundRenderCount = 0

    private let world: I420Image
    private let overlay: OverlayPainter
    private var background: I420Image
    private var backgroundKey: BackgroundKey?

    /// What the cached background depends on.
    private struct BackgroundKey: Equatable {
        var viewport: Viewport
        var led: LEDMode
    }

    /// Builds the world for frames of `size` (at least 2x2). This costs tens of milliseconds at 1080p, so
    /// create renderers once, not per request.
    public init(cameraName: String, size: PixelSize, seed: UInt64) {
        precondition(size.width >= 2 && size.height >= 2, "SyntheticRenderer needs at least 2x2 pixels")
        self.cameraName = cameraName
        self.size = size
        self.seed = seed
        world = WorldBuilder.build(viewSize: size, seed: seed)
        overlay = OverlayPainter(size: size, cameraName: cameraName)
        background = I420Image(size: size)
    }

    /// Renders one frame. Same renderer configuration and same state give byte-identical frames.
    public func render(_ state: SceneState) -> I420Image {
        let key = BackgroundKey(viewport: state.viewport.clamped, led: state.led)
        if key != backgroundKey { rebuildBackground(for: key) }
        var frame = background
        if state.movingObject { MovingObject.draw(atMilliseconds: state.timeMilliseconds, into: &frame) }
        for object in state.objects {
            SceneObjectPainter.draw(object, atMilliseconds: state.timeMilliseconds, into: &frame)
        }
        overlay.drawDynamic(state, into: &frame)
        FrameID.draw(UInt32(truncatingIfNeeded: state.frameNumber), into: &frame)
        return frame
    }

    private func rebuildBackground(for key: BackgroundKey) {
        let window = ViewWindow(viewport: key.viewport, world: world.size, view: size)
        let curve = LensEffects.toneCurve(iris: key.viewport.iris, led: key.led)
        ViewportSampler.sample(world: world, window: window, into: &background, curve: curve)
        let radius = LensEffects.blurRadius(focus: key.viewport.focus, height: size.height)
        if radius > 0 {
            let planeSize = size
            background.bytes.withUnsafeMutableBufferPointer { buffer in
                LensEffects.boxBlur(buffer.baseAddress!, size: planeSize, radius: radius)
            }
        }
        overlay.drawStatic(led: key.led, into: &background)
        backgroundKey = key
        backgroundRenderCount += 1
    }
}
