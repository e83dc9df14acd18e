import DecoyCore
import DecoyTinyCam
import Yams

/// `expect:`: a list of named assertions. Each has exactly one subject: `request` (with `within` +
/// `of`, or counts), `never`, `order`, `clientExit`, `streams` (with `framesAtLeast` or
/// `concurrentAtMost`) or `reconnects` (with `within` and `backoff`).
enum ExpectationReader {
    static let subjects = ["request", "never", "order", "clientExit", "streams", "reconnects"]
    /// The keys each subject may be qualified with.
    static let modifiers: [String: [String]] = [
        "request": ["within", "of", "atLeast", "atMost", "per"],
        "streams": ["framesAtLeast", "concurrentAtMost"],
        "reconnects": ["within", "backoff"],
    ]
    static let keys =
        ["name"] + subjects + ["within", "of", "atLeast", "atMost", "per"]
        + ["framesAtLeast", "concurrentAtMost", "backoff"]
    static let patternKeys = ["path", "method", "status", "user", "auth", "params", "fault", "protocol", "transport"]

    static func read(_ node: Node, stepIDs: [String], reader: inout YAMLReader) -> [Expectation] {
        guard let items = reader.sequence(node, at: "expect") else { return [] }
        var expectations: [Expectation] = []
        for (index, item) in items.enumerated() {
            let path = "expect[\(index)]"
            guard let map = reader.mapping(item, at: path, allowed: keys) else { continue }
            guard let nameNode = map["name"], let name = reader.string(nameNode, at: "\(path).name"), !name.isEmpty
            else {
                reader.error("'\(path)' needs a non-empty 'name' (it names the JUnit test case)", at: item)
                continue
            }
            if expectations.contains(where: { $0.name == name }) {
                reader.error("expectation name '\(name)' is used twice; names must be unique", at: nameNode)
            }
            if let kind = readKind(map, item: item, path: path, stepIDs: stepIDs, reader: &reader) {
                expectations.append(Expectation(name: name, kind: kind, line: item.mark?.line ?? 0))
            }
        }
        return expectations
    }

    private static func readKind(
        _ map: [String: Node], item: Node, path: String, stepIDs: [String], reader: inout YAMLReader
    ) -> ExpectationKind? {
        let given = subjects.filter { map[$0] != nil }
        guard given.count == 1, let subject = given.first, let node = map[subject] else {
            let problem = given.isEmpty ? "says nothing to check" : "has \(given.joined(separator: " and "))"
            reader.error("'\(path)' \(problem); it needs exactly one of: \(subjects.joined(separator: ", "))", at: item)
            return nil
        }
        let allowed = modifiers[subject] ?? []
        for key in keys where key != "name" && !subjects.contains(key) && map[key] != nil && !allowed.contains(key) {
            let owners = modifiers.filter { $0.value.contains(key) }.keys.sorted().map { "'\($0):'" }
            reader.error(
                "'\(path).\(key)' only goes with \(owners.joined(separator: " or ")), not with '\(subject):'",
                at: map[key])
            return nil
        }
        switch subject {
        case "streams":
            return readStreams(node, map, item: item, path: path, reader: &reader)
        case "reconnects":
            return readReconnects(node, map, item: item, path: path, reader: &reader)
        case "never":
            return readPattern(node, at: "\(path).never", reader: &reader).map(ExpectationKind.never)
        case "order":
            return readOrder(node, at: "\(path).order", reader: &reader)
        case "clientExit":
            return reader.integer(node, at: "\(path).clientExit", in: 0...255, as: Int32.self).map {
                .clientExit($0)
            }
        default:
            guard let pattern = readPattern(node, at: "\(path).request", reader: &reader) else { return nil }
            if map["within"] != nil || map["of"] != nil {
                return readWithin(pattern, map, item: item, path: path, stepIDs: stepIDs, reader: &reader)
            }
            return readCount(pattern, map, item: item, path: path, reader: &reader)
        }
    }

