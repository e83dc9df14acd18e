import DecoyCore
import Foundation
import Yams

/// Reads a scenario file into a `Scenario`, reporting every problem as `file:line:col: error: …`
/// (a `ConfigError`, the same diagnostics as configuration files), unknown keys with the nearest
/// valid one.
public enum ScenarioLoader {
    public static let topLevelKeys = [
        "name", "description", "seed", "clock", "duration", "config", "timeline", "rules", "expect",
    ]
    /// The configuration sections a scenario may set inline. `storage` is left to `decoy run`
    /// (`--state-dir`, else a fresh temporary folder), so runs never share recordings.
    public static let configSections = ["server", "users", "cameras", "events", "status"]

    /// Whether `text` reads as a scenario rather than a configuration: its top level names a key
    /// only scenarios have (`timeline`, `expect`, `rules`, `duration`, …) and no configuration
    /// section. `decoy check` validates such a file as a scenario.
    public static func isScenario(_ text: String) -> Bool {
        guard let root = try? ConfigLoader.compose(text, file: "-"), case .mapping(let map) = root else { return false }
        let keys = Set(map.keys.compactMap(\.string))
        let onlyScenario = Set(topLevelKeys).subtracting(ConfigLoader.topLevelKeys)
        return !keys.isDisjoint(with: onlyScenario) && keys.isDisjoint(with: ConfigLoader.topLevelKeys)
    }

    /// Whether the file at `path` reads as a scenario (see `isScenario`); false when unreadable.
    public static func isScenarioFile(_ path: String) -> Bool { ScenarioFile.read(path).map(isScenario) ?? false }

    /// Parses `text` (the contents of `file`, named in diagnostics).
    public static func parse(_ text: String, file: String) throws(ConfigError) -> Scenario {
        guard let root = try ConfigLoader.compose(text, file: file) else {
            throw ConfigError([
                ConfigDiagnostic(
                    file: file, line: 1, column: 1,
                    message: "the scenario is empty: it needs at least 'name' and 'duration' (see Scenarios/)")
            ])
        }
        var reader = YAMLReader(file: file)
        var extra: [ConfigDiagnostic] = []
        let scenario = read(root, file: file, reader: &reader, extra: &extra)
        let diagnostics = reader.diagnostics + extra
        if !diagnostics.isEmpty { throw ConfigError(diagnostics) }
        guard let scenario else { throw ConfigError(reader.diagnostics) }
        return scenario
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ConfigError) -> Scenario {
        guard let text = ScenarioFile.read(path) else {
            throw ConfigError([
                ConfigDiagnostic(
                    file: path, line: 1, column: 1, message: "cannot read the file (does it exist and is it readable?)")
            ])
        }
        return try parse(text, file: path)
    }

    private static func read(
        _ root: Node, file: String, reader: inout YAMLReader, extra: inout [ConfigDiagnostic]
    ) -> Scenario? {
        guard let top = reader.mapping(root, at: "", allowed: topLevelKeys) else { return nil }
        let name = top["name"].flatMap { reader.string($0, at: "name") }
        if name?.isEmpty ?? true {
            reader.error(
                "the scenario needs a non-empty 'name' (it names the JUnit test suite)", at: top["name"] ?? root)
        }
        let description = top["description"].flatMap { reader.string($0, at: "description") }
        let seed = top["seed"].flatMap { reader.integer($0, at: "seed", in: 0...UInt64.max) } ?? 0
        let clock = top["clock"].flatMap { reader.choice($0, at: "clock", as: ScenarioClock.self) } ?? .real
        let duration = top["duration"].flatMap { reader.duration($0, at: "duration", positive: true) }
        if top["duration"] == nil {
            reader.error("the scenario needs a 'duration' (the longest the run lasts, e.g. 30s)", at: root)
        }
        var config = Scenario.defaultConfig
        if let node = top["config"] {
            config = readConfig(node, file: file, reader: &reader, extra: &extra) ?? config
        }
        let rules = top["rules"].map { FaultRuleReader.readRules($0, config: config, reader: &reader) } ?? []
        let (timeline, stepIDs) =
            top["timeline"].map { TimelineReader.read($0, config: config, reader: &reader) } ?? ([], [])
        let expectations =
            top["expect"].map { ExpectationReader.read($0, stepIDs: stepIDs, reader: &reader) } ?? []
        guard let name, let duration else { return nil }
        return Scenario(
            name: name, description: description, seed: seed, clock: clock, durationMilliseconds: duration,
            config: config, timeline: timeline, rules: rules, expectations: expectations, file: file)
    }

    /// The inline `config:`, checked exactly like a configuration file.
    private static func readConfig(
        _ node: Node, file: String, reader: inout YAMLReader, extra: inout [ConfigDiagnostic]
    ) -> DecoyConfig? {
        if let listen = node["server"]?["listen"] {
            reader.error(
                "'config.server.listen' is chosen by `decoy run --listen HOST:PORT` (default 127.0.0.1:0, a free "
                    + "port, so parallel runs never collide); remove it from the scenario", at: listen)
        }
        do {
            return try ConfigLoader.read(
                node: node, file: file, at: "config", base: Scenario.defaultConfig, sections: configSections)
        } catch {
            extra += error.diagnostics
            return nil
        }
    }
}

/// Reads scenario files (never on a hot path).
enum ScenarioFile {
    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
