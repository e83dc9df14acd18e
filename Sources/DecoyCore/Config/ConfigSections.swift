import DecoyMedia
import Yams

/// `server:`.
enum ServerSection {
    static let keys = [
        "listen", "https", "cert", "key", "cors", "serverHeader", "legacyErrorStatus200", "tokenTTL", "maxTokens",
        "restartDelay", "requestTimeout", "maxConnections", "access", "profile", "authChallenge", "realm",
        "digestNonceTTL", "rtsp", "rtspListen", "rtspSessionTimeout",
    ]

    static func read(_ node: Node, into server: inout ServerConfig, reader: inout YAMLReader) {
        guard let map = reader.mapping(node, at: "server", allowed: keys) else { return }
        if let node = map["listen"], let text = reader.string(node, at: "server.listen") {
            if let address = ListenAddress(parsing: text) {
                server.listen = address
            } else {
                reader.error("'server.listen' must be HOST:PORT such as 127.0.0.1:8083, got '\(text)'", at: node)
            }
        }
        if let node = map["https"], let value = reader.bool(node, at: "server.https") { server.https = value }
        if let node = map["cert"], let value = reader.string(node, at: "server.cert") { server.certificatePath = value }
        if let node = map["key"], let value = reader.string(node, at: "server.key") { server.privateKeyPath = value }
        if let node = map["cors"], let value = reader.bool(node, at: "server.cors") { server.cors = value }
        if let node = map["serverHeader"], let value = reader.string(node, at: "server.serverHeader") {
            server.serverHeader = value
        }
        if let node = map["legacyErrorStatus200"], let value = reader.bool(node, at: "server.legacyErrorStatus200") {
            server.legacyErrorStatus200 = value
        }
        if let node = map["tokenTTL"], let value = reader.integer(node, at: "server.tokenTTL", in: 0...31_536_000) {
            server.tokenTTLSeconds = value
        }
        if let node = map["maxTokens"], let value = reader.integer(node, at: "server.maxTokens", in: 1...1_000_000) {
            server.maxTokens = value
        }
        if let node = map["restartDelay"], let value = reader.number(node, at: "server.restartDelay", in: 0...600) {
            server.restartDelaySeconds = value
        }
        if let node = map["requestTimeout"],
            let value = reader.number(node, at: "server.requestTimeout", in: 0.1...3600)
        {
            server.requestTimeoutSeconds = value
        }
        if let node = map["maxConnections"],
            let value = reader.integer(node, at: "server.maxConnections", in: 1...1_000_000)
        {
            server.maxConnections = value
        }
        if let node = map["access"] { readAccess(node, into: &server, reader: &reader) }
        if let node = map["profile"], let value = reader.choice(node, at: "server.profile", as: ServerProfile.self) {
            server.profile = value
        }
        if let node = map["authChallenge"],
            let value = reader.choice(node, at: "server.authChallenge", as: AuthChallenge.self)
        {
            server.authChallenge = value
        }
        if let node = map["realm"], let value = reader.string(node, at: "server.realm") {
            if value.isEmpty || value.contains("\"") || value.contains("\\") || value.utf8.count > 200 {
                reader.error("'server.realm' must be 1 to 200 characters without quotes or backslashes", at: node)
            } else {
                server.realm = value
            }
        }
        if let node = map["rtsp"], let value = reader.bool(node, at: "server.rtsp") { server.rtsp = value }
        if let node = map["rtspListen"], let text = reader.string(node, at: "server.rtspListen") {
            if ["off", "false", "no"].contains(text.lowercased()) {
                server.rtspListen = .off
            } else if let address = ListenAddress(parsing: text) {
                server.rtspListen = .at(address)
            } else {
                reader.error(
                    "'server.rtspListen' must be HOST:PORT such as 0.0.0.0:554 (RTSP's own port) or off, got '\(text)'",
                    at: node)
            }
        }
        if let node = map["rtspSessionTimeout"],
            let value = reader.integer(node, at: "server.rtspSessionTimeout (seconds)", in: 10...3600)
        {
            server.rtspSessionTimeoutSeconds = value
        }
        if let node = map["digestNonceTTL"],
            let value = reader.number(node, at: "server.digestNonceTTL (seconds)", in: 1...86_400)
        {
            server.digestNonceTTLSeconds = value
        }
    }

