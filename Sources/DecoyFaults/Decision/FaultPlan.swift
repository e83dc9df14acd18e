/// What the fault layer decided for one exchange: a plain value the transport applies, each part
/// in one place (the answer's parts before the API is asked, the wire's parts as bytes and frames
/// go out). `FaultPlan()` is "nothing": the transport then does no fault work at all.
public struct FaultPlan: Sendable, Equatable {
    /// An answer given instead of asking the API.
    public enum Replacement: Sendable, Equatable {
        /// A `status` rule: this status, with the rule's body or `HTTP <code>. <reason>.`.
        case status(code: Int, body: String?)
        /// A failed login (`failLogins`, a lockout): the API's own "invalid user name or password".
        case invalidCredentials
    }

    /// A `legacyErrors` rule that hit: how 403 errors are answered, and the rule's label.
    public struct LegacyErrors: Sendable, Equatable {
        public var on: Bool
        public var label: String
    }

    /// Waited before answering (the sum of every latency rule that hit).
    public var latencyMilliseconds: Int64 = 0
    /// Answered instead of the API; nil: the API answers.
    public var replacement: Replacement?
    public var legacyErrors: LegacyErrors?
    /// A login the lockout refused: answered 403, and not counted as another failure.
    public var lockedOut = false
    /// What the wire does to the answer (nil: nothing).
    public var wire: ExchangeFaults?
    /// What was applied, in order, for the journal.
    public var applied: [String] = []

    public init() {}

    /// Whether the plan changes anything at all.
    public var isEmpty: Bool { self == FaultPlan() }

    /// The journal's account of the plan (nil: nothing applied).
    public var summary: String? { applied.isEmpty ? nil : applied.joined(separator: "; ") }
}

/// What the wire does to one answer: byte-level (network) and frame-level (media) faults. Several
/// may hit one exchange (bandwidth and a media fault, say): each field is independent.
public struct ExchangeFaults: Sendable, Equatable {
    /// Reset the connection (`SO_LINGER` {1, 0}, then close) instead of answering: no byte goes out.
    public var reset = false
    /// The head goes out (for a stream, the head and the first frame), then nothing for this long
    /// on a connection kept open, then the rest.
    public var stallMilliseconds: Int64?
    /// Every byte of the connection from this answer on is paced to this rate.
    public var bytesPerSecond: Int?
    /// The connection closes (FIN) once this many bytes of the answer (head included) are out.
    public var closeAfterBytes: Int?
    /// A stream closes (FIN) once this many frames are out; other answers are untouched.
    public var closeAfterFrames: Int?
    /// The token to revoke as the stream's last frame (`closeAfterFrames`) goes out, before the
    /// client can see the close and come back with it (`rejectStreamToken`).
    public var revokesToken: String?
    /// How the stream's framing or its JPEGs are damaged (`image.cgi`: the snapshot's).
    public var media: MediaFault?
    /// What was applied, with the rules that did it, for the journal of stream sessions.
    public var label: String

    public init(
        reset: Bool = false, stallMilliseconds: Int64? = nil, bytesPerSecond: Int? = nil, closeAfterBytes: Int? = nil,
        closeAfterFrames: Int? = nil, revokesToken: String? = nil, media: MediaFault? = nil, label: String = ""
    ) {
        self.reset = reset
        self.stallMilliseconds = stallMilliseconds
        self.bytesPerSecond = bytesPerSecond
        self.closeAfterBytes = closeAfterBytes
        self.closeAfterFrames = closeAfterFrames
        self.revokesToken = revokesToken
        self.media = media
        self.label = label
    }

    /// Whether the bytes need pacing, holding or counting (a bandwidth, a stall, a byte budget).
    public var shapesBytes: Bool { stallMilliseconds != nil || bytesPerSecond != nil || closeAfterBytes != nil }

    /// Adds a network fault unless one of its kind is there already (the first rule, in draw
    /// order, wins, so the outcome is as deterministic as the draws); whether it was added.
    mutating func add(_ fault: NetworkFault) -> Bool {
        switch fault {
        case .reset:
            guard !reset else { return false }
            reset = true
        case .stall(let milliseconds):
            guard stallMilliseconds == nil else { return false }
            stallMilliseconds = milliseconds
        case .bandwidth(let rate):
            guard bytesPerSecond == nil else { return false }
            bytesPerSecond = rate
        case .closeAfterBytes(let count):
            guard closeAfterBytes == nil else { return false }
            closeAfterBytes = count
        case .closeAfterFrames(let count):
            guard closeAfterFrames == nil else { return false }
            closeAfterFrames = count
        case .refuse:
            return false
        }
        return true
    }
}

/// A per-packet RTSP media fault and when it hits (run time): a playing session checks each frame
/// against its windows, so a fault can begin and end in the middle of a stream.
public struct MediaWindow: Sendable, Equatable {
    public var fault: MediaFault
    public var fromMilliseconds: Int64
    /// Nil: until the end of the run.
    public var untilMilliseconds: Int64?
    /// `media noKeyframes (no keyframes)` for the journal.
    public var label: String

    public init(fault: MediaFault, fromMilliseconds: Int64, untilMilliseconds: Int64?, label: String) {
        self.fault = fault
        self.fromMilliseconds = fromMilliseconds
        self.untilMilliseconds = untilMilliseconds
        self.label = label
    }

    public func contains(_ milliseconds: Int64) -> Bool {
        milliseconds >= fromMilliseconds && untilMilliseconds.map { milliseconds < $0 } ?? true
    }
}
