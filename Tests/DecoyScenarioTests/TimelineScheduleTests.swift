import Testing

@testable import DecoyScenario

@Suite struct TimelineScheduleTests {
    private func step(_ id: String?, _ timing: StepTiming) -> TimelineStep {
        TimelineStep(id: id, timing: timing, action: .log(id ?? "-"))
    }

    private func fired(_ firings: [TimelineSchedule.Firing]) -> [String] {
        firings.map { "\($0.step)#\($0.occurrence)@\($0.scheduledMilliseconds)" }
    }

    @Test func atStepsFireOnceWhenTheirTimeHasCome() {
        var schedule = TimelineSchedule(steps: [step("a", .at(3000)), step("b", .at(1000))])
        #expect(schedule.nextDueMilliseconds == 1000)
        #expect(schedule.fire(upTo: 999).isEmpty)
        #expect(fired(schedule.fire(upTo: 1000)) == ["1#1@1000"])
        #expect(schedule.nextDueMilliseconds == 3000)
        #expect(fired(schedule.fire(upTo: 10_000)) == ["0#1@3000"])
        #expect(schedule.nextDueMilliseconds == nil)
        #expect(schedule.fire(upTo: 20_000).isEmpty)
    }

    @Test func tiesFireInTimelineOrder() {
        var schedule = TimelineSchedule(steps: [step("a", .at(500)), step("b", .at(500))])
        #expect(fired(schedule.fire(upTo: 500)) == ["0#1@500", "1#1@500"])
    }

    @Test func afterStepsWaitForTheFirstFiringAndCountFromItsScheduledTime() {
        var schedule = TimelineSchedule(steps: [
            step("ring", .at(3000)), step("answer", .after("ring", delayMilliseconds: 2000)),
            step(nil, .after("answer", delayMilliseconds: 0)),
        ])
        #expect(schedule.nextDueMilliseconds == 3000)
        // A late wake-up (3.4 s) does not shift the successor: it stays at 3 s + 2 s.
        #expect(fired(schedule.fire(upTo: 3400)) == ["0#1@3000"])
        #expect(schedule.nextDueMilliseconds == 5000)
        // A zero delay successor fires in the same call.
        #expect(fired(schedule.fire(upTo: 5000)) == ["1#1@5000", "2#1@5000"])
        #expect(schedule.nextDueMilliseconds == nil)
    }

    @Test func everyRepeatsUntilItsLimitInclusive() {
        var schedule = TimelineSchedule(steps: [step("tick", .every(1000, untilMilliseconds: 3000, times: nil))])
        #expect(fired(schedule.fire(upTo: 10_000)) == ["0#1@1000", "0#2@2000", "0#3@3000"])
        #expect(schedule.nextDueMilliseconds == nil)
    }

    @Test func everyStopsAfterItsTimes() {
        var schedule = TimelineSchedule(steps: [step("tick", .every(500, untilMilliseconds: nil, times: 2))])
        #expect(fired(schedule.fire(upTo: 600)) == ["0#1@500"])
        #expect(fired(schedule.fire(upTo: 5000)) == ["0#2@1000"])
        #expect(schedule.nextDueMilliseconds == nil)
    }

    @Test func everyWithoutALimitKeepsGoingAndReleasesSuccessorsOnce() {
        var schedule = TimelineSchedule(steps: [
            step("tick", .every(1000, untilMilliseconds: nil, times: nil)),
            step("after", .after("tick", delayMilliseconds: 100)),
        ])
        #expect(fired(schedule.fire(upTo: 2500)) == ["0#1@1000", "1#1@1100", "0#2@2000"])
        #expect(schedule.nextDueMilliseconds == 3000)
    }

    @Test func everyWhoseFirstOccurrenceIsPastUntilNeverFires() {
        let schedule = TimelineSchedule(steps: [step("tick", .every(5000, untilMilliseconds: 1000, times: nil))])
        #expect(schedule.nextDueMilliseconds == nil)
    }
}
