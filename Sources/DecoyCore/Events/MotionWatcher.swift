import DecoyMedia
import NIOConcurrencyHelpers

/// Runs a camera's motion detector on every frame its hub produces and turns what it sees into
/// `motion` events of the camera's activity (so the flag, the recorder and the event list follow).
///
/// Lives on the hub's media loop (`FrameObserver`); the detector works on a coarse luma grid, so
/// this is the whole idle cost of a camera with detection on. While the PTZ head moves, the
/// picture changes everywhere: the detector relearns its background instead of reporting motion.
/// A frame counts as moved when the head's position at the frame's own time differs from the
/// previous frame's, and a moved frame is never learnt: a frame drawn just before a stop command
/// is often checked just after it, and asking "is the head moving now?" then learnt a picture of
/// a view the head had already left, so the next, still frame was motion.
public final class MotionWatcher: FrameObserver {
    private let activity: CameraActivity
    private let viewport: @Sendable (Int64) -> Viewport
    private let state: NIOLockedValueBox<State>

    private struct State: @unchecked Sendable {
        // The detector is a class used on the media loop only; the lock just makes that checkable.
        let detector: MotionDetector
        var trigger: MotionTrigger
        var event: EventHandle?
        /// Where the head pointed for the previous frame.
        var lastViewport: Viewport?
    }

    /// `viewport` says where the PTZ head points at a time (the frame's).
    public init(
        config: MotionDetectionConfig, mask: @escaping @Sendable (PixelSize) -> [PixelRect], activity: CameraActivity,
        viewport: @escaping @Sendable (Int64) -> Viewport
    ) {
        self.activity = activity
        self.viewport = viewport
        let detector = MotionDetector(
            settings: MotionSettings(sensitivity: config.sensitivity, minimumAreaPercent: config.minimumAreaPercent),
            mask: mask)
        self.state = NIOLockedValueBox(
            State(
                detector: detector,
                trigger: MotionTrigger(cooldownMilliseconds: Int64(config.cooldownSeconds * 1000)), event: nil))
    }

    public func observe(_ image: I420Image, sequence: UInt64, timeMilliseconds: Int64) {
        let view = viewport(timeMilliseconds)
        let activity = self.activity
        state.withLockedValue { state in
            if view != state.lastViewport {
                state.lastViewport = view
                state.detector.reset()
                return
            }
            let measurement = state.detector.analyze(image)
            activity.recordMotionScore(measurement.isMotion ? measurement.changedPercent : 0, sequence: sequence)
            switch state.trigger.update(isMotion: measurement.isMotion, atMilliseconds: timeMilliseconds) {
            case .started:
                state.event = activity.begin(.motion, origin: .detector)
            case .ended:
                if let event = state.event { activity.end(event) }
                state.event = nil
            case nil:
                break
            }
        }
    }
}
