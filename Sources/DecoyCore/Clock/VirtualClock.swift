import NIOConcurrencyHelpers
import NIOCore

/// A clock that starts at a fixed time and moves time itself: what makes a scenario run with
/// `clock: virtual` repeatable (same seed, same clock → same frames and the same journal).
///
/// Paces:
/// - `fast`: time jumps straight to the next timer as soon as the work fired before it has
///   finished (the work is run on its loop and awaited, then the next one is fired) and no task
///   holds the clock (`ClockHold`). A run takes as long as its work, not as its duration.
/// - `realSpeed`: time runs at rate 1 from the fixed start (a client command is attached and
///   lives in real time); timers are real timers, so ordering is as good as the machine's.
/// - `manual`: time only moves by `advance(by:)`, which fires what falls due (tests).
///
/// Only `sleep` inside a hold stops time while the woken task works; a task sleeping outside one
/// is woken and left to run while time moves on. Nothing moves time backwards.
public final class VirtualClock: DecoyClock {
    public enum Pace: String, Sendable {
        case fast
        case realSpeed
        case manual
    }

    /// 2020-09-29 12:06:04 UTC: the start of a virtual run unless told otherwise (as `ManualClock`'s).
    public static let defaultStartMilliseconds: Int64 = 1_601_381_164_000

    public let pace: Pace
    public let startMilliseconds: Int64
    private let realOrigin = NIODeadline.now()
    private let state: NIOLockedValueBox<State>

    private struct State {
        var now: Int64
        var timers = TimerQueue()
        /// Holds taken and not let go (asleep holds are not counted).
        var held = 0
        var holds: [UInt64: HoldPhase] = [:]
        var nextHold: UInt64 = 0
        /// Fired loop work not finished yet (0 or 1 in fast mode).
        var running = 0
        var stopped = false
        /// Sleeps cancelled before they were queued.
        var cancelledEarly: Set<UInt64> = []
    }

    private enum HoldPhase {
        case held, asleep
    }

    public init(startMilliseconds: Int64 = VirtualClock.defaultStartMilliseconds, pace: Pace) {
        self.startMilliseconds = startMilliseconds
        self.pace = pace
        self.state = NIOLockedValueBox(State(now: startMilliseconds))
    }

    public func nowMilliseconds() -> Int64 {
        if pace == .realSpeed { return startMilliseconds + (NIODeadline.now() - realOrigin).nanoseconds / 1_000_000 }
        return state.withLockedValue { $0.now }
    }

    public func schedule(
        atMilliseconds milliseconds: Int64, on loop: any EventLoop, _ work: @escaping @Sendable () -> Void
    ) -> ClockTimer {
        if pace == .realSpeed {
            return RealTimers.schedule(afterMilliseconds: milliseconds - nowMilliseconds(), on: loop, work)
        }
        let sequence: UInt64? = state.withLockedValue { state in
            guard !state.stopped else { return nil }
            let sequence = state.timers.reserve()
            state.timers.insert(.work(loop, work), due: max(milliseconds, state.now), sequence: sequence)
            return sequence
        }
        guard let sequence else { return .none }
        pump()
        return ClockTimer { [self] in _ = state.withLockedValue { $0.timers.remove(sequence) } }
    }