    private static func readWithin(
        _ pattern: RequestPattern, _ map: [String: Node], item: Node, path: String, stepIDs: [String],
        reader: inout YAMLReader
    ) -> ExpectationKind? {
        guard let withinNode = map["within"], let ofNode = map["of"] else {
            reader.error("'\(path)' needs both 'within: <duration>' and 'of: <step id>'", at: item)
            return nil
        }
        for key in ["atLeast", "atMost", "per"] where map[key] != nil {
            reader.error("'\(path).\(key)' cannot be combined with 'within:'; write a second expectation", at: map[key])
        }
        let window = reader.duration(withinNode, at: "\(path).within")
        guard let step = reader.string(ofNode, at: "\(path).of") else { return nil }
        if !stepIDs.contains(step) {
            reader.error(TimelineReader.unknownStep(step, ids: stepIDs, key: "of"), at: ofNode)
            return nil
        }
        return window.map { .within(pattern, windowMilliseconds: $0, step: step) }
    }

    /// Counts; a bare `request:` means "at least one".
    private static func readCount(
        _ pattern: RequestPattern, _ map: [String: Node], item: Node, path: String, reader: inout YAMLReader
    ) -> ExpectationKind? {
        let atLeast = map["atLeast"].map { reader.integer($0, at: "\(path).atLeast", in: 0...Int(Int32.max)) }
        let atMost = map["atMost"].map { reader.integer($0, at: "\(path).atMost", in: 0...Int(Int32.max)) }
        let per = map["per"].map { reader.duration($0, at: "\(path).per", positive: true) }
        if atLeast == .some(nil) || atMost == .some(nil) || per == .some(nil) { return nil }
        if let low = atLeast ?? nil, let high = atMost ?? nil, low > high {
            reader.error("'\(path)': atLeast \(low) is more than atMost \(high), so it can never pass", at: item)
            return nil
        }
        if per != nil, atLeast == nil, atMost == nil {
            reader.error("'\(path).per' needs 'atLeast:' or 'atMost:' (how many per window)", at: map["per"])
            return nil
        }
        let least = atLeast ?? nil
        let most = atMost ?? nil
        return .count(pattern, atLeast: least ?? (most == nil ? 1 : nil), atMost: most, perMilliseconds: per ?? nil)
    }

    /// `streams: P` alone (at least one session), or with `framesAtLeast: N` or `concurrentAtMost: K`.
    private static func readStreams(
        _ node: Node, _ map: [String: Node], item: Node, path: String, reader: inout YAMLReader
    ) -> ExpectationKind? {
        guard let pattern = readPattern(node, at: "\(path).streams", reader: &reader) else { return nil }
        let requestOnly = [
            ("status", pattern.status != nil), ("method", pattern.method != nil), ("user", pattern.user != nil),
            ("auth", pattern.auth != nil),
        ]
        if let (key, _) = requestOnly.first(where: \.1) {
            reader.error(
                "'\(path).streams.\(key)' describes requests, not stream sessions; a stream pattern takes path, params "
                    + "and fault", at: node)
            return nil
        }
        if map["framesAtLeast"] != nil, map["concurrentAtMost"] != nil {
            reader.error("'\(path)' has both framesAtLeast and concurrentAtMost; write two expectations", at: item)
            return nil
        }
        if let frames = map["framesAtLeast"] {
            return reader.integer(frames, at: "\(path).framesAtLeast", in: 1...Int(Int32.max)).map {
                .streams(pattern, .framesAtLeast($0))
            }
        }
        if let limit = map["concurrentAtMost"] {
            return reader.integer(limit, at: "\(path).concurrentAtMost", in: 1...Int(Int32.max)).map {
                .streams(pattern, .concurrentAtMost($0))
            }
        }
        return .streams(pattern, .exists)
    }

    /// `reconnects: P` with `within: T` and an optional `backoff: D` (default 0).
    private static func readReconnects(
        _ node: Node, _ map: [String: Node], item: Node, path: String, reader: inout YAMLReader
    ) -> ExpectationKind? {
        guard let pattern = readPattern(node, at: "\(path).reconnects", reader: &reader) else { return nil }
        guard let withinNode = map["within"] else {
            reader.error("'\(path)' needs 'within: <duration>' (how soon the client must come back)", at: item)
            return nil
        }
        guard let within = reader.duration(withinNode, at: "\(path).within", positive: true) else { return nil }
        let backoff = map["backoff"].map { reader.duration($0, at: "\(path).backoff") } ?? 0
        guard let backoff else { return nil }
        guard backoff <= within else {
            reader.error(
                "'\(path)': backoff \(RunTime.text(backoff)) is longer than within \(RunTime.text(within)), so it can "
                    + "never pass", at: map["backoff"] ?? item)
            return nil
        }
        return .reconnects(pattern, withinMilliseconds: within, backoffMilliseconds: backoff)
    }

