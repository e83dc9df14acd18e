import DecoyCore

/// The run as JUnit XML, the format every CI system reads: one `testsuite` named after the
/// scenario, one `testcase` per expectation named after it, the evidence in each `failure`.
public enum JUnitReport {
    public static func xml(_ report: RunReport, timestamp: String? = nil) -> String {
        let seconds = secondsText(report.ranMilliseconds)
        let suiteAttributes =
            "name=\"\(escape(report.scenario))\" tests=\"\(report.results.count)\" failures=\"\(report.failures)\" "
            + "errors=\"0\" skipped=\"0\" time=\"\(seconds)\""
            + (timestamp.map { " timestamp=\"\(escape($0))\"" } ?? "")
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"decoy\" tests=\"\(report.results.count)\" failures=\"\(report.failures)\" "
                + "errors=\"0\" time=\"\(seconds)\">",
            "  <testsuite \(suiteAttributes)>",
            "    <properties>",
            "      <property name=\"file\" value=\"\(escape(report.file))\"/>",
            "      <property name=\"seed\" value=\"\(report.seed)\"/>",
            "      <property name=\"clock\" value=\"\(escape(report.clock))\"/>",
            "      <property name=\"url\" value=\"\(escape(report.url))\"/>",
        ]
        if let client = report.client {
            lines.append("      <property name=\"clientStatus\" value=\"\(client.status)\"/>")
        }
        if let signal = report.interruptedBy {
            lines.append("      <property name=\"interruptedBy\" value=\"\(escape(signal))\"/>")
        }
        lines.append("    </properties>")
        for result in report.results {
            let name = escape(result.name)
            let classname = escape(report.scenario)
            if result.passed {
                lines.append("    <testcase name=\"\(name)\" classname=\"\(classname)\" time=\"0\">")
                lines.append("      <system-out>\(escape(result.evidence))</system-out>")
                lines.append("    </testcase>")
            } else {
                lines.append("    <testcase name=\"\(name)\" classname=\"\(classname)\" time=\"0\">")
                lines.append(
                    "      <failure message=\"\(escape(result.evidence))\" type=\"expectation\">"
                        + "\(escape(result.evidence))</failure>")
                lines.append("    </testcase>")
            }
        }
        lines += ["  </testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// XML-escapes text for attributes and content (`XMLText.escape`).
    public static func escape(_ text: String) -> String { XMLText.escape(text) }

    /// Seconds with three decimals.
    static func secondsText(_ milliseconds: Int64) -> String {
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
