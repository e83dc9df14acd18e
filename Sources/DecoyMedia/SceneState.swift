/// Everything the synthetic camera shows in one frame.
///
/// A pure value, so the emulator's camera model (PTZ motors, LED, clock) can own it and the renderer stays a
/// function of it: the same state always produces the same pixels, which makes frames testable.
public struct SceneState: Sendable, Equatable {
    /// Monotonic frame counter; drawn as `#123` and encoded in the frame-id strip (low 32 bits).
    public var frameNumber: UInt64
    /// Unix time in milliseconds from the emulator's injected clock; drives the time text and moving object.
    public var timeMilliseconds: Int64
    /// Offset of the configured time zone, so the time text shows local time like a real camera's overlay.
    public var utcOffsetSeconds: Int
    /// Where the pan/tilt/zoom head points and the lens settings.
    public var viewport: Viewport
    /// Infrared/white LED state, shown as brightness and an indicator.
    public var led: LEDMode
    /// Draws a box that moves with time, so motion detection has something to detect.
    public var movingObject: Bool
    /// People, vehicles, pets and faces crossing the view (drawn only while active at `timeMilliseconds`), so an
    /// emulated detection event and the pixels tell the same story.
    public var objects: [SceneObject]

    /// Creates a state; the defaults are the camera at rest at the epoch with nothing in view.
    public init(
        frameNumber: UInt64 = 0, timeMilliseconds: Int64 = 0, utcOffsetSeconds: Int = 0,
        viewport: Viewport = .home, led: LEDMode = .off, movingObject: Bool = false, objects: [SceneObject] = []
    ) {
        self.frameNumber = frameNumber
        self.timeMilliseconds = timeMilliseconds
        self.utcOffsetSeconds = utcOffsetSeconds
        self.viewport = viewport
        self.led = led
        self.movingObject = movingObject
        self.objects = objects
    }
}

/// Position of the PTZ head and lens settings, in normalised units so the emulator's motor model does not need
/// to know the frame size.
public struct Viewport: Sendable, Equatable, Hashable {
    /// Maximum optical zoom: at 4 the view shows a quarter of the width it shows at 1.
    public static let maxZoom = 4.0
    /// Centred, widest, sharp, normal exposure: where a camera's "home" preset points.
    public static let home = Viewport()

    /// -1...1; +1 puts the view at the right edge of the scene.
    public var pan: Double
    /// -1...1; +1 puts the view at the top edge of the scene.
    public var tilt: Double
    /// 1...`maxZoom`; 1 is the widest view.
    public var zoom: Double
    /// 0...1; 0.5 is sharp, the farther from 0.5 the blurrier.
    public var focus: Double
    /// 0...1; 0.5 is normal exposure, lower is darker, higher is brighter.
    public var iris: Double

    /// Creates a viewport; values outside their ranges are accepted and clamped when rendered (`clamped`).
    public init(pan: Double = 0, tilt: Double = 0, zoom: Double = 1, focus: Double = 0.5, iris: Double = 0.5) {
        self.pan = pan
        self.tilt = tilt
        self.zoom = zoom
        self.focus = focus
        self.iris = iris
    }

    /// The same viewport with every value forced into its range (NaN becomes the home value), so a motor
    /// model that overshoots can never move the view outside the scene.
    public var clamped: Viewport {
        Viewport(
            pan: Self.clamp(pan, -1...1, home: 0), tilt: Self.clamp(tilt, -1...1, home: 0),
            zoom: Self.clamp(zoom, 1...Self.maxZoom, home: 1), focus: Self.clamp(focus, 0...1, home: 0.5),
            iris: Self.clamp(iris, 0...1, home: 0.5))
    }

    private static func clamp(_ value: Double, _ range: ClosedRange<Double>, home: Double) -> Double {
        value.isNaN ? home : min(max(value, range.lowerBound), range.upperBound)
    }
}

/// State of the camera's LED (IR light), as tinyCam's `led` control sets it.
public enum LEDMode: String, Sendable, CaseIterable {
    /// Forced on: the scene is brighter and "LED ON" is shown.
    case on
    /// Forced off: no indicator.
    case off
    /// Camera decides; the renderer shows "LED AUTO" but does not change brightness, so frames stay
    /// independent of the time of day.
    case auto
}