    private static func readOrder(_ node: Node, at path: String, reader: inout YAMLReader) -> ExpectationKind? {
        guard let items = reader.sequence(node, at: path) else { return nil }
        guard items.count >= 2 else {
            reader.error("'\(path)' needs at least two request patterns, in the order they must happen", at: node)
            return nil
        }
        let patterns = items.enumerated().compactMap { index, item in
            readPattern(item, at: "\(path)[\(index)]", reader: &reader)
        }
        return patterns.count == items.count ? .order(patterns) : nil
    }

    /// `{path, method?, status?, user?, auth?, params?, fault?}`, or just a path.
    static func readPattern(_ node: Node, at path: String, reader: inout YAMLReader) -> RequestPattern? {
        if case .scalar(let scalar) = node { return checkedPath(scalar.string, node: node, at: path, reader: &reader) }
        guard let map = reader.mapping(node, at: path, allowed: patternKeys) else { return nil }
        guard let pathNode = map["path"], let text = reader.string(pathNode, at: "\(path).path"),
            var pattern = checkedPath(text, node: pathNode, at: "\(path).path", reader: &reader)
        else {
            if map["path"] == nil { reader.error("'\(path)' needs a 'path' such as /api/v1/login", at: node) }
            return nil
        }
        var valid = true
        if let node = map["method"] {
            pattern.method = reader.string(node, at: "\(path).method")?.uppercased()
            valid = valid && pattern.method != nil
        }
        if let node = map["status"] {
            pattern.status = reader.integer(node, at: "\(path).status", in: 100...599)
            valid = valid && pattern.status != nil
        }
        if let node = map["user"] {
            pattern.user = reader.string(node, at: "\(path).user")
            valid = valid && pattern.user != nil
        }
        if let node = map["auth"] {
            pattern.auth = reader.choice(node, at: "\(path).auth", as: AuthKind.self)
            valid = valid && pattern.auth != nil
        }
        if let node = map["fault"] {
            pattern.fault = reader.string(node, at: "\(path).fault")
            valid = valid && pattern.fault != nil
        }
        if let node = map["protocol"] {
            pattern.protocol = reader.choice(node, at: "\(path).protocol", as: TinyCamRequest.Wire.self)
            valid = valid && pattern.protocol != nil
        }
        if let node = map["transport"] {
            let transport = reader.string(node, at: "\(path).transport")?.lowercased()
            if let transport, transport != "tcp" && transport != "udp" {
                reader.error(
                    "'\(path).transport' must be tcp or udp (how RTSP's packets went), got '\(transport)'", at: node)
                valid = false
            }
            pattern.transport = transport
            valid = valid && transport != nil
        }
        if let node = map["params"] {
            guard case .mapping(let params) = node else {
                reader.error("'\(path).params' must map parameter names to values, e.g. {cameraId: '*'}", at: node)
                return nil
            }
            for (name, value) in params {
                guard let key = reader.string(name, at: "\(path).params"),
                    let text = reader.string(value, at: "\(path).params.\(key)")
                else {
                    valid = false
                    continue
                }
                pattern.parameters[key] = text
            }
        }
        return valid ? pattern : nil
    }

    private static func checkedPath(
        _ text: String, node: Node, at path: String, reader: inout YAMLReader
    ) -> RequestPattern? {
        guard text.hasPrefix("/") || text.hasPrefix("*") else {
            reader.error(
                "'\(path)' must be a path starting with '/' (such as /api/v1/login) or a pattern starting with '*', "
                    + "got '\(text)'", at: node)
            return nil
        }
        return RequestPattern(path: text)
    }
}
