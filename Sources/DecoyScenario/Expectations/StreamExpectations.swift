import DecoyCore
import DecoyFaults
import DecoyServer

extension RequestPattern {
    /// Whether a journaled stream session matches: path, parameters and fault as for requests.
    /// Status, method, user and auth describe requests only; the reader refuses them under `streams:`.
    public func matches(_ stream: StreamRecord) -> Bool {
        guard Glob.matches(path, stream.path) else { return false }
        if let wire = self.protocol, wire != (stream.protocol ?? .http) { return false }
        if let transport, transport != stream.transport { return false }
        if let fault {
            guard let applied = stream.fault, Glob.matches(fault, applied) else { return false }
        }
        for (name, value) in parameters {
            guard let actual = stream.parameters.first(where: { $0.name == name })?.value, Glob.matches(value, actual)
            else { return false }
        }
        return true
    }
}

/// `streams:` and `reconnects:`: what a client did with its streams, from the stream sessions the
/// transport journals when they end (each timed at its start, with its duration).
extension ExpectationEvaluator {
    /// Matching sessions with their start and end, in start order.
    func sessions(_ pattern: RequestPattern) -> [(start: Int64, end: Int64, stream: StreamRecord)] {
        entries.compactMap { entry in
            entry.stream.flatMap { stream in
                pattern.matches(stream)
                    ? (entry.milliseconds, entry.milliseconds + stream.durationMilliseconds, stream) : nil
            }
        }
    }

    func streams(_ pattern: RequestPattern, _ check: StreamCheck) -> (Bool, String) {
        let found = sessions(pattern)
        let summary = Self.sessionList(found)
        switch check {
        case .exists:
            return (!found.isEmpty, found.isEmpty ? "no stream session matching \(pattern)" : summary)
        case .framesAtLeast(let frames):
            guard let best = found.max(by: { $0.stream.framesSent < $1.stream.framesSent }) else {
                return (false, "no stream session matching \(pattern)")
            }
            let passed = best.stream.framesSent >= frames
            return (
                passed,
                "the longest matching session (at \(RunTime.text(best.start))) sent \(best.stream.framesSent) frames"
                    + (passed ? "" : ", fewer than framesAtLeast \(frames)") + "; \(summary)"
            )
        case .concurrentAtMost(let limit):
            return concurrency(found, limit: limit, pattern: pattern)
        }
    }

    /// How much of a session's end is discounted when counting concurrency: Decoy learns that a
    /// viewer left only when a write to it fails (a frame or two later), so a client that closes
    /// and reconnects at once shows a short overlap that is a handover, not two streams.
    static let handoverMilliseconds: Int64 = 1000

    /// The most sessions one client had open at once (a session ending at t and one starting at t
    /// do not overlap, and neither do two within `handoverMilliseconds` of each other's end).
    private func concurrency(
        _ found: [(start: Int64, end: Int64, stream: StreamRecord)], limit: Int, pattern: RequestPattern
    ) -> (Bool, String) {
        var worst = (count: 0, client: "", at: Int64(0))
        for (client, mine) in Dictionary(grouping: found, by: \.stream.client) {
            let edges = mine.flatMap { session in
                [(session.start, 1), (max(session.start, session.end - Self.handoverMilliseconds), -1)]
            }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            var open = 0
            for (time, change) in edges {
                open += change
                if open > worst.count { worst = (open, client, time) }
            }
        }
        guard worst.count > limit else {
            return (
                true, "at most \(worst.count) matching sessions open at once per client; \(Self.sessionList(found))"
            )
        }
        return (
            false,
            "\(worst.client) had \(worst.count) matching sessions open at \(RunTime.text(worst.at)), "
                + "more than concurrentAtMost \(limit) (pattern \(pattern))"
        )
    }

    /// Every interruption must be followed by the same client's next matching request in
    /// [end + backoff, end + within]; one whose window runs past the end of the run is not judged.
    /// Interruptions: a matching stream session that did not end by its client's choice or that a
    /// fault touched (at its end), and a matching request a fault hit that did not become a stream
    /// (at its arrival: a reset, a 503, a cut answer).
    func reconnects(_ pattern: RequestPattern, within: Int64, backoff: Int64) -> (Bool, String) {
        var interruptions: [(end: Int64, client: String, what: String)] = []
        for (_, end, stream) in sessions(pattern) where stream.ended != .clientClosed || stream.fault != nil {
            interruptions.append((end, stream.client, "stream ended (\(stream.ended.rawValue))"))
        }
        for entry in entries {
            // A faulted answer that became a stream is judged by its session, when it ended.
            guard let request = entry.request, request.fault != nil, pattern.matches(request),
                !(request.status == 200 && request.bodyBytes == nil)
            else { continue }
            interruptions.append((entry.milliseconds, request.client, "request faulted (\(request.fault ?? ""))"))
        }
        interruptions.sort { $0.end < $1.end }
        guard !interruptions.isEmpty else {
            return (false, "nothing matching \(pattern) was interrupted, so no reconnection could be judged")
        }
        var delays: [Int64] = []
        var unjudged = 0
        for interruption in interruptions {
            let next = entries.first { entry in
                guard let request = entry.request, entry.milliseconds > interruption.end else { return false }
                return request.client == interruption.client && pattern.matches(request)
            }
            let at = "at \(RunTime.text(interruption.end)) a \(interruption.what) for \(interruption.client)"
            guard let next else {
                if interruption.end + within > runMilliseconds {
                    unjudged += 1
                    continue
                }
                return (false, "\(at); no matching request came back (within \(RunTime.text(within)))")
            }
            let delay = next.milliseconds - interruption.end
            if delay > within {
                return (
                    false, "\(at); it came back only after \(RunTime.text(delay)), later than \(RunTime.text(within))"
                )
            }
            if delay < backoff {
                return (
                    false,
                    "\(at); it came back after \(RunTime.text(delay)), sooner than the backoff \(RunTime.text(backoff))"
                )
            }
            delays.append(delay)
        }
        guard !delays.isEmpty else {
            let all =
                interruptions.count == 1
                ? "1 interruption, too close" : "\(interruptions.count) interruptions, all too close"
            return (false, "\(all) to the end of the run to judge")
        }
        let shown = delays.prefix(10).map(RunTime.text).joined(separator: ", ") + (delays.count > 10 ? ", …" : "")
        let tail = unjudged > 0 ? "; \(unjudged) too close to the end to judge" : ""
        let each = delays.count == 1 ? "1 interruption, followed" : "\(delays.count) interruptions, each followed"
        return (true, "\(each) by a reconnection after \(shown)\(tail)")
    }

    /// "2 matching sessions: at 1 s (25 frames, fault), …".
    static func sessionList(_ found: [(start: Int64, end: Int64, stream: StreamRecord)]) -> String {
        let shown = found.prefix(5).map {
            "at \(RunTime.text($0.start)) (\($0.stream.framesSent) frames, \($0.stream.ended.rawValue))"
        }
        let list = shown.joined(separator: ", ") + (found.count > 5 ? ", …" : "")
        return "\(found.count) matching session\(found.count == 1 ? "" : "s")" + (found.isEmpty ? "" : ": \(list)")
    }
}
