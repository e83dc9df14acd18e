import DecoyCore
import DecoyTinyCam
import Yams

/// The actions that change Decoy's state rather than its picture: `auth`, `battery`, `storage`,
/// `settings`. Each says in its message what it takes.
enum StateActionReader {
    static let authKeys = ["failLogins", "revokeTokens", "lockout", "rejectStreamToken"]

    /// `auth: {failLogins: 3}`, `auth: {revokeTokens: all}` (or a user), `auth: {lockout: {after: 3, for: 30s}}`,
    /// `auth: {rejectStreamToken: {afterFrames: 50, user: admin}}` (`user` optional).
    static func readAuth(_ node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader) -> ScenarioAction? {
        guard let map = reader.mapping(node, at: path, allowed: authKeys) else { return nil }
        let given = authKeys.filter { map[$0] != nil }
        guard given.count == 1, let key = given.first, let value = map[key] else {
            reader.error(
                "'\(path)' needs exactly one of: failLogins: N, revokeTokens: all | <user>, "
                    + "lockout: {after: N, for: 30s}, rejectStreamToken: {afterFrames: N, user: <user>}", at: node)
            return nil
        }
        switch key {
        case "failLogins":
            return reader.integer(value, at: "\(path).failLogins", in: 1...1_000_000).map { .auth(.failLogins($0)) }
        case "revokeTokens":
            if case .scalar(let scalar) = value, scalar.string == "all" { return .auth(.revokeTokens(user: nil)) }
            return UserReference.name(value, at: "\(path).revokeTokens", config: config, reader: &reader).map {
                .auth(.revokeTokens(user: $0))
            }
        case "rejectStreamToken":
            return readRejectStreamToken(value, path: "\(path).rejectStreamToken", config: config, reader: &reader)
        default:
            let lockPath = "\(path).lockout"
            guard let lock = reader.mapping(value, at: lockPath, allowed: ["after", "for"]) else { return nil }
            guard let afterNode = lock["after"], let forNode = lock["for"] else {
                reader.error(
                    "'\(lockPath)' needs 'after: N' (failed logins in a row) and 'for: <duration>'", at: value)
                return nil
            }
            let after = reader.integer(afterNode, at: "\(lockPath).after", in: 1...1000)
            let duration = reader.duration(forNode, at: "\(lockPath).for", positive: true)
            guard let after, let duration else { return nil }
            return .auth(.lockout(after: after, forMilliseconds: duration))
        }
    }

    /// `{afterFrames: 50}` or `{afterFrames: 50, user: admin}`.
    private static func readRejectStreamToken(
        _ node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader
    ) -> ScenarioAction? {
        guard let map = reader.mapping(node, at: path, allowed: ["afterFrames", "user"]) else { return nil }
        guard let framesNode = map["afterFrames"] else {
            reader.error(
                "'\(path)' needs 'afterFrames: N' (the frames the stream gets before its token is rejected)", at: node)
            return nil
        }
        let frames = reader.integer(framesNode, at: "\(path).afterFrames", in: 1...1_000_000)
        let user = map["user"].map { UserReference.name($0, at: "\(path).user", config: config, reader: &reader) }
        guard let frames, user != .some(nil) else { return nil }
        return .auth(.rejectStreamToken(afterFrames: frames, user: user ?? nil))
    }

    /// `battery: {level: 15, charging: false}` (at least one of them).
    static func readBattery(_ node: Node, path: String, reader: inout YAMLReader) -> ScenarioAction? {
        guard let map = reader.mapping(node, at: path, allowed: ["level", "charging"]) else { return nil }
        guard map["level"] != nil || map["charging"] != nil else {
            reader.error("'\(path)' needs 'level: 0-100' and/or 'charging: true|false'", at: node)
            return nil
        }
        let level = map["level"].map { reader.integer($0, at: "\(path).level", in: 0...100) }
        let charging = map["charging"].map { reader.bool($0, at: "\(path).charging") }
        if level == .some(nil) || charging == .some(nil) { return nil }
        return .battery(level: level ?? nil, charging: charging ?? nil)
    }

