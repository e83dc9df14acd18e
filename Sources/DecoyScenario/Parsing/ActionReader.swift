import DecoyCore
import DecoyFaults
import Yams

/// How a `drop` action ends the connections it takes.
enum DropMode: String, CaseIterable {
    /// TCP reset: the client sees ECONNRESET, and anything unsent is lost.
    case reset
    /// An orderly close (FIN): the client sees the stream end.
    case close
}

/// The action of a timeline step: exactly one of the action keys.
enum ActionReader {
    static let supported = [
        "motion", "camera", "restart", "log", "auth", "network", "media", "drop", "battery", "storage", "settings",
        "io", "events",
    ]
    /// Actions of the scenario language (issue 8) that need parts not built yet.
    static let notYetSupported: [String] = []

    static func read(
        _ map: [String: Node], item: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> ScenarioAction? {
        let given = (supported + notYetSupported).filter { map[$0] != nil }
        guard given.count == 1, let key = given.first, let node = map[key] else {
            let problem =
                given.isEmpty ? "has no action" : "has \(given.count) actions (\(given.joined(separator: ", ")))"
            reader.error(
                "'\(path)' \(problem); a step does exactly one of: \(supported.joined(separator: ", "))", at: item)
            return nil
        }
        switch key {
        case "motion": return readMotion(node, path: "\(path).motion", config: config, reader: &reader)
        case "camera": return readCamera(node, path: "\(path).camera", config: config, reader: &reader)
        case "restart": return readRestart(node, path: "\(path).restart", reader: &reader)
        case "log": return readLog(node, path: "\(path).log", reader: &reader)
        case "auth": return StateActionReader.readAuth(node, path: "\(path).auth", config: config, reader: &reader)
        case "network":
            return FaultRuleReader.readNetwork(node, path: "\(path).network", config: config, reader: &reader)
        case "media":
            return FaultRuleReader.readMedia(node, path: "\(path).media", config: config, reader: &reader)
        case "drop": return readDrop(node, path: "\(path).drop", config: config, reader: &reader)
        case "battery": return StateActionReader.readBattery(node, path: "\(path).battery", reader: &reader)
        case "storage": return StateActionReader.readStorage(node, path: "\(path).storage", reader: &reader)
        case "settings": return StateActionReader.readSettings(node, path: "\(path).settings", reader: &reader)
        case "io": return StateActionReader.readIO(node, path: "\(path).io", config: config, reader: &reader)
        case "events":
            return StateActionReader.readEvents(node, path: "\(path).events", reader: &reader)
        default:
            reader.error(
                "action '\(key)' is not supported yet; this version runs: \(supported.joined(separator: ", "))",
                at: node)
            return nil
        }
    }

    /// `motion: {camera: Doorbell, type: person, duration: 4s}`; the camera by name or id, the type
    /// `motion` and the duration `events.triggerDuration` when left out.
    private static func readMotion(
        _ node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> ScenarioAction? {
        guard let map = reader.mapping(node, at: path, allowed: ["camera", "type", "duration"]) else { return nil }
        guard let cameraNode = map["camera"] else {
            reader.error("'\(path)' needs a 'camera' (its name or id)", at: node)
            return nil
        }
        let camera = reader.string(cameraNode, at: "\(path).camera")
        let known = CameraReference.resolve(cameraNode, at: "\(path).camera", config: config, reader: &reader) != nil
        let type = map["type"].map { reader.choice($0, at: "\(path).type", as: EventType.self) } ?? .motion
        let defaultDuration = Int64((config.events.triggerDurationSeconds * 1000).rounded())
        let duration =
            map["duration"].map { reader.duration($0, at: "\(path).duration", positive: true) }
            ?? defaultDuration
        guard known, let camera, let type, let duration else { return nil }
        return .motion(camera: camera, type: type, durationMilliseconds: duration)
    }

    /// `camera: {camera: Yard, state: offline}`, `{camera: Yard, resolution: 1280x720, fps: 5}`: the
    /// camera by name or id, then at least one of `state` (offline, online, frozen, black, noSignal),
    /// `resolution` and `fps` (checked as in the config).
    private static func readCamera(
        _ node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> ScenarioAction? {
        let changes = ["state", "resolution", "fps"]
        guard let map = reader.mapping(node, at: path, allowed: ["camera"] + changes) else { return nil }
        guard let cameraNode = map["camera"], changes.contains(where: { map[$0] != nil }) else {
            let missing = map["camera"] == nil ? "a 'camera' (its name or id)" : "a 'state', 'resolution' or 'fps'"
            reader.error(
                "'\(path)' needs \(missing), e.g. camera: { camera: Yard, state: offline } or "
                    + "camera: { camera: Yard, resolution: 1280x720, fps: 5 }; states: "
                    + CameraStateWord.allCases.map(\.rawValue).joined(separator: ", "), at: node)
            return nil
        }
        let camera = reader.string(cameraNode, at: "\(path).camera")
        let known = CameraReference.resolve(cameraNode, at: "\(path).camera", config: config, reader: &reader) != nil
        var change = CameraChange()
        var valid = true
        if let stateNode = map["state"] {
            change.health = reader.choice(stateNode, at: "\(path).state", as: CameraStateWord.self)?.health
            valid = valid && change.health != nil
        }
        if let sizeNode = map["resolution"] {
            change.resolution = reader.cameraResolution(sizeNode, at: "\(path).resolution")
            valid = valid && change.resolution != nil
        }
        if let rateNode = map["fps"] {
            change.framesPerSecond = reader.cameraFrameRate(rateNode, at: "\(path).fps")
            valid = valid && change.framesPerSecond != nil
        }
        guard known, valid, let camera else { return nil }
        return .camera(camera: camera, change: change)
    }

    /// `drop: {camera: Yard, how: reset}`: the match keys of a rule (`camera`, `path`, `role`, `user`,
    /// `auth`, `client`) and `how` (`reset`, the default, or `close`).
    private static func readDrop(
        _ node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> ScenarioAction? {
        guard var map = reader.mapping(node, at: path, allowed: FaultRuleReader.matchKeys + ["how"]) else {
            return nil
        }
        let how = map.removeValue(forKey: "how").map { reader.choice($0, at: "\(path).how", as: DropMode.self) }
        let match = FaultRuleReader.readMatch(map, node: node, path: path, config: config, reader: &reader)
        guard let match, how != .some(nil) else { return nil }
        return .drop(match, reset: (how ?? .reset) != .close)
    }

    /// `restart:`, `restart: {}` or `restart: true`.
    private static func readRestart(_ node: Node, path: String, reader: inout YAMLReader) -> ScenarioAction? {
        switch node {
        case .scalar(let scalar) where ["", "~", "null", "true"].contains(scalar.string):
            return .restart
        case .mapping:
            return reader.mapping(node, at: path, allowed: []).map { _ in .restart }
        default:
            reader.error("'\(path)' takes no settings: write 'restart: {}'", at: node)
            return nil
        }
    }

    /// `log: text` or `log: {message: text}`.
    private static func readLog(_ node: Node, path: String, reader: inout YAMLReader) -> ScenarioAction? {
        if case .scalar(let scalar) = node { return .log(scalar.string) }
        guard let map = reader.mapping(node, at: path, allowed: ["message"]) else { return nil }
        guard let message = map["message"].flatMap({ reader.string($0, at: "\(path).message") }) else {
            reader.error("'\(path)' needs a 'message'", at: node)
            return nil
        }
        return .log(message)
    }
}
