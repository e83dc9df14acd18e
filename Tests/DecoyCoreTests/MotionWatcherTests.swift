import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import Testing

/// The motion detector on a camera's frames, around PTZ moves: the moving picture is never motion,
/// not even the frame drawn just before a stop and checked just after it.
@Suite struct MotionWatcherTests {
    /// A watcher on 640x480 frames whose PTZ head says what `head` holds.
    private final class Rig {
        let clock = ManualClock()
        let activity: CameraActivity
        let head = NIOLockedValueBox(Viewport.home)
        let watcher: MotionWatcher
        let renderer = SyntheticRenderer(cameraName: "PTZ", size: PixelSize(width: 640, height: 480), seed: 3)
        var frameNumber: UInt64 = 0

        init() {
            activity = CameraActivity(cameraID: 1, clock: clock)
            var config = MotionDetectionConfig(enabled: true)
            config.cooldownSeconds = 1
            let head = self.head
            watcher = MotionWatcher(
                config: config, mask: SyntheticOverlay.dynamicRegions(for:), activity: activity,
                viewport: { _ in head.withLockedValue { $0 } })
        }

        /// One frame at 15 fps showing `drawn`, checked while the head reports `reported`.
        func frame(drawn: Viewport, reported: Viewport? = nil, movingObject: Bool = false) {
            frameNumber += 1
            let number = frameNumber
            let time = clock.nowMilliseconds() + Int64(number) * 1000 / 15
            head.withLockedValue { $0 = reported ?? drawn }
            let picture = renderer.render(
                SceneState(frameNumber: number, timeMilliseconds: time, viewport: drawn, movingObject: movingObject))
            watcher.observe(picture, sequence: number, timeMilliseconds: time)
        }

        var inMotion: Bool { activity.isActive(at: clock.nowMilliseconds()) }
    }

    @Test func aFrameDrawnBeforeAStopAndCheckedAfterItIsNotMotion() {
        let rig = Rig()
        for _ in 0..<10 { rig.frame(drawn: .home) }
        // Diagonally at full speed (a third of a unit per second, a frame's step 0.033) ...
        for step in 1...9 { rig.frame(drawn: Viewport(pan: Double(step) * 0.033, tilt: Double(step) * 0.033)) }
        // ... stopped while this frame was drawn: it shows the head 0.013 short of where it stopped
        // (learnt as the background, it made every following frame motion).
        let stopped = Viewport(pan: 0.3155, tilt: 0.3155)
        rig.frame(drawn: Viewport(pan: 0.3025, tilt: 0.3025), reported: stopped)
        for _ in 0..<10 { rig.frame(drawn: stopped) }
        #expect(!rig.inMotion, "the stop was taken for motion")

        // Still watching: something moving in the settled view is motion.
        for _ in 0..<15 { rig.frame(drawn: stopped, movingObject: true) }
        #expect(rig.inMotion, "the moving box after the stop")
    }
}
