import DecoyCore

/// `/param.cgi?action=update&root.<Name>=<value>`: tinyCam's app-wide switches.
///
/// Several `root.*` parameters may be given in one request; all are checked before any is
/// applied. `action=delete|pin|unpin&root.Filename=<path>` act on a recording (`RecordingActions`).
enum ParamEndpoint {
    static let endpoint = Endpoint("/param.cgi", access: .admin) { context in
        let query = context.query
        guard let action = query["action"] else {
            throw APIError.badRequest("missing action (action=update&root.<Name>=<value>)")
        }
        switch action {
        case "update": return try update(context)
        case "delete", "pin", "unpin": return try RecordingActions.apply(action, context: context)
        default:
            throw APIError.badRequest("unknown action '\(action)': use update, delete, pin or unpin")
        }
    }

    private static func update(_ context: EndpointContext) throws -> TinyCamResponse {
        let query = context.query
        let changes = try query.pairs.filter { $0.name.hasPrefix("root.") }.map(parse)
        guard !changes.isEmpty else {
            throw APIError.badRequest(
                "action=update needs one of root.BackgroundMode, root.StreamProfile, root.Notifications, root.PowerSafeMode"
            )
        }
        if let tag = query["tag"], !changes.contains(where: { if case .notifications = $0 { true } else { false } }) {
            throw APIError.badRequest("tag '\(tag)' only goes with root.Notifications")
        }
        let tag = query["tag"]
        context.services.settings.update { settings in
            for change in changes {
                switch change {
                case .backgroundMode(let on): settings.backgroundMode = on
                case .streamProfile(let profile): settings.streamProfile = profile
                case .notifications(let on):
                    settings.notifications = on
                    settings.notificationsTag = tag
                case .powerSafeMode(let on): settings.powerSafeMode = on
                }
            }
        }
        let summary = query.pairs.filter { $0.name.hasPrefix("root.") || $0.name == "tag" }
            .map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        context.services.recordAudit("settings \(summary) by \(context.principal.user)")
        return .emptySuccess
    }

    /// One validated `root.*` setting (`parse`); the Axis profile's `/axis-cgi/param.cgi` validates with it too.
    enum Change {
        case backgroundMode(Bool), streamProfile(AppSettings.StreamProfile), notifications(Bool), powerSafeMode(Bool)
    }

    static func parse(_ pair: (name: String, value: String)) throws -> Change {
        switch pair.name {
        case "root.BackgroundMode": return .backgroundMode(try onOff(pair))
        case "root.Notifications": return .notifications(try onOff(pair))
        case "root.PowerSafeMode": return .powerSafeMode(try onOff(pair))
        case "root.StreamProfile":
            guard let profile = AppSettings.StreamProfile(rawValue: pair.value) else {
                throw APIError.badRequest("root.StreamProfile must be main, sub or auto, got '\(pair.value)'")
            }
            return .streamProfile(profile)
        default:
            throw APIError.badRequest(
                "unknown parameter '\(pair.name)': use root.BackgroundMode, root.StreamProfile, root.Notifications or root.PowerSafeMode"
            )
        }
    }

    private static func onOff(_ pair: (name: String, value: String)) throws -> Bool {
        switch pair.value {
        case "on": return true
        case "off": return false
        default: throw APIError.badRequest("\(pair.name) must be on or off, got '\(pair.value)'")
        }
    }
}
