/// A change of a camera's motion state, as reported by `MotionTrigger`.
public enum MotionTransition: Sendable, Equatable, Hashable {
    /// Motion began: the time of the first frame of the run that confirmed it, so a recording can start where
    /// the motion really started rather than `minimumActiveFrames` later.
    case started(atMilliseconds: Int64)
    /// Motion is over: the time of the last frame that still had motion, so the event covers exactly the motion
    /// seen; it is reported only once `cooldownMilliseconds` have passed without motion.
    case ended(atMilliseconds: Int64)
}

/// Turns per-frame motion flags into motion events: an event starts after `minimumActiveFrames` frames with
/// motion in a row (one noisy frame is not an event) and ends after `cooldownMilliseconds` without motion (a
/// person pausing for a moment does not split one event into many).
///
/// A pure value with no clock of its own: the caller passes each frame's time, so tests drive it frame by frame
/// and the emulator's injected clock decides everything.
public struct MotionTrigger: Sendable, Equatable {
    /// Frames with motion in a row needed to start an event (at least 1).
    public let minimumActiveFrames: Int
    /// Time without motion after which an event ends (not negative).
    public let cooldownMilliseconds: Int64
    /// Whether an event is under way.
    public private(set) var isActive = false

    /// Frames with motion in the current run while idle.
    private var run = 0
    /// Time of the first frame of the current run while idle.
    private var runStart: Int64 = 0
    /// Time of the latest frame with motion while active.
    private var lastMotion: Int64 = 0

    /// Creates an idle trigger; out-of-range values are raised to the nearest valid one (1 frame, 0 ms).
    public init(minimumActiveFrames: Int = 2, cooldownMilliseconds: Int64 = 3000) {
        self.minimumActiveFrames = max(1, minimumActiveFrames)
        self.cooldownMilliseconds = max(0, cooldownMilliseconds)
    }

    /// Feeds one analysed frame and returns the transition it causes, if any. Times should not go backwards; if
    /// they do (a clock jump), the cooldown counts from the earlier time instead of ending the event at once or
    /// never.
    public mutating func update(isMotion: Bool, atMilliseconds time: Int64) -> MotionTransition? {
        if isActive {
            if isMotion || time < lastMotion {
                lastMotion = time
                return nil
            }
            let (quiet, overflow) = time.subtractingReportingOverflow(lastMotion)
            guard overflow || quiet >= cooldownMilliseconds else { return nil }
            isActive = false
            run = 0
            return .ended(atMilliseconds: lastMotion)
        }
        guard isMotion else {
            run = 0
            return nil
        }
        if run == 0 { runStart = time }
        run += 1
        guard run >= minimumActiveFrames else { return nil }
        isActive = true
        lastMotion = time
        return .started(atMilliseconds: runStart)
    }
}
