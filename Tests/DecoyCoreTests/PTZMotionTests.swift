import DecoyCore
import DecoyMedia
import Testing

/// Whether `a` and `b` agree to within rounding.
private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

@Suite("PTZMotion")
struct PTZMotionTests {
    let start: Int64 = 1_000_000

    @Test("pan at speed 100 moves half a unit per second to the right")
    func panSpeed() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: 100, tilt: 0), at: start)
        #expect(close(motion.position(at: start + 1000).pan, 0.5))
        #expect(close(motion.position(at: start + 500).pan, 0.25))
        #expect(close(motion.position(at: start + 1000).tilt, 0))
        #expect(motion.position(at: start + 1000).zoom == 1)
    }

    @Test("speed scales linearly and the sign gives the direction")
    func speedScaling() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: -50, tilt: 20), at: start)
        let view = motion.position(at: start + 2000)
        #expect(close(view.pan, -0.5))
        #expect(close(view.tilt, 0.2))
    }

    @Test("pan and tilt stop at ±1")
    func panTiltClamp() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: 100, tilt: -100), at: start)
        let later = motion.position(at: start + 60_000)
        #expect(later.pan == 1)
        #expect(later.tilt == -1)
        // Reversing from the limit starts at the limit, not at the unclamped value.
        motion.apply(.continuousPanTilt(pan: -100, tilt: 100), at: start + 60_000)
        let back = motion.position(at: start + 61_000)
        #expect(close(back.pan, 0.5))
        #expect(close(back.tilt, -0.5))
    }

    @Test("zoom runs at 0.75 per second and stays within 1...4")
    func zoomClamp() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousZoom(100), at: start)
        #expect(close(motion.position(at: start + 2000).zoom, 2.5))
        #expect(motion.position(at: start + 10_000).zoom == 4)
        motion.apply(.continuousZoom(-100), at: start + 10_000)
        #expect(close(motion.position(at: start + 12_000).zoom, 2.5))
        #expect(motion.position(at: start + 30_000).zoom == 1)
    }

    @Test("zooming out at the widest view stays at 1")
    func zoomOutAtMinimum() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousZoom(-100), at: start)
        #expect(motion.position(at: start + 5000).zoom == 1)
        #expect(!motion.isMoving(at: start + 5000))
    }

    @Test("focus and iris move within 0...1 from their middle")
    func focusAndIris() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousFocus(100), at: start)
        motion.apply(.continuousIris(-100), at: start)
        let view = motion.position(at: start + 1000)
        #expect(close(view.focus, 0.75))
        #expect(close(view.iris, 0.25))
        let later = motion.position(at: start + 10_000)
        #expect(later.focus == 1)
        #expect(later.iris == 0)
    }

    @Test("0,0 stops pan and tilt where they are")
    func stop() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: 100, tilt: 100), at: start)
        motion.apply(.continuousPanTilt(pan: 0, tilt: 0), at: start + 1000)
        #expect(close(motion.position(at: start + 1000).pan, 0.5))
        #expect(close(motion.position(at: start + 9000).pan, 0.5))
        #expect(close(motion.position(at: start + 9000).tilt, 0.5))
        #expect(!motion.isMoving(at: start + 9000))
    }

    @Test("zoom 0 stops only the zoom")
    func stopZoomOnly() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: 100, tilt: 0), at: start)
        motion.apply(.continuousZoom(100), at: start)
        motion.apply(.continuousZoom(0), at: start + 1000)
        let view = motion.position(at: start + 2000)
        #expect(close(view.zoom, 1.75))
        #expect(close(view.pan, 1.0))
    }

    @Test("home returns to the home position and stops every axis")
    func home() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: 100, tilt: 50), at: start)
        motion.apply(.continuousZoom(100), at: start)
        motion.apply(.home, at: start + 1500)
        #expect(motion.position(at: start + 1500) == .home)
        #expect(motion.position(at: start + 5000) == .home)
        #expect(!motion.isMoving(at: start + 5000))
    }

    @Test("combined pan, tilt and zoom integrate independently")
    func combined() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: 100, tilt: -100), at: start)
        motion.apply(.continuousZoom(100), at: start)
        let view = motion.position(at: start + 1000)
        #expect(close(view.pan, 0.5))
        #expect(close(view.tilt, -0.5))
        #expect(close(view.zoom, 1.75))
    }

    @Test("a new speed continues from where the previous one brought the camera")
    func changeOfSpeed() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: 100, tilt: 0), at: start)
        motion.apply(.continuousPanTilt(pan: -100, tilt: 0), at: start + 1000)
        #expect(close(motion.position(at: start + 1500).pan, 0.25))
        #expect(close(motion.position(at: start + 3000).pan, -0.5))
    }

    @Test("times before the last command give the position at that command")
    func timeBeforeAnchor() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: 100, tilt: 0), at: start)
        #expect(motion.position(at: start - 5000) == .home)
    }

    @Test("moveTo jumps to a position and stops")
    func moveTo() {
        var motion = PTZMotion(at: start)
        motion.apply(.continuousPanTilt(pan: 100, tilt: 0), at: start)
        let target = Viewport(pan: -0.3, tilt: 0.4, zoom: 2, focus: 0.6, iris: 0.7)
        motion.moveTo(target, at: start + 500)
        #expect(motion.position(at: start + 500) == target)
        #expect(motion.position(at: start + 9000) == target)
    }

    @Test("isMoving is true while an axis moves and false once it reaches its limit")
    func isMoving() {
        var motion = PTZMotion(at: start)
        #expect(!motion.isMoving(at: start))
        motion.apply(.continuousPanTilt(pan: 100, tilt: 0), at: start)
        #expect(motion.isMoving(at: start))
        #expect(motion.isMoving(at: start + 1500))
        #expect(!motion.isMoving(at: start + 2000))
        #expect(!motion.isMoving(at: start + 10_000))
    }
}
