import DecoyMedia
import Testing

@Suite("Motion trigger: per-frame flags become events")
struct MotionTriggerTests {
    /// Feeds `flags` one per 100 ms from time 0 and returns every transition with the frame index.
    func run(_ trigger: inout MotionTrigger, _ flags: [Bool], from start: Int64 = 0) -> [Int: MotionTransition] {
        var transitions: [Int: MotionTransition] = [:]
        for (index, flag) in flags.enumerated() {
            transitions[index] = trigger.update(isMotion: flag, atMilliseconds: start + Int64(index) * 100)
        }
        return transitions
    }

    @Test("no motion while idle changes nothing")
    func idleQuiet() {
        var trigger = MotionTrigger()
        #expect(run(&trigger, [false, false, false]).isEmpty)
        #expect(!trigger.isActive)
    }

    @Test("one frame of motion is not an event; two in a row start one at the first")
    func startNeedsRun() {
        var trigger = MotionTrigger()
        #expect(run(&trigger, [true, false, true, false]).isEmpty)
        #expect(run(&trigger, [true, true], from: 1000) == [1: .started(atMilliseconds: 1000)])
        #expect(trigger.isActive)
    }

    @Test("a minimum of one frame starts on the first motion frame")
    func singleFrameStart() {
        var trigger = MotionTrigger(minimumActiveFrames: 1)
        #expect(run(&trigger, [false, true]) == [1: .started(atMilliseconds: 100)])
    }

    @Test("the event ends once the cooldown passes without motion, dated at the last motion frame")
    func endAfterCooldown() {
        var trigger = MotionTrigger(minimumActiveFrames: 2, cooldownMilliseconds: 500)
        // Motion at 0-300 ms; quiet from 400 ms; 300 + 500 = 800 ms ends it.
        let flags = [true, true, true, true] + [Bool](repeating: false, count: 6)
        #expect(run(&trigger, flags) == [1: .started(atMilliseconds: 0), 8: .ended(atMilliseconds: 300)])
        #expect(!trigger.isActive)
    }

    @Test("motion during the cooldown keeps the event going")
    func motionExtends() {
        var trigger = MotionTrigger(minimumActiveFrames: 2, cooldownMilliseconds: 500)
        let flags = [true, true, false, false, false, true, false, false, false, false, false]
        #expect(run(&trigger, flags) == [1: .started(atMilliseconds: 0), 10: .ended(atMilliseconds: 500)])
    }

    @Test("after an event ends, a new one needs a new run")
    func restart() {
        var trigger = MotionTrigger(minimumActiveFrames: 2, cooldownMilliseconds: 0)
        let flags = [true, true, false, true, false, true, true]
        #expect(
            run(&trigger, flags) == [
                1: .started(atMilliseconds: 0), 2: .ended(atMilliseconds: 100), 6: .started(atMilliseconds: 500),
            ])
    }

    @Test("a clock jumping backwards neither ends the event at once nor keeps it forever")
    func clockJump() {
        var trigger = MotionTrigger(minimumActiveFrames: 1, cooldownMilliseconds: 1000)
        #expect(trigger.update(isMotion: true, atMilliseconds: 10_000) == .started(atMilliseconds: 10_000))
        #expect(trigger.update(isMotion: false, atMilliseconds: 2000) == nil)
        #expect(trigger.update(isMotion: false, atMilliseconds: 2900) == nil)
        #expect(trigger.update(isMotion: false, atMilliseconds: 3000) == .ended(atMilliseconds: 2000))
    }

    @Test("out-of-range parameters are raised to the nearest valid value")
    func clampedParameters() {
        let trigger = MotionTrigger(minimumActiveFrames: -4, cooldownMilliseconds: -1)
        #expect(trigger.minimumActiveFrames == 1)
        #expect(trigger.cooldownMilliseconds == 0)
        #expect(MotionTrigger().minimumActiveFrames == 2)
        #expect(MotionTrigger().cooldownMilliseconds == 3000)
    }
}