    private static func readAccess(_ node: Node, into server: inout ServerConfig, reader: inout YAMLReader) {
        guard case .mapping(let mapping) = node else {
            reader.error("'server.access' must map endpoint paths to guest or admin", at: node)
            return
        }
        for (keyNode, valueNode) in mapping {
            guard let path = reader.string(keyNode, at: "server.access"),
                let role = reader.choice(valueNode, at: "server.access.\(path)", as: Role.self)
            else { continue }
            guard path.hasPrefix("/") else {
                reader.error("'server.access' keys are endpoint paths starting with '/', got '\(path)'", at: keyNode)
                continue
            }
            server.accessOverrides[path] = role
        }
    }
}

/// `users:`.
enum UsersSection {
    static let keys = ["name", "password", "role"]

    static func read(_ node: Node, reader: inout YAMLReader) -> [UserConfig] {
        guard let items = reader.sequence(node, at: "users") else { return [] }
        var users: [UserConfig] = []
        for (index, item) in items.enumerated() {
            let path = "users[\(index)]"
            guard let map = reader.mapping(item, at: path, allowed: keys) else { continue }
            guard let nameNode = map["name"], let name = reader.string(nameNode, at: "\(path).name"), !name.isEmpty
            else {
                reader.error("'\(path)' needs a non-empty 'name'", at: item)
                continue
            }
            if name.contains(":") {
                reader.error("user name '\(name)' must not contain ':' (Basic auth)", at: nameNode)
            }
            if users.contains(where: { $0.name == name }) {
                reader.error("user '\(name)' is defined twice", at: nameNode)
            }
            let password = map["password"].flatMap { reader.string($0, at: "\(path).password") } ?? ""
            let role = map["role"].flatMap { reader.choice($0, at: "\(path).role", as: Role.self) } ?? .guest
            users.append(UserConfig(name: name, password: password, role: role))
        }
        return users
    }
}

/// `storage:`.
enum StorageSection {
    static func read(_ node: Node, into storage: inout StorageConfig, reader: inout YAMLReader) {
        let keys = ["stateDir", "timeZone", "recordings", "maxSize", "maxAge"]
        guard let map = reader.mapping(node, at: "storage", allowed: keys) else { return }
        if let node = map["stateDir"], let value = reader.string(node, at: "storage.stateDir") {
            storage.stateDirectory = value
        }
        if let node = map["recordings"], let value = reader.string(node, at: "storage.recordings") {
            if value.isEmpty {
                reader.error("'storage.recordings' must be a folder path", at: node)
            } else {
                storage.recordingsDirectory = value
            }
        }
        if let node = map["maxSize"], let text = reader.string(node, at: "storage.maxSize") {
            if text == "unlimited" {
                storage.maxSizeBytes = nil
            } else if let bytes = ByteSize.parse(text) {
                storage.maxSizeBytes = bytes
            } else {
                reader.error(
                    "'storage.maxSize' must be bytes or a size such as 500MB or 2GB (or unlimited), got '\(text)'",
                    at: node)
            }
        }
        if let node = map["maxAge"], let text = reader.string(node, at: "storage.maxAge") {
            if text == "unlimited" {
                storage.maxAgeDays = nil
            } else if let days = reader.number(node, at: "storage.maxAge (days, or unlimited)", in: 0.001...36_500) {
                storage.maxAgeDays = days
            }
        }
        if let node = map["timeZone"], let value = reader.string(node, at: "storage.timeZone") {
            if LocalTimeZone.isKnown(value) {
                storage.timeZone = value
            } else {
                reader.error(
                    "'storage.timeZone' '\(value)' is not an IANA time zone such as Europe/Berlin or UTC", at: node)
            }
        }
    }
}

