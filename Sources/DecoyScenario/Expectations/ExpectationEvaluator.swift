import DecoyCore

/// Judges expectations against what a run journaled. Pure: the same journal always gives the
/// same verdicts, so every rule is tested on hand-made journals.
public struct ExpectationEvaluator: Sendable {
    public var entries: [JournalEntry]
    /// How long the run lasted (t = 0 to the end), for `per:` windows and evidence.
    public var runMilliseconds: Int64
    /// Nil when no client command was run.
    public var client: ClientOutcome?
    /// Entries the bounded journal dropped (said in evidence, since counts may then be low).
    public var dropped: Int

    public init(entries: [JournalEntry], runMilliseconds: Int64, client: ClientOutcome? = nil, dropped: Int = 0) {
        self.entries = entries
        self.runMilliseconds = runMilliseconds
        self.client = client
        self.dropped = dropped
    }

    public func evaluate(_ expectations: [Expectation]) -> [ExpectationResult] {
        expectations.map(evaluate)
    }

    public func evaluate(_ expectation: Expectation) -> ExpectationResult {
        var (passed, evidence) = verdict(expectation.kind)
        if dropped > 0 { evidence += " (the journal dropped its \(dropped) oldest entries)" }
        return ExpectationResult(name: expectation.name, passed: passed, evidence: evidence)
    }

    private func verdict(_ kind: ExpectationKind) -> (Bool, String) {
        switch kind {
        case .within(let pattern, let window, let step): within(pattern, window: window, step: step)
        case .count(let pattern, let atLeast, let atMost, let per):
            per.map { windowed(pattern, atLeast: atLeast, atMost: atMost, per: $0) }
                ?? count(pattern, atLeast: atLeast, atMost: atMost)
        case .never(let pattern): never(pattern)
        case .order(let patterns): order(patterns)
        case .clientExit(let expected): clientExit(expected)
        case .streams(let pattern, let check): streams(pattern, check)
        case .reconnects(let pattern, let within, let backoff): reconnects(pattern, within: within, backoff: backoff)
        }
    }

    /// Times of matching requests, in order.
    func times(_ pattern: RequestPattern) -> [Int64] {
        entries.compactMap { entry in entry.request.flatMap { pattern.matches($0) ? entry.milliseconds : nil } }
    }

    private func within(_ pattern: RequestPattern, window: Int64, step: String) -> (Bool, String) {
        guard let start = entries.first(where: { $0.step?.label == step })?.milliseconds else {
            return (false, "step '\(step)' never fired (the run lasted \(RunTime.text(runMilliseconds)))")
        }
        let end = start + window
        let span = "between \(RunTime.text(start)) and \(RunTime.text(end))"
        let matches = times(pattern)
        if let hit = matches.first(where: { (start...end).contains($0) }) {
            return (true, "\(pattern) at \(RunTime.text(hit)), \(RunTime.text(hit - start)) after '\(step)' (\(span))")
        }
        guard let nearest = matches.min(by: { distance($0, start...end) < distance($1, start...end) }) else {
            return (false, "no \(pattern) \(span); none at all in the run")
        }
        return (false, "no \(pattern) \(span); nearest at \(RunTime.text(nearest))")
    }

    private func distance(_ time: Int64, _ range: ClosedRange<Int64>) -> Int64 {
        time < range.lowerBound ? range.lowerBound - time : time - range.upperBound
    }

    private func count(_ pattern: RequestPattern, atLeast: Int?, atMost: Int?) -> (Bool, String) {
        let matches = times(pattern)
        let listed = Self.list(matches)
        if let atLeast, matches.count < atLeast {
            return (false, "\(listed), fewer than atLeast \(atLeast)")
        }
        if let atMost, matches.count > atMost {
            return (false, "\(listed), more than atMost \(atMost)")
        }
        return (true, listed)
    }

