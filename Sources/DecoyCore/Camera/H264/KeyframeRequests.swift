/// When a stream's encoder is asked for an IDR out of turn: a viewer joined and needs one to
/// start decoding, and should not wait up to a whole group of pictures for it.
///
/// At most one forced IDR per `minimumInterval` (100 ms of clock time): an IDR costs several
/// P-frames' worth of bits, and a crowd joining at once (an NVR reconnecting 50 cameras' worth of
/// sessions, a load test) must not turn the stream into IDRs only; at 30 fps it is one frame in
/// three at most, and only while viewers keep joining. A request inside that window is not dropped
/// but deferred to the first frame after it; any IDR encoded meanwhile (the interval's own) fulfils
/// it. So a joining viewer's first picture comes within one frame, or within 100 ms when someone
/// joined just before. (500 ms was measured first: Tools/rtsp-bench.sh then gave a first picture at
/// p95 over 400 ms for viewers joining a running stream.)
struct KeyframeRequests {
    static let minimumInterval: Int64 = 100

    /// A request waits for the next IDR.
    private(set) var pending = false
    private var lastForced: Int64?

    mutating func request() { pending = true }

    /// Whether to force an IDR for the frame encoded at `now` (clock milliseconds); counts it when so.
    mutating func forceNow(at now: Int64) -> Bool {
        guard pending else { return false }
        if let lastForced, now - lastForced < Self.minimumInterval, now >= lastForced { return false }
        pending = false
        lastForced = now
        return true
    }

    /// An IDR was encoded, forced or not: every waiting request is fulfilled.
    mutating func keyframeEncoded() { pending = false }
}