/// `status:`.
enum StatusSection {
    static func read(_ node: Node, into status: inout StatusConfig, reader: inout YAMLReader) {
        let keys = ["batteryLevel", "batteryStatus", "temperature"]
        guard let map = reader.mapping(node, at: "status", allowed: keys) else { return }
        if let node = map["batteryLevel"], let value = reader.integer(node, at: "status.batteryLevel", in: 0...100) {
            status.batteryLevel = value
        }
        if let node = map["batteryStatus"], let value = reader.string(node, at: "status.batteryStatus") {
            if StatusConfig.batteryStatuses.contains(value) {
                status.batteryStatus = value
            } else {
                let allowed = StatusConfig.batteryStatuses.joined(separator: ", ")
                reader.error("'status.batteryStatus' must be one of \(allowed), got '\(value)'", at: node)
            }
        }
        if let node = map["temperature"], let value = reader.integer(node, at: "status.temperature", in: -273...200) {
            status.temperature = value
        }
    }
}

/// `events:` and the per-camera `motionDetection` and `recording` mappings.
enum EventsSection {
    static func read(_ node: Node, into events: inout EventsConfig, reader: inout YAMLReader) {
        guard let map = reader.mapping(node, at: "events", allowed: ["triggerDuration"]) else { return }
        if let node = map["triggerDuration"],
            let value = reader.number(node, at: "events.triggerDuration", in: 0.1...3600)
        {
            events.triggerDurationSeconds = value
        }
    }

    static func readMotion(
        _ node: Node, at path: String, into motion: inout MotionDetectionConfig, reader: inout YAMLReader
    ) {
        let keys = ["enabled", "sensitivity", "minimumArea", "cooldown"]
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return }
        if let node = map["enabled"], let value = reader.bool(node, at: "\(path).enabled") { motion.enabled = value }
        if let node = map["sensitivity"], let value = reader.integer(node, at: "\(path).sensitivity", in: 1...100) {
            motion.sensitivity = value
        }
        if let node = map["minimumArea"],
            let value = reader.number(node, at: "\(path).minimumArea (percent)", in: 0.01...100)
        {
            motion.minimumAreaPercent = value
        }
        if let node = map["cooldown"], let value = reader.number(node, at: "\(path).cooldown (seconds)", in: 0...600) {
            motion.cooldownSeconds = value
        }
    }

    static func readRecording(
        _ node: Node, at path: String, into recording: inout RecordingConfig, reader: inout YAMLReader
    ) {
        let keys = ["enabled", "preRoll", "postRoll", "maxDuration", "quality"]
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return }
        if let node = map["enabled"], let value = reader.bool(node, at: "\(path).enabled") { recording.enabled = value }
        if let node = map["preRoll"], let value = reader.number(node, at: "\(path).preRoll (seconds)", in: 0...30) {
            recording.preRollSeconds = value
        }
        if let node = map["postRoll"], let value = reader.number(node, at: "\(path).postRoll (seconds)", in: 0...60) {
            recording.postRollSeconds = value
        }
        if let node = map["maxDuration"],
            let value = reader.number(node, at: "\(path).maxDuration (seconds)", in: 1...3600)
        {
            recording.maxDurationSeconds = value
        }
        if let node = map["quality"], let value = reader.integer(node, at: "\(path).quality", in: 10...100) {
            recording.quality = value
        }
    }
}

/// Sizes such as `500MB`, `2GB`, `1.5G` or plain bytes (units are powers of 1024).
enum ByteSize {
    static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces.uppercased()
        let kib = 1024.0
        let units: [(String, Double)] = [
            ("TB", kib * kib * kib * kib), ("GB", kib * kib * kib), ("MB", kib * kib), ("KB", kib),
            ("T", kib * kib * kib * kib), ("G", kib * kib * kib), ("M", kib * kib), ("K", kib), ("B", 1),
        ]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let value = Double(trimmed.dropLast(suffix.count).trimmingSpaces), value > 0, value < 1e6 else {
                return nil
            }
            return Int64(value * factor)
        }
        guard let value = Int64(trimmed), value > 0 else { return nil }
        return value
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
