import Yams

/// Walks a composed YAML tree and collects diagnostics with the line and column of every offending
/// node, so one run of `decoy check` reports every mistake in the file. Public so that other
/// YAML documents of Decoy (scenario files) report their mistakes the same way.
public struct YAMLReader {
    public let file: String
    public private(set) var diagnostics: [ConfigDiagnostic] = []

    public init(file: String) { self.file = file }

    public mutating func error(_ message: String, at node: Node?) {
        let mark = node?.mark
        diagnostics.append(
            ConfigDiagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    /// The keys of a mapping, each checked against `allowed`; unknown keys are reported with the
    /// nearest valid key. Returns nil (and reports) when `node` is not a mapping.
    public mutating func mapping(_ node: Node, at path: String, allowed: [String]) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            error("'\(path)' must be a mapping of keys (\(allowed.joined(separator: ", ")))", at: node)
            return nil
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                error("keys under '\(path)' must be plain words", at: keyNode)
                continue
            }
            let name = key.string
            if allowed.contains(name) {
                result[name] = value
            } else {
                let hint = NearestKey.suggestion(for: name, among: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                let place = path.isEmpty ? "at the top level" : "under '\(path)'"
                error(
                    "unknown key '\(name)' \(place)\(hint); valid keys: \(allowed.joined(separator: ", "))",
                    at: keyNode)
            }
        }
        return result
    }

    public mutating func sequence(_ node: Node, at path: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error("'\(path)' must be a list (items start with '- ')", at: node)
            return nil
        }
        return Array(sequence)
    }

    public mutating func string(_ node: Node, at path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("'\(path)' must be a single value, not a list or mapping", at: node)
            return nil
        }
        return scalar.string
    }

    public mutating func bool(_ node: Node, at path: String) -> Bool? {
        guard let text = string(node, at: path) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("'\(path)' must be true or false, got '\(text)'", at: node)
            return nil
        }
    }

    public mutating func integer<T: FixedWidthInteger>(
        _ node: Node, at path: String, in range: ClosedRange<T>, as type: T.Type = T.self
    ) -> T? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = T(String(text.filter { $0 != "_" })), range.contains(value) else {
            error(
                "'\(path)' must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'",
                at: node)
            return nil
        }
        return value
    }

    public mutating func number(_ node: Node, at path: String, in range: ClosedRange<Double>) -> Double? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            error("'\(path)' must be a number from \(range.lowerBound) to \(range.upperBound), got '\(text)'", at: node)
            return nil
        }
        return value
    }

    public mutating func choice<T: RawRepresentable & CaseIterable>(
        _ node: Node, at path: String, as type: T.Type
    ) -> T?
    where T.RawValue == String {
        guard let text = string(node, at: path) else { return nil }
        if let value = T(rawValue: text) { return value }
        let allowed = T.allCases.map(\.rawValue)
        error("'\(path)' must be one of \(allowed.joined(separator: ", ")), got '\(text)'", at: node)
        return nil
    }
}
