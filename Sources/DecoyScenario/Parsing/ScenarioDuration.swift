import DecoyCore
import Foundation
import Yams

/// Durations in scenario files: a number with a unit, `500ms`, `5s`, `1.5s`, `2m`, `1h`.
///
/// A bare number is rejected: whether `5` means seconds or milliseconds is exactly the kind of
/// doubt a test script must not leave.
public enum ScenarioDuration {
    /// Milliseconds, or nil when `text` is not a duration (or is negative or over a day).
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            // "5ms" also ends in "s": only take "s" when what is left is a number.
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number)
            else { continue }
            let milliseconds = (value * factor).rounded()
            guard milliseconds <= 86_400_000 else { return nil }
            return Int64(milliseconds)
        }
        return nil
    }
}

extension YAMLReader {
    /// A duration value (`500ms`, `5s`, `2m`); reports and returns nil otherwise. `positive`
    /// rejects zero (intervals, windows).
    mutating func duration(_ node: Node, at path: String, positive: Bool = false) -> Int64? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = ScenarioDuration.parse(text), !positive || value > 0 else {
            let what = positive ? "a positive duration" : "a duration"
            error(
                "'\(path)' must be \(what) with a unit such as 500ms, 5s or 2m (at most 24h), got '\(text)'", at: node)
            return nil
        }
        return value
    }
}
