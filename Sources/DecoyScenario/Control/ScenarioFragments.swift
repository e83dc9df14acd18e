import DecoyCore
import DecoyFaults
import Yams

/// One rule or one action on its own, in the shape it has inside a scenario file (YAML or JSON,
/// which is YAML too), read by the scenario readers themselves: the control API's `POST /rules`
/// and `POST /actions` then accept exactly what a file accepts and report errors the same way.
public enum ScenarioFragments {
    /// One `rules:` entry, e.g. `{"match": {"path": "/api/v1/login"}, "status": 503}`. Diagnostics
    /// name it `rules[0]` (as the first entry of a file's list) and `file`.
    public static func rule(_ text: String, config: DecoyConfig, file: String = "rule") throws(ConfigError) -> FaultRule
    {
        let node = try compose(text, file: file, example: #"{"match": {"path": "/api/v1/login"}, "status": 503}"#)
        var reader = YAMLReader(file: file)
        let rules = FaultRuleReader.readRules(.sequence(.init([node])), config: config, reader: &reader)
        guard reader.diagnostics.isEmpty, let rule = rules.first else { throw ConfigError(reader.diagnostics) }
        return rule
    }

    /// One timeline action without its time key, e.g.
    /// `{"motion": {"camera": "Doorbell", "type": "person", "duration": "4s"}}`.
    public static func action(
        _ text: String, config: DecoyConfig, file: String = "action"
    ) throws(ConfigError) -> ScenarioAction {
        let node = try compose(
            text, file: file, example: #"{"motion": {"camera": "Doorbell", "type": "person", "duration": "4s"}}"#)
        var reader = YAMLReader(file: file)
        let keys = ActionReader.supported + ActionReader.notYetSupported
        let action = reader.mapping(node, at: "action", allowed: keys).flatMap { map in
            ActionReader.read(map, item: node, path: "action", config: config, reader: &reader)
        }
        guard reader.diagnostics.isEmpty, let action else { throw ConfigError(reader.diagnostics) }
        return action
    }

    private static func compose(_ text: String, file: String, example: String) throws(ConfigError) -> Node {
        guard let root = try ConfigLoader.compose(text, file: file) else {
            throw ConfigError([
                ConfigDiagnostic(
                    file: file, line: 1, column: 1, message: "the body is empty; send JSON or YAML such as \(example)")
            ])
        }
        return root
    }
}
