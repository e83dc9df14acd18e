import NIOHTTP1
import Testing

@testable import DecoyServer

/// Every transition of `ExchangeState`, valid and not.
@Suite struct ExchangeStateMachineTests {
    typealias State = ExchangeState

    private static func head(_ method: HTTPMethod = .GET, keepAlive: Bool = true) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: "/api/v1/get_cam_list")
        if !keepAlive { head.headers.add(name: "Connection", value: "close") }
        return head
    }

    private func state(in phase: State.Phase, keepAlive: Bool = true) -> State {
        var state = State(maximumBodyBytes: 8)
        guard phase != .idle else { return state }
        _ = state.receivedHead(Self.head(keepAlive: keepAlive))
        switch phase {
        case .readingBody: break
        case .rejectedBody: _ = state.receivedBody([UInt8](repeating: 1, count: 9))
        case .answering: _ = state.receivedEnd()
        case .delaying:
            _ = state.receivedEnd()
            state.delayStarted()
        case .writing, .streaming:
            _ = state.receivedEnd()
            _ = state.answerReady(endless: phase == .streaming)
        case .closed: _ = state.closed()
        case .idle: break
        }
        #expect(state.phase == phase)
        return state
    }

    @Test func aRequestIsReadDispatchedWrittenAndTheConnectionWaitsForTheNext() {
        var state = State(maximumBodyBytes: 8)
        #expect(state.receivedHead(Self.head()) == .requestStarted(requestID: 1))
        #expect(state.receivedBody([1, 2, 3]) == .none)
        #expect(state.receivedEnd() == .dispatch)
        #expect(state.takeBody() == [1, 2, 3])
        #expect(state.takeBody() == [], "the body is handed over once")
        #expect(state.answerReady(endless: false) == .write(keepAlive: true))
        #expect(state.answerWritten(keepAlive: true) == .awaitNextRequest)
        #expect(state.phase == .idle && state.head == nil)
        #expect(state.receivedHead(Self.head()) == .requestStarted(requestID: 2))
    }

    @Test func aDelayedRequestGoesOnWhenItsDelayEnds() {
        var state = state(in: .delaying)
        #expect(state.answerReady(endless: false) == .none, "no answer can come during the delay")
        #expect(state.delayEnded() == .dispatch)
        #expect(state.phase == .answering)
        #expect(state.delayEnded() == .none, "only once")
    }

    /// A client that closes its side while a fault still holds its request back is gone: the
    /// request never reaches the API (TCP cannot tell a client giving up from a half-close).
    @Test func aHalfCloseDuringTheDelayAbandonsTheRequest() {
        var state = state(in: .delaying)
        #expect(state.inputEnded() == .cancelAnswer)
        #expect(state.phase == .closed)
        #expect(state.delayEnded() == .none, "a delay that ends afterwards dispatches nothing")
        var reset = self.state(in: .delaying)
        #expect(reset.closed() == .cancelAnswer)
    }

    @Test func aClosingRequestClosesAfterItsAnswer() {
        var state = state(in: .answering, keepAlive: false)
        #expect(state.answerReady(endless: false) == .write(keepAlive: false))
        #expect(state.answerWritten(keepAlive: false) == .close)
        #expect(state.phase == .closed)
    }

    @Test func anOversizedBodyIsRejectedOnceAndTheRestIgnored() {
        var state = state(in: .readingBody)
        #expect(state.receivedBody([UInt8](repeating: 0, count: 8)) == .none)
        #expect(state.receivedBody([0]) == .rejectBody)
        #expect(state.phase == .rejectedBody && state.takeBody().isEmpty)
        #expect(state.receivedBody([0, 0]) == .none)
        #expect(state.receivedEnd() == .none, "the rejected request is never dispatched")
        #expect(state.answerWritten(keepAlive: false) == .close)
    }

    @Test func aSecondRequestWhileStreamingIsIgnored() {
        var state = state(in: .streaming)
        #expect(state.receivedHead(Self.head()) == .none)
        #expect(state.receivedBody([1]) == .none)
        #expect(state.receivedEnd() == .none)
        #expect(state.phase == .streaming && state.requestCount == 1)
    }

    @Test func headsWhileAnsweringOrWritingAreIgnored() {
        for phase in [State.Phase.readingBody, .answering, .writing, .rejectedBody] {
            var state = state(in: phase)
            #expect(state.receivedHead(Self.head()) == .none, "\(phase)")
            #expect(state.phase == phase)
        }
    }

    @Test func anEndlessAnswerStreamsAndAWrittenEventDoesNotEndIt() {
        var state = state(in: .answering)
        #expect(state.answerReady(endless: true) == .write(keepAlive: true))
        #expect(state.phase == .streaming)
        #expect(state.answerWritten(keepAlive: true) == .none)
        #expect(state.closed() == .endStream)
    }

    @Test func aResetMidAnswerCancelsTheWorkAndItsAnswerIsDiscarded() {
        var state = state(in: .answering)
        #expect(state.closed() == .cancelAnswer)
        #expect(state.answerReady(endless: false) == .discard)
        #expect(state.answerReady(endless: true) == .discard)
        #expect(state.phase == .closed)
    }

    @Test func aResetWhileAFileIsWrittenCancelsItAndTheLateEndChangesNothing() {
        var state = state(in: .writing)
        #expect(state.closed() == .cancelAnswer)
        #expect(state.answerWritten(keepAlive: true) == .none)
        #expect(state.phase == .closed)
    }

    @Test func bytesAndRequestsAfterCloseAreIgnored() {
        var state = state(in: .closed)
        #expect(state.receivedHead(Self.head()) == .none)
        #expect(state.receivedBody([1]) == .none)
        #expect(state.receivedEnd() == .none)
        #expect(state.closed() == .none)
        #expect(state.inputEnded() == .none)
    }

    @Test func aHalfCloseClosesAnIdleConnectionAtOnce() {
        var state = State(maximumBodyBytes: 8)
        #expect(state.inputEnded() == .close)
        #expect(state.phase == .closed && state.inputClosed)
    }

    @Test func aHalfCloseLetsTheAnswerInFlightOutThenCloses() {
        var state = state(in: .answering)
        #expect(state.inputEnded() == .none)
        #expect(state.answerReady(endless: false) == .write(keepAlive: false), "no keep-alive promised any more")
        #expect(state.answerWritten(keepAlive: false) == .close)
    }

    @Test func aHalfCloseDuringAFileClosesWhenItEndsDespiteKeepAlive() {
        var state = state(in: .writing)
        #expect(state.inputEnded() == .none)
        #expect(state.answerWritten(keepAlive: true) == .close)
    }

    @Test func aHalfCloseLeavesAStreamRunning() {
        var state = state(in: .streaming)
        #expect(state.inputEnded() == .none)
        #expect(state.phase == .streaming)
    }

    @Test func anErrorMarksTheConnectionFailedAndClosesIt() {
        var state = state(in: .streaming)
        #expect(state.errorCaught() == .close)
        #expect(state.failed)
        #expect(state.closed() == .endStream)
    }

    @Test func anAnswerOutsideAnsweringIsIgnored() {
        for phase in [State.Phase.idle, .readingBody, .writing, .streaming] {
            var state = state(in: phase)
            #expect(state.answerReady(endless: false) == .none, "\(phase)")
            #expect(state.phase == phase)
        }
    }

    @Test func closingFromIdleOrReadingHasNoWorkToCancel() {
        for phase in [State.Phase.idle, .readingBody, .rejectedBody] {
            var state = state(in: phase)
            #expect(state.closed() == .none, "\(phase)")
        }
    }
}
