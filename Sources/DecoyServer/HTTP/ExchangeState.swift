import NIOHTTP1

/// Where `TinyCamHTTPHandler` is with its connection, as a pure value: each event returns the
/// action the handler takes, so every transition (and every event that means nothing where it
/// arrives: a second request while a stream runs, an answer for a connection that reset, body
/// bytes after a 413) is tested without a channel.
///
/// One request at a time: NIO's pipelining helper holds a client's next request until the answer
/// before it ends, so a head arriving while an answer or stream is out is ignored.
struct ExchangeState {
    /// The phase of the current exchange.
    enum Phase: Equatable {
        /// Between requests (keep-alive), or before the first.
        case idle
        /// A head arrived; its body (usually none) is being read.
        case readingBody
        /// The body was too large: the 413 is out, the connection closes; the rest is ignored.
        case rejectedBody
        /// A fault's latency holds the request back: the API has not seen it yet. A client that
        /// leaves now (even by half-closing) is taken as gone, and the request never reaches the API.
        case delaying
        /// The request is with the responder.
        case answering
        /// A fixed body or a file is being written.
        case writing
        /// An endless answer (MJPEG, WAV) is being written: it ends only when the connection does.
        case streaming
        /// The connection closed (or reset): nothing is written any more.
        case closed
    }

    /// What the handler does after an event.
    enum Action: Equatable {
        /// Nothing to do.
        case none
        /// A head arrived: tell the connection guard (the head timer stops).
        case requestStarted(requestID: UInt64)
        /// The body passed the limit: answer 413 and close.
        case rejectBody
        /// The request is complete: hand it to the responder.
        case dispatch
        /// Write the answer the responder gave (keeping the connection open afterwards or not).
        case write(keepAlive: Bool)
        /// The responder's answer came for a connection that is gone: drop it unwritten.
        case discard
        /// The answer is complete and the connection stays open for the next request.
        case awaitNextRequest
        /// Close the connection.
        case close
        /// The connection went away while its answer was being made: stop that work.
        case cancelAnswer
        /// The connection went away during an endless answer: leave the camera, journal it.
        case endStream
    }

    private(set) var phase: Phase = .idle
    /// The head of the request being read or answered.
    private(set) var head: HTTPRequestHead?
    /// The body of the request being read (at most `maximumBodyBytes`), and all its bytes counted.
    private(set) var body: [UInt8] = []
    private(set) var bodyBytes = 0
    /// Requests seen on this connection; the current one's id is this count (1-based).
    private(set) var requestCount: UInt64 = 0
    /// The client half-closed (FIN after its request, as `nc -N` and some HTTP/1.0 tools do).
    private(set) var inputClosed = false
    /// The connection failed (a reset by the client, typically).
    private(set) var failed = false
    let maximumBodyBytes: Int

    init(maximumBodyBytes: Int) { self.maximumBodyBytes = maximumBodyBytes }

    /// A request head arrived.
    mutating func receivedHead(_ head: HTTPRequestHead) -> Action {
        guard phase == .idle else { return .none }
        phase = .readingBody
        self.head = head
        body = []
        bodyBytes = 0
        requestCount += 1
        return .requestStarted(requestID: requestCount)
    }

    /// Body bytes arrived.
    mutating func receivedBody(_ bytes: some Collection<UInt8>) -> Action {
        guard phase == .readingBody else { return .none }
        bodyBytes += bytes.count
        guard bodyBytes <= maximumBodyBytes else {
            phase = .rejectedBody
            body = []
            return .rejectBody
        }
        body += bytes
        return .none
    }

    /// The request ended: it goes to the responder (its body is taken out of the state).
    mutating func receivedEnd() -> Action {
        guard phase == .readingBody else { return .none }
        phase = .answering
        return .dispatch
    }

    /// The request's body, handed over once (it is not kept while the answer is made).
    mutating func takeBody() -> [UInt8] {
        defer { body = [] }
        return body
    }

    /// A fault's latency starts holding the request back.
    mutating func delayStarted() {
        guard phase == .answering else { return }
        phase = .delaying
    }

    /// The fault's latency is over: `dispatch` when the request goes on to the responder.
    mutating func delayEnded() -> Action {
        guard phase == .delaying else { return .none }
        phase = .answering
        return .dispatch
    }

    /// The responder answered; `endless` for MJPEG and WAV streams.
    mutating func answerReady(endless: Bool) -> Action {
        guard phase == .answering else { return phase == .closed ? .discard : .none }
        phase = endless ? .streaming : .writing
        return .write(keepAlive: (head?.isKeepAlive ?? false) && !inputClosed)
    }

    /// The last byte of a fixed answer is out; `keepAlive` is what its head promised.
    mutating func answerWritten(keepAlive: Bool) -> Action {
        guard phase == .writing || phase == .rejectedBody else { return .none }
        guard keepAlive, !inputClosed, phase == .writing else {
            phase = .closed
            return .close
        }
        phase = .idle
        head = nil
        return .awaitNextRequest
    }

    /// The client half-closed: an answer in flight is still written, then the connection closes; a
    /// stream goes on (the client can still read); an idle connection closes at once. During a
    /// fault's latency the client is taken as gone (`cancelAnswer`): a client that gives up on a
    /// slow answer closes its socket, and TCP cannot tell that from a half-close; the request then
    /// never reaches the API.
    mutating func inputEnded() -> Action {
        inputClosed = true
        if phase == .delaying {
            phase = .closed
            return .cancelAnswer
        }
        guard phase == .idle else { return .none }
        phase = .closed
        return .close
    }

    /// The connection failed (a reset, typically): close it.
    mutating func errorCaught() -> Action {
        failed = true
        return .close
    }

    /// The connection is gone: stop whatever it was doing.
    mutating func closed() -> Action {
        let was = phase
        phase = .closed
        switch was {
        case .delaying, .answering, .writing: return .cancelAnswer
        case .streaming: return .endStream
        case .idle, .readingBody, .rejectedBody, .closed: return .none
        }
    }
}
