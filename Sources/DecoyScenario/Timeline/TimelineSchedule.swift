/// Which timeline steps are due when: a pure state machine (no clock, no tasks), so every timing
/// rule is tested without waiting.
///
/// Times are milliseconds since t = 0. Successors are scheduled from a step's *scheduled* time, not
/// from when the driver got round to it, so a late wake-up never shifts the rest of the timeline.
public struct TimelineSchedule: Sendable {
    /// One step occurrence that is due.
    public struct Firing: Sendable, Equatable {
        /// Index into the timeline.
        public var step: Int
        /// 1 for the first firing; `every:` steps count up.
        public var occurrence: Int
        public var scheduledMilliseconds: Int64

        public init(step: Int, occurrence: Int, scheduledMilliseconds: Int64) {
            self.step = step
            self.occurrence = occurrence
            self.scheduledMilliseconds = scheduledMilliseconds
        }
    }

    private let steps: [TimelineStep]
    /// When each step is next due; nil while it waits for another step, or when it is done.
    private var due: [Int64?]
    private var fired: [Int]

    public init(steps: [TimelineStep]) {
        self.steps = steps
        self.fired = Array(repeating: 0, count: steps.count)
        self.due = steps.map { step in
            switch step.timing {
            case .at(let time): time
            case .after: nil
            case .every(let interval, let until, _): until.map { interval <= $0 } ?? true ? interval : nil
            }
        }
    }

    /// The earliest time something is due; nil when nothing will ever fire again.
    public var nextDueMilliseconds: Int64? { due.compactMap { $0 }.min() }

    /// Every occurrence due at or before `elapsed`, in time order (ties in timeline order),
    /// including `after:` successors that fall due meanwhile.
    public mutating func fire(upTo elapsed: Int64) -> [Firing] {
        var firings: [Firing] = []
        while let index = nextIndex(upTo: elapsed), let time = due[index] {
            fired[index] += 1
            firings.append(Firing(step: index, occurrence: fired[index], scheduledMilliseconds: time))
            due[index] = following(index, after: time)
            if fired[index] == 1, let id = steps[index].id { release(successorsOf: id, firedAt: time) }
        }
        return firings
    }

    private func nextIndex(upTo elapsed: Int64) -> Int? {
        var best: Int?
        for (index, time) in due.enumerated() {
            guard let time, time <= elapsed else { continue }
            if let current = best, let bestTime = due[current], bestTime <= time { continue }
            best = index
        }
        return best
    }

    /// The next occurrence of an `every:` step, within its `until:` and `times:`.
    private func following(_ index: Int, after time: Int64) -> Int64? {
        guard case .every(let interval, let until, let times) = steps[index].timing else { return nil }
        let next = time + interval
        if let until, next > until { return nil }
        if let times, fired[index] >= times { return nil }
        return next
    }

    private mutating func release(successorsOf id: String, firedAt time: Int64) {
        for (index, step) in steps.enumerated() {
            if case .after(let target, let delay) = step.timing, target == id, fired[index] == 0, due[index] == nil {
                due[index] = time + delay
            }
        }
    }
}
