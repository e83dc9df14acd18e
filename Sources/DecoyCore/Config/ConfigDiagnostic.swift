/// One problem in a configuration file, rendered the way compilers do (`file:line:col: message`)
/// so editors and CI logs link straight to it.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// Every problem found in a configuration file (all of them, not just the first).
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    /// Keeps the diagnostics in file order, however the checks found them.
    public init(_ diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Suggests the closest valid spelling for a mistyped key ("did you mean 'ptzCapabilities'?").
/// Public so scenario files suggest keys, step ids and action names the same way.
public enum NearestKey {
    /// The candidate with the smallest case-insensitive edit distance, if it is close enough to be a typo.
    public static func suggestion(for key: String, among candidates: [String]) -> String? {
        let lowered = Array(key.lowercased())
        let scored = candidates.map { ($0, distance(lowered, Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, key.count / 3) ? best.0 : nil
    }

    /// Levenshtein distance.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
