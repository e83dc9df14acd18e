import DecoyCore

/// The human summary printed at the end of a run: one line per expectation, then the verdict.
public enum RunSummary {
    public static func text(_ report: RunReport) -> String {
        var lines = ["scenario \(report.scenario) (\(report.file)): ran \(RunTime.text(report.ranMilliseconds))"]
        if let client = report.client {
            lines[0] +=
                client.stoppedByDecoy
                ? ", client stopped at the end (status \(client.status))" : ", client exited with \(client.status)"
        }
        if let signal = report.interruptedBy { lines[0] += ", interrupted by \(signal) before its end" }
        let requests = report.journal.filter { $0.request != nil }.count
        let steps = report.journal.filter { $0.step != nil }.count
        lines[0] += "; \(requests) request\(requests == 1 ? "" : "s"), \(steps) step\(steps == 1 ? "" : "s") fired"
        for result in report.results {
            lines.append("  \(result.passed ? "PASS" : "FAIL")  \(result.name): \(result.evidence)")
        }
        let total = report.results.count
        lines.append(
            report.passed
                ? "all \(total) expectations passed"
                : "\(report.failures) of \(total) expectations failed")
        return lines.joined(separator: "\n") + "\n"
    }
}