    public func sleep(untilMilliseconds milliseconds: Int64) async throws {
        if pace == .realSpeed {
            try await RealTimers.sleep(forMilliseconds: milliseconds - nowMilliseconds())
            return
        }
        let hold = ClockHold.current.flatMap { $0.clock === self ? $0.id : nil }
        let sequence = state.withLockedValue { $0.timers.reserve() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLockedValue { state in
                    if state.stopped || state.cancelledEarly.remove(sequence) != nil {
                        return .failure(CancellationError())
                    }
                    if milliseconds <= state.now { return .success(()) }
                    var asleep: UInt64?
                    if let hold, state.holds[hold] == .held {
                        state.holds[hold] = .asleep
                        state.held -= 1
                        asleep = hold
                    }
                    state.timers.insert(.sleeper(continuation, hold: asleep), due: milliseconds, sequence: sequence)
                    return nil
                }
                if let outcome {
                    continuation.resume(with: outcome)
                } else {
                    pump()
                }
            }
        } onCancel: {
            cancelSleep(sequence)
        }
    }

    public func hold() -> ClockHold {
        guard pace == .fast else { return .inert }
        let id = state.withLockedValue { state in
            state.nextHold += 1
            state.holds[state.nextHold] = .held
            state.held += 1
            return state.nextHold
        }
        return ClockHold(clock: self, id: id)
    }

    /// Moves a `manual` clock forward by `milliseconds`, firing what falls due on the way in time
    /// order, each at its own time (loop work is awaited, so work that schedules more within the
    /// step fires too; sleepers are woken and not awaited). Call it off the loops it fires on, or
    /// their work runs inline.
    public func advance(by milliseconds: Int64) {
        let target = state.withLockedValue { $0.now + max(0, milliseconds) }
        while let (due, entry) = state.withLockedValue({ $0.timers.popEarliest(upTo: target) }) {
            state.withLockedValue { $0.now = max($0.now, due) }
            switch entry {
            case .work(let loop, let work):
                if loop.inEventLoop { work() } else { try? loop.submit(work).wait() }
            case .sleeper(let continuation, _):
                continuation.resume()
            }
        }
        state.withLockedValue { $0.now = max($0.now, target) }
    }

    /// Ends the clock: pending timers are dropped, sleepers get `CancellationError`, and nothing
    /// is scheduled any more (the run is over; nothing may move its time again).
    public func stop() {
        let entries = state.withLockedValue { state in
            state.stopped = true
            return state.timers.removeAll()
        }
        for case .sleeper(let continuation, _) in entries { continuation.resume(throwing: CancellationError()) }
    }

    /// Timers and sleepers waiting (for tests and diagnostics).
    public var hasPendingTimers: Bool { state.withLockedValue { !$0.timers.isEmpty } }

    // MARK: - Holds and firing

    func release(_ hold: ClockHold) {
        state.withLockedValue { state in
            guard let phase = state.holds.removeValue(forKey: hold.id) else { return }
            if phase == .held { state.held -= 1 }
        }
        pump()
    }

    private func cancelSleep(_ sequence: UInt64) {
        let woken: CheckedContinuation<Void, any Error>? = state.withLockedValue { state in
            guard let entry = state.timers.remove(sequence) else {
                state.cancelledEarly.insert(sequence)
                return nil
            }
            guard case .sleeper(let continuation, let hold) = entry else { return nil }
            if let hold { retake(hold, in: &state) }
            return continuation
        }
        woken?.resume(throwing: CancellationError())
        pump()
    }

    private func retake(_ hold: UInt64, in state: inout State) {
        guard state.holds[hold] == .asleep else { return }
        state.holds[hold] = .held
        state.held += 1
    }

    private enum Firing {
        case work(any EventLoop, @Sendable () -> Void)
        case wake(CheckedContinuation<Void, any Error>)
    }

    /// Fast pace: fires the next timer when nothing runs and nothing holds the clock.
    private func pump() {
        guard pace == .fast else { return }
        while true {
            let firing: Firing? = state.withLockedValue { state in
                guard !state.stopped, state.held == 0, state.running == 0,
                    let (due, entry) = state.timers.popEarliest()
                else { return nil }
                state.now = max(state.now, due)
                switch entry {
                case .work(let loop, let work):
                    state.running += 1
                    return .work(loop, work)
                case .sleeper(let continuation, let hold):
                    if let hold { retake(hold, in: &state) }
                    return .wake(continuation)
                }
            }
            switch firing {
            case nil:
                return
            case .work(let loop, let work):
                loop.execute {
                    work()
                    // One more turn of the loop: what the work handed to it runs before the next timer.
                    loop.execute { self.finished() }
                }
                return
            case .wake(let continuation):
                continuation.resume()
            }
        }
    }

    private func finished() {
        state.withLockedValue { $0.running -= 1 }
        pump()
    }
}
