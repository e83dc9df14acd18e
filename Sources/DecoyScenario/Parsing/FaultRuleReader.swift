import DecoyCore
import DecoyFaults
import DecoyTinyCam
import Yams

/// `rules:` and the body of a `network:` or `media:` step: a match, a window, an optional
/// probability and exactly one fault (`status` with optional `body`, `latency` with optional
/// `jitter`, `legacyErrors`, or a network or media fault of `TransportFaultReader`).
enum FaultRuleReader {
    static let faultKeys = ["status", "latency", "legacyErrors"] + TransportFaultReader.keys
    static let common = ["name", "match", "probability", "body", "jitter", "by", "transport"] + faultKeys
    static let ruleKeys = common + ["from", "until", "for"]
    static let stepKeys = common + ["for"]
    /// A `media:` step names its fault with `fault:`.
    static let mediaStepKeys = ["name", "match", "probability", "by", "transport", "fault", "for"]
    static let matchKeys = ["camera", "path", "role", "user", "auth", "client", "method", "protocol"]

    static func readRules(_ node: Node, config: DecoyConfig, reader: inout YAMLReader) -> [FaultRule] {
        guard let items = reader.sequence(node, at: "rules") else { return [] }
        return items.enumerated().compactMap { index, item in
            let path = "rules[\(index)]"
            guard let map = reader.mapping(item, at: path, allowed: ruleKeys) else { return nil }
            let window = readWindow(map, path: path, reader: &reader)
            guard var rule = readRule(map, item: item, path: path, config: config, reader: &reader), let window
            else { return nil }
            (rule.fromMilliseconds, rule.untilMilliseconds) = window
            return rule
        }
    }

