import DecoyMedia
import Yams

/// Reads a Decoy YAML configuration into a `DecoyConfig`, starting from the embedded default:
/// keys that are absent keep their default, unknown keys are errors (with the nearest valid key).
public enum ConfigLoader {
    /// Parses `text` (the contents of `file`, used in diagnostics). Throws `ConfigError` listing every problem.
    public static func parse(_ text: String, file: String) throws -> DecoyConfig {
        let root = try compose(text, file: file)
        var reader = YAMLReader(file: file)
        var config = DecoyConfig.embeddedDefault
        config.isEmbeddedDefault = false
        if let root {
            read(root, into: &config, reader: &reader)
        }
        validate(config, root: root, reader: &reader)
        if !reader.diagnostics.isEmpty { throw ConfigError(reader.diagnostics) }
        return config
    }

    /// The YAML tree of `text` (nil when it holds nothing), or its syntax error as a diagnostic at
    /// its position in `file`. Shared by every YAML Decoy reads: configs, scenarios, control bodies.
    public static func compose(_ text: String, file: String) throws(ConfigError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError([syntaxDiagnostic(error, file: file)])
        } catch {
            throw ConfigError([ConfigDiagnostic(file: file, line: 1, column: 1, message: "YAML: \(error)")])
        }
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws -> DecoyConfig {
        guard let text = FileText.read(path) else {
            throw ConfigError([
                ConfigDiagnostic(
                    file: path, line: 1, column: 1, message: "cannot read the file (does it exist and is it readable?)")
            ])
        }
        return try parse(text, file: path)
    }

    /// Reads a configuration mapping that is part of another YAML document (a scenario's inline
    /// `config:`) with exactly the checks of a configuration file, diagnostics at the node's own
    /// lines. Starts from `base`; only the top-level keys in `sections` are allowed; `path` names
    /// the mapping in messages (`config`).
    public static func read(
        node: Node, file: String, at path: String, base: DecoyConfig, sections: [String] = topLevelKeys
    ) throws(ConfigError) -> DecoyConfig {
        var reader = YAMLReader(file: file)
        var config = base
        read(node, into: &config, reader: &reader, at: path, allowed: sections)
        validate(config, root: node, reader: &reader)
        if !reader.diagnostics.isEmpty { throw ConfigError(reader.diagnostics) }
        return config
    }

    /// The top-level keys of a configuration file.
    public static let topLevelKeys = ["server", "users", "cameras", "storage", "status", "events"]

    private static func read(
        _ root: Node, into config: inout DecoyConfig, reader: inout YAMLReader, at path: String = "",
        allowed: [String] = topLevelKeys
    ) {
        guard let top = reader.mapping(root, at: path, allowed: allowed) else { return }
        if let node = top["server"] { ServerSection.read(node, into: &config.server, reader: &reader) }
        if let node = top["users"] { config.users = UsersSection.read(node, reader: &reader) }
        if let node = top["cameras"] { config.cameras = CamerasSection.read(node, reader: &reader) }
        if let node = top["storage"] { StorageSection.read(node, into: &config.storage, reader: &reader) }
        if let node = top["status"] { StatusSection.read(node, into: &config.status, reader: &reader) }
        if let node = top["events"] { EventsSection.read(node, into: &config.events, reader: &reader) }
    }

    private static func validate(_ config: DecoyConfig, root: Node?, reader: inout YAMLReader) {
        if config.users.isEmpty {
            reader.error("'users' is empty: at least one user is needed to log in", at: root)
        }
        if !config.users.contains(where: { $0.role == .admin }) {
            reader.error("no user has role admin: status, PTZ and settings would be unreachable", at: root)
        }
    }

    /// A YAML syntax error as a diagnostic at its line and column (shared with scenario files).
    public static func syntaxDiagnostic(_ error: YamlError, file: String) -> ConfigDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigDiagnostic(
                file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigDiagnostic(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key(s) \(duplicates.joined(separator: ", "))")
        default:
            return ConfigDiagnostic(file: file, line: 1, column: 1, message: "YAML: \(error)")
        }
    }
}
