/// When a hub's next frame is due, in clock milliseconds: frame k of a stretch is due at
/// start + k·1000/fps (whole milliseconds, no drift at rates that do not divide 1000), so on a
/// virtual clock frame times are a function of the clock alone.
///
/// A hub that fell behind (a late loop) or whose clock stepped back or stands still (a wall-clock
/// step, a `ManualClock` with real-time timers) starts a new stretch one interval from now rather
/// than bursting to catch up or waiting for the clock to come back.
struct FramePacing {
    private var start: Int64
    private var index: Int64 = 0
    private let framesPerSecond: Int64

    init(startMilliseconds: Int64, framesPerSecond: Int) {
        self.start = startMilliseconds
        self.framesPerSecond = Int64(max(1, framesPerSecond))
    }

    /// The time the frame after the current one is due, given the clock reads `now`.
    mutating func next(now: Int64) -> Int64 {
        index += 1
        let due = start + index * 1000 / framesPerSecond
        let longest = (1000 + framesPerSecond - 1) / framesPerSecond
        guard due < now || due > now + longest else { return due }
        start = now
        index = 1
        return now + 1000 / framesPerSecond
    }
}