    /// `storage: {full: true}` (or false: real readings again).
    static func readStorage(_ node: Node, path: String, reader: inout YAMLReader) -> ScenarioAction? {
        guard let map = reader.mapping(node, at: path, allowed: ["full"]) else { return nil }
        guard let full = map["full"] else {
            reader.error("'\(path)' needs 'full: true' (get_status reports no space left) or 'full: false'", at: node)
            return nil
        }
        return reader.bool(full, at: "\(path).full").map { .storage(full: $0) }
    }

    /// `settings: {notifications: false, profile: sub, backgroundMode: false}` (at least one).
    static func readSettings(_ node: Node, path: String, reader: inout YAMLReader) -> ScenarioAction? {
        let keys = ["notifications", "profile", "backgroundMode"]
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return nil }
        guard keys.contains(where: { map[$0] != nil }) else {
            reader.error("'\(path)' needs at least one of: \(keys.joined(separator: ", "))", at: node)
            return nil
        }
        let notifications = map["notifications"].map { reader.bool($0, at: "\(path).notifications") }
        let profile = map["profile"].map {
            reader.choice($0, at: "\(path).profile", as: AppSettings.StreamProfile.self)
        }
        let background = map["backgroundMode"].map { reader.bool($0, at: "\(path).backgroundMode") }
        if notifications == .some(nil) || profile == .some(nil) || background == .some(nil) { return nil }
        return .settings(
            SettingsChange(
                notifications: notifications ?? nil, profile: profile ?? nil, backgroundMode: background ?? nil))
    }

    /// `io: {camera: Yard, input: Door, active: true}`: the camera by name or id, one of its
    /// configured inputs (`cameras[].io.inputs`) by name, and its new state.
    static func readIO(_ node: Node, path: String, config: DecoyConfig, reader: inout YAMLReader) -> ScenarioAction? {
        guard let map = reader.mapping(node, at: path, allowed: ["camera", "input", "active"]) else { return nil }
        guard let cameraNode = map["camera"], let inputNode = map["input"], let activeNode = map["active"] else {
            reader.error(
                "'\(path)' needs 'camera' (name or id), 'input' (an input's name) and 'active: true|false'", at: node)
            return nil
        }
        let camera = reader.string(cameraNode, at: "\(path).camera")
        let resolved = CameraReference.resolve(cameraNode, at: "\(path).camera", config: config, reader: &reader)
        let input = reader.string(inputNode, at: "\(path).input")
        let active = reader.bool(activeNode, at: "\(path).active")
        guard let camera, let resolved, let input, let active else { return nil }
        guard resolved.io.inputs.contains(input) else {
            let inputs = resolved.io.inputs
            reader.error(
                "'\(path).input': camera '\(resolved.name)' has no input '\(input)'; "
                    + (inputs.isEmpty
                        ? "it has none (add them under cameras[].io.inputs)"
                        : "its inputs: \(inputs.joined(separator: ", "))"),
                at: inputNode)
            return nil
        }
        return .io(camera: camera, input: input, active: active)
    }

    /// `events: {for: 10s, silence: true}`, `{for: 10s, delay: 2s}` or `{for: 10s, duplicate: true}`:
    /// exactly one fault, for a positive duration.
    static func readEvents(
        _ node: Node, path: String, reader: inout YAMLReader
    ) -> ScenarioAction? {
        let keys = ["silence", "delay", "duplicate"]
        guard let map = reader.mapping(node, at: path, allowed: ["for"] + keys) else { return nil }
        let given = keys.filter { map[$0] != nil }
        guard let forNode = map["for"], given.count == 1, let key = given.first, let value = map[key] else {
            reader.error(
                "'\(path)' needs 'for: <duration>' and exactly one of: silence: true, delay: <duration>, duplicate: true",
                at: node)
            return nil
        }
        let duration = reader.duration(forNode, at: "\(path).for", positive: true)
        let kind: AxisEventFaults.Kind?
        switch key {
        case "delay":
            kind = reader.duration(value, at: "\(path).delay", positive: true).map { .delay(milliseconds: $0) }
        default:
            guard let on = reader.bool(value, at: "\(path).\(key)") else { return nil }
            guard on else {
                reader.error("'\(path).\(key)' must be true (leave the step out for no fault)", at: value)
                return nil
            }
            kind = key == "silence" ? .silence : .duplicate
        }
        guard let duration, let kind else { return nil }
        return .events(kind, forMilliseconds: duration)
    }
}
