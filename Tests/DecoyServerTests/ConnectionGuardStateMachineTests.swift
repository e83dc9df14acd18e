import Testing

@testable import DecoyServer

/// Every transition of `ConnectionGuardState`, valid and not.
@Suite struct ConnectionGuardStateMachineTests {
    typealias State = ConnectionGuardState

    /// A guard that has read `bytes` of a head whose request line has (or has not) ended.
    private func awaiting(_ bytes: Int, lineEnded: Bool) -> State {
        var state = State()
        if lineEnded {
            _ = state.received(count: bytes + 2, newlineOffset: bytes)
        } else if bytes > 0 {
            _ = state.received(count: bytes, newlineOffset: nil)
        }
        return state
    }

    private func answering(requests: Int = 1) -> State {
        var state = State()
        for _ in 0..<requests { _ = state.requestStarted() }
        return state
    }

    private func closed() -> State {
        var state = State()
        _ = state.closed()
        return state
    }

    @Test func aNewConnectionArmsTheHeadTimer() {
        var state = State()
        #expect(state.activated() == .armTimer)
        #expect(state.phase == .awaitingHead(bytes: 0, requestLineEnded: false))
    }

    @Test func requestLineBytesAreCountedUntilTheNewlineThenEveryHeadByte() {
        var state = State()
        #expect(state.received(count: 10, newlineOffset: nil) == .forward)
        #expect(state.phase == .awaitingHead(bytes: 10, requestLineEnded: false))
        #expect(state.received(count: 30, newlineOffset: 5) == .forward)
        #expect(state.phase == .awaitingHead(bytes: 15, requestLineEnded: true))
        #expect(state.received(count: 20, newlineOffset: 0) == .forward)
        #expect(state.phase == .awaitingHead(bytes: 35, requestLineEnded: true))
    }

    @Test func aRequestLineOverTheLimitIsRejectedWith414AndThenEverythingIsDropped() {
        var state = awaiting(State.maximumRequestLine, lineEnded: false)
        #expect(state.phase == .awaitingHead(bytes: State.maximumRequestLine, requestLineEnded: false))
        #expect(state.received(count: 1, newlineOffset: nil) == .reject(.requestLineTooLong))
        #expect(state.phase == .closed)
        #expect(state.received(count: 100, newlineOffset: 3) == .drop, "bytes after close")
        #expect(state.timerFired() == .none)
        #expect(state.requestStarted() == .none)
        #expect(state.responseCompleted() == .none)
    }

    @Test func aLineEndingExactlyAtTheLimitPassesAndOneEndingPastItDoesNot() {
        var exact = State()
        #expect(
            exact.received(count: State.maximumRequestLine + 2, newlineOffset: State.maximumRequestLine) == .forward)
        var over = State()
        #expect(
            over.received(count: State.maximumRequestLine + 3, newlineOffset: State.maximumRequestLine + 1)
                == .reject(.requestLineTooLong))
    }

    @Test func longHeaderFieldsAfterTheRequestLineAreLeftToTheParser() {
        var state = awaiting(20, lineEnded: true)
        #expect(state.received(count: State.maximumRequestLine * 2, newlineOffset: nil) == .forward)
    }

    @Test func aWholeHeadStopsTheTimerAndTheAnswerRestartsIt() {
        var state = awaiting(40, lineEnded: true)
        #expect(state.requestStarted() == .cancelTimer)
        #expect(state.phase == .answering(requests: 1))
        #expect(state.received(count: 9000, newlineOffset: nil) == .forward, "bytes while answering are not measured")
        #expect(state.responseCompleted() == .armTimer)
        #expect(state.phase == .awaitingHead(bytes: 0, requestLineEnded: false))
    }

    @Test func aPipelinedRequestStartedBeforeThePreviousAnswerCompletedKeepsTheTimerOff() {
        var state = answering()
        #expect(state.requestStarted() == .none)
        #expect(state.phase == .answering(requests: 2))
        #expect(state.responseCompleted() == .none, "the second request is still being answered")
        #expect(state.phase == .answering(requests: 1))
        #expect(state.responseCompleted() == .armTimer)
    }

    @Test func anIdleConnectionTimesOutQuietly() {
        var state = State()
        _ = state.activated()
        #expect(state.timerFired() == .closeQuietly)
        #expect(state.phase == .closed)
    }

    @Test func aNewlineAloneIsNoHeadByteSoItTimesOutQuietly() {
        var state = State()
        _ = state.received(count: 1, newlineOffset: 0)
        #expect(state.timerFired() == .closeQuietly)
    }

    @Test func aHalfSentHeadTimesOutWith408() {
        var partial = awaiting(12, lineEnded: false)
        #expect(partial.timerFired() == .reject(.headTimeout))
        #expect(partial.phase == .closed)
        var headers = awaiting(30, lineEnded: true)
        #expect(headers.timerFired() == .reject(.headTimeout))
    }

    @Test func aTimerFiringWhileTheAnswerIsWrittenDoesNothing() {
        var state = answering()
        #expect(state.timerFired() == .none)
        #expect(state.phase == .answering(requests: 1))
    }

    @Test func aCloseStopsTheTimerOnceFromAnyPhase() {
        for var state in [awaiting(0, lineEnded: false), awaiting(9, lineEnded: true), answering()] {
            #expect(state.closed() == .cancelTimer)
            #expect(state.phase == .closed)
            #expect(state.closed() == .none)
            #expect(state.activated() == .none)
        }
    }

    @Test func aResetMidAnswerIgnoresTheLateResponseCompleted() {
        var state = answering()
        _ = state.closed()
        #expect(state.responseCompleted() == .none)
        #expect(state.phase == .closed)
    }

    @Test func eventsOutOfOrderChangeNothing() {
        var state = awaiting(5, lineEnded: false)
        #expect(state.responseCompleted() == .none, "no answer was being written")
        #expect(state.phase == .awaitingHead(bytes: 5, requestLineEnded: false))
        var done = closed()
        #expect(done.received(count: 1, newlineOffset: nil) == .drop)
    }
}
