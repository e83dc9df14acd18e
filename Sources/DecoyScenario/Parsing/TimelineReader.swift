import DecoyCore
import Yams

/// `timeline:`: a list of steps, each with one time key, an optional `id` and exactly one action.
enum TimelineReader {
    static let timeKeys = ["at", "after", "every"]
    static let timeOptions = ["delay", "until", "times"]
    static let stepKeys = ["id"] + timeKeys + timeOptions + ActionReader.supported + ActionReader.notYetSupported

    /// The valid steps, and every id a step declares — those of steps that are invalid for another
    /// reason too, so that a reference to one is not reported again: only the step's own error is.
    static func read(
        _ node: Node, config: DecoyConfig, reader: inout YAMLReader
    ) -> (steps: [TimelineStep], ids: [String]) {
        guard let items = reader.sequence(node, at: "timeline") else { return ([], []) }
        var steps: [TimelineStep] = []
        var stepNodes: [Node] = []
        var ids: [String] = []
        for (index, item) in items.enumerated() {
            let path = "timeline[\(index)]"
            guard let map = reader.mapping(item, at: path, allowed: stepKeys) else { continue }
            let id = readID(map["id"], path: path, existing: ids, reader: &reader)
            if let id { ids.append(id) }
            let timing = readTiming(map, item: item, path: path, reader: &reader)
            let action = ActionReader.read(map, item: item, path: path, config: config, reader: &reader)
            if let timing, let action {
                steps.append(TimelineStep(id: id, timing: timing, action: action, line: item.mark?.line ?? 0))
                stepNodes.append(item)
            }
        }
        checkReferences(steps, nodes: stepNodes, ids: ids, reader: &reader)
        return (steps, ids)
    }

    private static func readID(
        _ node: Node?, path: String, existing: [String], reader: inout YAMLReader
    ) -> String? {
        guard let node, let id = reader.string(node, at: "\(path).id") else { return nil }
        if id.isEmpty {
            reader.error("'\(path).id' must not be empty", at: node)
            return nil
        }
        if existing.contains(id) {
            reader.error("step id '\(id)' is used twice; ids must be unique", at: node)
        }
        return id
    }

    private static func readTiming(
        _ map: [String: Node], item: Node, path: String, reader: inout YAMLReader
    ) -> StepTiming? {
        let given = timeKeys.filter { map[$0] != nil }
        guard given.count == 1, let key = given.first, let node = map[key] else {
            let problem =
                given.isEmpty ? "needs one time key" : "has \(given.joined(separator: " and ")), but needs one"
            reader.error(
                "'\(path)' \(problem): 'at: 3s' (from the start), 'after: <step id>' (with optional 'delay:') "
                    + "or 'every: 10s' (with optional 'until:' or 'times:')", at: item)
            return nil
        }
        for option in timeOptions where map[option] != nil {
            let owner = option == "delay" ? "after" : "every"
            if key != owner, let optionNode = map[option] {
                reader.error("'\(path).\(option)' only goes with '\(owner):', not with '\(key):'", at: optionNode)
            }
        }
        switch key {
        case "at":
            return reader.duration(node, at: "\(path).at").map(StepTiming.at)
        case "after":
            guard let target = reader.string(node, at: "\(path).after") else { return nil }
            let delay = map["delay"].map { reader.duration($0, at: "\(path).delay") } ?? 0
            return delay.map { .after(target, delayMilliseconds: $0) }
        default:
            let interval = reader.duration(node, at: "\(path).every", positive: true)
            let until = map["until"].flatMap { reader.duration($0, at: "\(path).until") }
            let times = map["times"].flatMap { reader.integer($0, at: "\(path).times", in: 1...1_000_000) }
            return interval.map { .every($0, untilMilliseconds: until, times: times) }
        }
    }

    /// `after:` must name a step id that is declared, and `after:` chains must not loop.
    private static func checkReferences(
        _ steps: [TimelineStep], nodes: [Node], ids: [String], reader: inout YAMLReader
    ) {
        for (step, node) in zip(steps, nodes) {
            guard case .after(let target, _) = step.timing else { continue }
            if !ids.contains(target) {
                reader.error(unknownStep(target, ids: ids, key: "after"), at: node["after"])
            } else if loops(from: step, steps: steps) {
                reader.error("'after: \(target)' makes a loop of steps that wait for each other", at: node["after"])
            }
        }
    }

    private static func loops(from start: TimelineStep, steps: [TimelineStep]) -> Bool {
        var current = start
        for _ in 0...steps.count {
            guard case .after(let target, _) = current.timing, let next = steps.first(where: { $0.id == target }) else {
                return false
            }
            if next.id == start.id { return true }
            current = next
        }
        return true
    }

    /// "no step has id 'rnig' (did you mean 'ring'?); step ids: ring, answer".
    static func unknownStep(_ id: String, ids: [String], key: String) -> String {
        let hint = NearestKey.suggestion(for: id, among: ids).map { " (did you mean '\($0)'?)" } ?? ""
        let known = ids.isEmpty ? "no step has an 'id' yet" : "step ids: \(ids.joined(separator: ", "))"
        return "'\(key): \(id)': no step has id '\(id)'\(hint); \(known)"
    }
}