    /// `atMost` over every sliding window of `per`; `atLeast` over each complete window
    /// [k·per, (k+1)·per) of the run.
    private func windowed(_ pattern: RequestPattern, atLeast: Int?, atMost: Int?, per: Int64) -> (Bool, String) {
        let matches = times(pattern)
        if let atMost {
            var first = 0
            for last in matches.indices {
                while matches[last] - matches[first] >= per { first += 1 }
                let inside = last - first + 1
                if inside > atMost {
                    return (
                        false,
                        "\(inside) matching requests within \(RunTime.text(per)), from \(RunTime.text(matches[first])) "
                            + "to \(RunTime.text(matches[last])), more than atMost \(atMost)"
                    )
                }
            }
        }
        if let atLeast {
            let windows = runMilliseconds / per
            if windows == 0 {
                return (
                    false,
                    "the run (\(RunTime.text(runMilliseconds))) ended before one complete \(RunTime.text(per)) window; "
                        + Self.list(matches)
                )
            }
            for index in 0..<windows {
                let range = (index * per)..<((index + 1) * per)
                let inside = matches.filter { range.contains($0) }.count
                if inside < atLeast {
                    return (
                        false,
                        "only \(inside) matching requests between \(RunTime.text(range.lowerBound)) and "
                            + "\(RunTime.text(range.upperBound)), fewer than atLeast \(atLeast)"
                    )
                }
            }
        }
        return (true, "every \(RunTime.text(per)) window within bounds; \(Self.list(matches))")
    }

    private func never(_ pattern: RequestPattern) -> (Bool, String) {
        let matching = entries.filter { $0.request.map(pattern.matches) ?? false }
        guard !matching.isEmpty else {
            let total = entries.filter { $0.request != nil }.count
            return (true, "no \(pattern) among \(total) requests")
        }
        let shown = matching.prefix(5).map(Self.describe).joined(separator: "; ")
        return (false, "\(matching.count) matching requests: \(shown)\(matching.count > 5 ? "; …" : "")")
    }

    /// Greedy: the first match of each pattern after the previous pattern's match (journal order,
    /// so two requests in the same millisecond still have an order).
    private func order(_ patterns: [RequestPattern]) -> (Bool, String) {
        var next = entries.startIndex
        var found: [String] = []
        for pattern in patterns {
            let hit = entries[next...].firstIndex { $0.request.map(pattern.matches) ?? false }
            guard let hit else {
                let prefix = found.isEmpty ? "" : found.joined(separator: ", then ") + ", then "
                let matches = times(pattern)
                let elsewhere =
                    matches.isEmpty ? "none at all" : "seen only at \(Self.list(matches, limit: 3, bare: true))"
                return (false, "\(prefix)no \(pattern)\(found.isEmpty ? "" : " after that") (\(elsewhere))")
            }
            found.append("\(pattern) at \(RunTime.text(entries[hit].milliseconds))")
            next = entries.index(after: hit)
        }
        return (true, "in order: " + found.joined(separator: ", then "))
    }

    private func clientExit(_ expected: Int32) -> (Bool, String) {
        guard let client else { return (false, "no client command was run (give one after --)") }
        let how =
            client.stoppedByDecoy
            ? "was still running at the end of the scenario and was stopped (status \(client.status))"
            : "exited with status \(client.status)"
        return (client.status == expected && !client.stoppedByDecoy, "the client \(how); expected \(expected)")
    }

    /// "3 matching requests: at 1.2 s, 2 s, 5.1 s" (the first ten times).
    static func list(_ times: [Int64], limit: Int = 10, bare: Bool = false) -> String {
        let shown = times.prefix(limit).map(RunTime.text).joined(separator: ", ") + (times.count > limit ? ", …" : "")
        if bare { return shown }
        switch times.count {
        case 0: return "0 matching requests"
        case 1: return "1 matching request: at \(shown)"
        default: return "\(times.count) matching requests: at \(shown)"
        }
    }

    private static func describe(_ entry: JournalEntry) -> String {
        guard let request = entry.request else { return RunTime.text(entry.milliseconds) }
        let user = request.user.map { " user \($0)" } ?? ""
        return "at \(RunTime.text(entry.milliseconds)) \(request.method) \(request.path) from \(request.client)"
            + "\(user) auth \(request.auth.rawValue) status \(request.status)"
    }
}
