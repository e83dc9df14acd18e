import DecoyFaults

/// A fault rule as the control API shows it: its id and origin, the match, the window in journal
/// time and the fault in words (the same words the journal uses).
struct RuleView: Encodable {
    var id: String
    var origin: RuleOrigin
    var name: String?
    var match: [String: String]
    var fromMilliseconds: Int64
    var untilMilliseconds: Int64?
    var probability: Double?
    var fault: String

    init(_ entry: FaultState.Entry) {
        let rule = entry.rule
        id = entry.id ?? "-"
        origin = entry.origin
        name = rule.name
        var match: [String: String] = [:]
        if let camera = rule.match.cameraID { match["camera"] = String(camera) }
        if let path = rule.match.path { match["path"] = path }
        if let role = rule.match.role { match["role"] = role.rawValue }
        if let user = rule.match.user { match["user"] = user }
        if let auth = rule.match.auth { match["auth"] = auth.rawValue }
        if let client = rule.match.client { match["client"] = client }
        self.match = match
        fromMilliseconds = rule.fromMilliseconds
        untilMilliseconds = rule.untilMilliseconds
        probability = rule.probability
        fault = rule.fault.summary
    }
}

/// A rule just added, with a warning when it can never apply.
struct RuleAdded: Encodable {
    var rule: RuleView
    var warning: String
}
