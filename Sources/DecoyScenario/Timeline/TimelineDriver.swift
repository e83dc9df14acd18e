/// Runs a timeline on the run's clock: sleeps until the next due step, performs it and journals it.
/// All timing decisions are `TimelineSchedule`'s; this only waits and acts. On a virtual clock, run
/// it in a `ClockHold` (`clock.base.hold()` taken before its task starts) so steps happen exactly
/// at their times.
public struct TimelineDriver: Sendable {
    public let steps: [TimelineStep]
    public let journal: Journal
    public let clock: RunClock
    public let performer: any ScenarioActionPerformer
    /// Steps due at or after this time (the scenario's duration) never fire.
    public let endMilliseconds: Int64

    public init(
        steps: [TimelineStep], journal: Journal, clock: RunClock, performer: any ScenarioActionPerformer,
        endMilliseconds: Int64
    ) {
        self.steps = steps
        self.journal = journal
        self.clock = clock
        self.performer = performer
        self.endMilliseconds = endMilliseconds
    }

    /// Returns when nothing more is due before the end, or when the task is cancelled.
    public func run() async {
        var schedule = TimelineSchedule(steps: steps)
        while let due = schedule.nextDueMilliseconds, due < endMilliseconds {
            do {
                try await clock.sleep(untilElapsedMilliseconds: due)
            } catch {
                return
            }
            for firing in schedule.fire(upTo: max(due, clock.elapsedMilliseconds())) {
                if Task.isCancelled { return }
                let step = steps[firing.step]
                let time = clock.elapsedMilliseconds()
                let failure = await performer.perform(step.action)
                journal.append(
                    JournalEntry(
                        milliseconds: time,
                        event: .step(
                            StepRecord(
                                label: step.label(index: firing.step), index: firing.step,
                                occurrence: firing.occurrence, scheduledMilliseconds: firing.scheduledMilliseconds,
                                action: step.action.summary, failure: failure))))
            }
        }
    }
}
