/// What `ConnectionGuard` knows about its connection, as a pure value: every event returns the
/// action the handler must take, so each transition (and each event arriving in a state where it
/// means nothing: bytes after close, a stale timer) is tested without a channel.
///
/// The guard only watches request heads: from the first byte of a head to its end (`requestStarted`)
/// the head-read timer runs and the request line is measured; while an answer is written it only
/// forwards; once it rejected or the connection closed, it ignores everything.
struct ConnectionGuardState: Equatable {
    /// Longest request line (`GET /target HTTP/1.1`) accepted; longer gets 414.
    static let maximumRequestLine = 8192

    /// Where the connection is in its request/answer cycle.
    enum Phase: Equatable {
        /// Waiting for (the rest of) a request head; the head timer runs. `bytes` counts the request
        /// line until its newline, then every further head byte; `requestLineEnded` once it ended.
        case awaitingHead(bytes: Int, requestLineEnded: Bool)
        /// A whole head arrived and its answer is being made or written: no head timer. `requests`
        /// counts heads not answered yet: NIO's pipelining helper hands the handler a client's next
        /// request while the previous answer's end is being written, so its `requestStarted` can
        /// come before that answer's `responseCompleted`.
        case answering(requests: Int)
        /// The guard rejected the connection or it closed: nothing more happens.
        case closed
    }

    /// What the handler does after an event.
    enum Action: Equatable {
        /// Nothing (the event means nothing in this phase).
        case none
        /// Pass the bytes on to the HTTP parser.
        case forward
        /// Swallow the bytes: the connection is closing.
        case drop
        /// (Re)start the head timer.
        case armTimer
        /// Stop the head timer.
        case cancelTimer
        /// Close without a word (idle between keep-alive requests).
        case closeQuietly
        /// Answer with this transport error, then close.
        case reject(TransportRejection)
    }

    private(set) var phase: Phase = .awaitingHead(bytes: 0, requestLineEnded: false)

    /// The connection became active: the first head must arrive in time.
    mutating func activated() -> Action {
        guard case .awaitingHead = phase else { return .none }
        return .armTimer
    }

    /// `count` bytes arrived; `newlineOffset` is where the first `\n` among them is (nil: none).
    mutating func received(count: Int, newlineOffset: Int?) -> Action {
        switch phase {
        case .closed:
            return .drop
        case .answering:
            return .forward
        case .awaitingHead(let bytes, true):
            // Past the request line: the HTTP parser's own limits guard the header fields.
            phase = .awaitingHead(bytes: bytes + count, requestLineEnded: true)
            return .forward
        case .awaitingHead(let bytes, false):
            let total = bytes + (newlineOffset ?? count)
            guard total <= Self.maximumRequestLine else {
                phase = .closed
                return .reject(.requestLineTooLong)
            }
            phase = .awaitingHead(bytes: total, requestLineEnded: newlineOffset != nil)
            return .forward
        }
    }

    /// The HTTP handler read a whole head: the timer stops until the answer is out.
    mutating func requestStarted() -> Action {
        switch phase {
        case .awaitingHead:
            phase = .answering(requests: 1)
            return .cancelTimer
        case .answering(let requests):
            phase = .answering(requests: requests + 1)
            return .none
        case .closed:
            return .none
        }
    }

    /// The answer is out and the connection stays open: the next head must arrive in time.
    mutating func responseCompleted() -> Action {
        guard case .answering(let requests) = phase else { return .none }
        guard requests <= 1 else {
            phase = .answering(requests: requests - 1)
            return .none
        }
        phase = .awaitingHead(bytes: 0, requestLineEnded: false)
        return .armTimer
    }

    /// The head timer fired: an idle connection closes quietly, a half-sent head gets 408. A timer
    /// firing while an answer is written (it was cancelled, but had already been queued) or after
    /// close does nothing.
    mutating func timerFired() -> Action {
        guard case .awaitingHead(let bytes, _) = phase else { return .none }
        phase = .closed
        return bytes == 0 ? .closeQuietly : .reject(.headTimeout)
    }

    /// The connection closed (by either side, or a reset).
    mutating func closed() -> Action {
        guard phase != .closed else { return .none }
        phase = .closed
        return .cancelTimer
    }
}