    /// `media: {for: 10s, fault: truncatedJPEG, …}`: a media rule for a while from when the step
    /// fires (a timed rule, like a `network:` step).
    static func readMedia(
        _ node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> ScenarioAction? {
        guard var map = reader.mapping(node, at: path, allowed: mediaStepKeys) else { return nil }
        guard let fault = map.removeValue(forKey: "fault") else {
            reader.error(
                "'\(path)' needs 'fault: <media fault>'; faults: \(MediaFault.names.joined(separator: ", "))", at: node)
            return nil
        }
        map["media"] = fault
        return readNetwork(map, node: node, path: path, config: config, reader: &reader)
    }

    /// `network: {for: 10s, …}`: the rule and how long it lasts from when the step fires.
    static func readNetwork(
        _ node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> ScenarioAction? {
        guard let map = reader.mapping(node, at: path, allowed: stepKeys) else { return nil }
        return readNetwork(map, node: node, path: path, config: config, reader: &reader)
    }

    private static func readNetwork(
        _ map: [String: Node], node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> ScenarioAction? {
        let duration = map["for"].flatMap { reader.duration($0, at: "\(path).for", positive: true) }
        if map["for"] == nil {
            reader.error("'\(path)' needs 'for: <duration>' (how long the fault lasts from this step)", at: node)
        }
        guard let rule = readRule(map, item: node, path: path, config: config, reader: &reader), let duration else {
            return nil
        }
        return .network(rule, forMilliseconds: duration)
    }

    private static func readRule(
        _ map: [String: Node], item: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> FaultRule? {
        let name = map["name"].flatMap { reader.string($0, at: "\(path).name") }
        let match = map["match"].map { readMatch($0, path: "\(path).match", config: config, reader: &reader) }
        let probability = map["probability"].map { reader.number($0, at: "\(path).probability", in: 0...1) }
        let fault = readFault(map, item: item, path: path, reader: &reader)
        if match == .some(nil) || probability == .some(nil) { return nil }
        guard let fault else { return nil }
        if fault == .network(.refuse), let match = match ?? nil, match != FaultMatch(client: match.client) {
            reader.error(
                "'\(path)' refuses connections before any request is read, so its match can only name "
                    + "'client' (an address or glob such as 127.0.0.*)", at: map["match"])
            return nil
        }
        return FaultRule(
            name: name, match: (match ?? nil) ?? FaultMatch(), probability: probability ?? nil, fault: fault,
            line: item.mark?.line ?? 0)
    }

    /// `from`/`until`, or `from` (default 0) and `for`; neither: the whole run.
    private static func readWindow(
        _ map: [String: Node], path: String, reader: inout YAMLReader
    ) -> (Int64, Int64?)? {
        let from = map["from"].map { reader.duration($0, at: "\(path).from") } ?? 0
        if map["until"] != nil, let forNode = map["for"] {
            reader.error("'\(path)' has both 'until' and 'for'; give one (for = how long after 'from')", at: forNode)
            return nil
        }
        guard let from else { return nil }
        if let node = map["for"] {
            return reader.duration(node, at: "\(path).for", positive: true).map { (from, from + $0) }
        }
        guard let node = map["until"] else { return (from, nil) }
        guard let until = reader.duration(node, at: "\(path).until") else { return nil }
        guard until > from else {
            reader.error(
                "'\(path).until' (\(RunTime.text(until))) must be after 'from' (\(RunTime.text(from)))", at: node)
            return nil
        }
        return (from, until)
    }

    private static func readFault(
        _ map: [String: Node], item: Node, path: String, reader: inout YAMLReader
    ) -> Fault? {
        let given = faultKeys.filter { map[$0] != nil }
        for (option, owner) in [("body", "status"), ("jitter", "latency"), ("by", "media"), ("transport", "media")]
        where map[option] != nil {
            if !given.contains(owner) {
                reader.error("'\(path).\(option)' only goes with '\(owner):'", at: map[option])
            }
        }
        guard given.count == 1, let key = given.first, let node = map[key] else {
            let problem =
                given.isEmpty ? "has no fault" : "has \(given.count) faults (\(given.joined(separator: ", ")))"
            reader.error(
                "'\(path)' \(problem); give exactly one of: status (e.g. 'status: 503' with optional 'body:'), "
                    + "latency (e.g. 'latency: 2s' with optional 'jitter:'), legacyErrors (true or false), "
                    + "reset: true, refuse: true, stall (e.g. 5s), bandwidth (e.g. 64KB/s), closeAfterBytes, "
                    + "closeAfterFrames, media (\(MediaFault.names.joined(separator: ", ")))", at: item)
            return nil
        }
        if TransportFaultReader.keys.contains(key) {
            return TransportFaultReader.read(key, node, map: map, path: path, reader: &reader)
        }
        switch key {
        case "status":
            let code = reader.integer(node, at: "\(path).status", in: 200...599)
            let body = map["body"].map { reader.string($0, at: "\(path).body") }
            guard let code, body != .some(nil) else { return nil }
            return .status(code: code, body: body ?? nil)
        case "latency":
            let fixed = reader.duration(node, at: "\(path).latency")
            let jitter = map["jitter"].map { reader.duration($0, at: "\(path).jitter") } ?? 0
            guard let fixed, let jitter else { return nil }
            if fixed + jitter == 0 {
                reader.error("'\(path).latency' of 0 with no jitter delays nothing; give e.g. 'latency: 2s'", at: node)
                return nil
            }
            return .latency(fixedMilliseconds: fixed, jitterMilliseconds: jitter)
        default:
            return reader.bool(node, at: "\(path).legacyErrors").map(Fault.legacyErrors)
        }
    }

    private static func readMatch(
        _ node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> FaultMatch? {
        guard let map = reader.mapping(node, at: path, allowed: matchKeys) else { return nil }
        return readMatch(map, node: node, path: path, config: config, reader: &reader)
    }

    /// The match keys of `map` (already checked to hold no other keys).
    static func readMatch(
        _ map: [String: Node], node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> FaultMatch? {
        var match = FaultMatch()
        var valid = true
        if let node = map["camera"] {
            match.cameraID = CameraReference.id(node, at: "\(path).camera", config: config, reader: &reader)
            valid = valid && match.cameraID != nil
        }
        if let node = map["method"] {
            match.method = reader.string(node, at: "\(path).method")?.uppercased()
            valid = valid && match.method != nil
        }
        if let node = map["protocol"] {
            match.wire = reader.choice(node, at: "\(path).protocol", as: ExchangeFacts.WireProtocol.self)
            valid = valid && match.wire != nil
        }
        if let node = map["path"] {
            match.path = reader.string(node, at: "\(path).path")
            if let text = match.path, !text.hasPrefix("/"), !text.hasPrefix("*") {
                reader.error(
                    "'\(path).path' must start with '/' (such as /api/v1/login) or '*', got '\(text)'", at: node)
                match.path = nil
            }
            valid = valid && match.path != nil
        }
        if let node = map["role"] {
            match.role = reader.choice(node, at: "\(path).role", as: Role.self)
            valid = valid && match.role != nil
        }
        if let node = map["user"] {
            match.user = UserReference.name(node, at: "\(path).user", config: config, reader: &reader)
            valid = valid && match.user != nil
        }
        if let node = map["auth"] {
            match.auth = reader.choice(node, at: "\(path).auth", as: AuthKind.self)
            valid = valid && match.auth != nil
        }
        if let node = map["client"] {
            match.client = reader.string(node, at: "\(path).client")
            valid = valid && match.client != nil
        }
        return valid ? match : nil
    }
}

/// A camera named in a scenario: its name or its id, resolved against the scenario's config.
enum CameraReference {
    /// The camera's name or id as written when it exists; reports (with the nearest name) otherwise.
    static func resolve(_ node: Node, at path: String, config: DecoyConfig, reader: inout YAMLReader) -> CameraConfig? {
        guard let text = reader.string(node, at: path) else { return nil }
        if let camera = config.cameras.first(where: { $0.name == text || Int(decimal: text).map(Int64.init) == $0.id }
        ) {
            return camera
        }
        let hint =
            NearestKey.suggestion(for: text, among: config.cameras.map(\.name))
            .map { " (did you mean '\($0)'?)" } ?? ""
        let list = config.cameras.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")
        reader.error("'\(path)': no camera '\(text)'\(hint); cameras: \(list)", at: node)
        return nil
    }

    static func id(_ node: Node, at path: String, config: DecoyConfig, reader: inout YAMLReader) -> Int64? {
        resolve(node, at: path, config: config, reader: &reader)?.id
    }
}

/// A user named in a scenario: one of the config's users.
enum UserReference {
    static func name(_ node: Node, at path: String, config: DecoyConfig, reader: inout YAMLReader) -> String? {
        guard let text = reader.string(node, at: path) else { return nil }
        let names = config.users.map(\.name)
        if names.contains(text) { return text }
        let hint = NearestKey.suggestion(for: text, among: names).map { " (did you mean '\($0)'?)" } ?? ""
        reader.error("'\(path)': no user '\(text)'\(hint); users: \(names.joined(separator: ", "))", at: node)
        return nil
    }
}
