import DecoyCore
import DecoyFaults
import DecoyScenario
import DecoyTinyCam
import Foundation
import NIOHTTP1

/// Routes control API requests to the sandbox: every endpoint answers JSON (except `/metrics`),
/// every failure says what was wrong and how to fix it, and an unknown path lists the endpoints.
public struct ControlRouter: Sendable {
    public let sandbox: Sandbox
    public let metrics: ControlMetrics

    public init(sandbox: Sandbox, metrics: ControlMetrics) {
        self.sandbox = sandbox
        self.metrics = metrics
    }

    /// Every endpoint, as listed in a 404.
    public static let endpoints = [
        "GET /healthz", "GET /metrics", "GET /journal?path=&since=&status=&kind=&limit=", "DELETE /journal",
        "GET /rules", "POST /rules", "DELETE /rules", "GET /rules/ID", "DELETE /rules/ID", "POST /actions",
        "GET /scenario", "POST /scenario", "POST /scenario/start", "POST /scenario/stop", "POST /scenario/pause",
        "POST /scenario/resume", "POST /reset", "GET /events/journal?client=&path=&status=&fault=&kind=&backlog=",
        "GET /events/scenario", "GET / (the console)",
    ]

    public func answer(_ request: ControlRequest) async -> ControlResponse {
        if let page = consolePage(request) { return page }
        let parts = request.path.split(separator: "/").map(String.init)
        switch (parts.first, parts.count) {
        case ("events", 2): return eventStreamRefusal(request, stream: parts[1])
        case ("healthz", 1): return only(.GET, request) { healthz() }
        case ("metrics", 1):
            return only(.GET, request) {
                ControlResponse(
                    status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8",
                    body: Data(metrics.scrape(sandbox)))
            }
        case ("journal", 1): return journal(request)
        case ("rules", 1): return rules(request)
        case ("rules", 2): return rule(id: parts[1], request)
        case ("actions", 1): return await onlyAsync(.POST, request) { await action(request.body) }
        case ("scenario", 1): return scenario(request)
        case ("scenario", 2): return only(.POST, request) { scenarioCommand(parts[1]) }
        case ("reset", 1): return only(.POST, request) { reset() }
        default:
            return .json(
                ControlResponse.ErrorBody(
                    error: "no control endpoint \(request.method) \(request.path)", status: 404,
                    endpoints: Self.endpoints), status: .notFound)
        }
    }

    private func only(
        _ method: HTTPMethod, _ request: ControlRequest, _ body: () -> ControlResponse
    ) -> ControlResponse {
        guard request.method == method else { return notAllowed(request, allowed: [method]) }
        return body()
    }

    private func onlyAsync(
        _ method: HTTPMethod, _ request: ControlRequest, _ body: () async -> ControlResponse
    ) async -> ControlResponse {
        guard request.method == method else { return notAllowed(request, allowed: [method]) }
        return await body()
    }

    func notAllowed(_ request: ControlRequest, allowed: [HTTPMethod]) -> ControlResponse {
        let names = allowed.map(\.rawValue).joined(separator: ", ")
        var response = ControlResponse.error(
            .methodNotAllowed, "\(request.path) answers \(names), not \(request.method.rawValue)")
        response.headers.append(("Allow", names))
        return response
    }

    private func healthz() -> ControlResponse {
        struct Health: Encodable {
            var status = "ok"
            var tinyCamPort: Int
            var uptimeMilliseconds: Int64
            var scenario: ScenarioSession.Phase
        }
        return .json(
            Health(
                tinyCamPort: sandbox.runtime.port, uptimeMilliseconds: sandbox.clock.elapsedMilliseconds(),
                scenario: sandbox.session.status.phase))
    }

    // MARK: journal

    private func journal(_ request: ControlRequest) -> ControlResponse {
        switch request.method {
        case .GET:
            let query: JournalQuery
            do {
                query = try JournalQueryParser.parse(request.query)
            } catch {
                return .error(.badRequest, error.description)
            }
            struct Page: Encodable {
                var entries: [JournalEntry]
                var count: Int
                var total: Int
                var dropped: Int
            }
            let (entries, dropped) = sandbox.journal.snapshot()
            let matching = query.apply(entries)
            return .json(Page(entries: matching, count: matching.count, total: entries.count, dropped: dropped))
        case .DELETE:
            return .json(["cleared": sandbox.journal.clear()])
        default:
            return notAllowed(request, allowed: [.GET, .DELETE])
        }
    }

    // MARK: rules

    private func rules(_ request: ControlRequest) -> ControlResponse {
        switch request.method {
        case .GET:
            return .json(["rules": sandbox.faults.rules.map(RuleView.init)])
        case .POST:
            let rule: FaultRule
            do {
                rule = try ScenarioFragments.rule(request.body, config: sandbox.config, file: "rule")
            } catch {
                return .error(.badRequest, error.description)
            }
            // The rule's window counts from now, as a scenario's counts from its start.
            let entry = sandbox.faults.add(rule.delayed(by: sandbox.clock.elapsedMilliseconds()), origin: .control)
            let served = TinyCamAPI.paths(for: sandbox.config.server.profile)
            guard let warning = rule.unservedPathWarning(served: served) else {
                return .json(["rule": RuleView(entry)], status: .created)
            }
            return .json(RuleAdded(rule: RuleView(entry), warning: warning), status: .created)
        case .DELETE:
            return .json(["removed": sandbox.faults.removeAll(origin: .control)])
        default:
            return notAllowed(request, allowed: [.GET, .POST, .DELETE])
        }
    }

    private func rule(id: String, _ request: ControlRequest) -> ControlResponse {
        let known = sandbox.faults.rules.compactMap(\.id).joined(separator: ", ")
        let missing = ControlResponse.error(
            .notFound, "no rule \(id); rules: \(known.isEmpty ? "none" : known) (GET /rules lists them)")
        switch request.method {
        case .GET:
            guard let entry = sandbox.faults.rule(id: id) else { return missing }
            return .json(["rule": RuleView(entry)])
        case .DELETE:
            guard let entry = sandbox.faults.remove(id: id) else { return missing }
            return .json(["removed": RuleView(entry)])
        default:
            return notAllowed(request, allowed: [.GET, .DELETE])
        }
    }

    // MARK: actions, scenario, reset

    private func action(_ body: String) async -> ControlResponse {
        let action: ScenarioAction
        do {
            action = try ScenarioFragments.action(body, config: sandbox.config, file: "action")
        } catch {
            return .error(.badRequest, error.description)
        }
        let at = sandbox.clock.elapsedMilliseconds()
        if let failure = await sandbox.perform(action) {
            return .error(.unprocessableEntity, "\(action.summary): \(failure)")
        }
        struct Performed: Encodable {
            var performed: String
            var milliseconds: Int64
        }
        return .json(Performed(performed: action.summary, milliseconds: at))
    }

    private func scenario(_ request: ControlRequest) -> ControlResponse {
        switch request.method {
        case .GET:
            return .json(sandbox.session.status)
        case .POST:
            let file = request.query["file"] ?? "scenario"
            let scenario: Scenario
            do {
                scenario = try ScenarioLoader.parse(request.body, file: file)
            } catch {
                return .error(.badRequest, error.description)
            }
            do {
                let status = try sandbox.session.load(scenario)
                return .json(Loaded(status: status, warnings: warnings(for: scenario)))
            } catch {
                return .error(.conflict, error.description)
            }
        default:
            return notAllowed(request, allowed: [.GET, .POST])
        }
    }

    private struct Loaded: Encodable {
        var status: ScenarioSession.Status
        var warnings: [String]
    }

    /// A loaded scenario plays on the sandbox's cameras and users: its own `config:` is not applied.
    private func warnings(for scenario: Scenario) -> [String] {
        let served = Set(sandbox.config.cameras.map(\.name))
        let missing = scenario.config.cameras.map(\.name).filter { !served.contains($0) }
        guard !missing.isEmpty else { return [] }
        return [
            "the sandbox has no camera \(missing.joined(separator: ", ")) (its cameras: "
                + sandbox.config.cameras.map(\.name).joined(separator: ", ")
                + "); a scenario plays on the sandbox's configuration, its own 'config:' is not applied"
        ]
    }

    private func scenarioCommand(_ command: String) -> ControlResponse {
        let session = sandbox.session
        do {
            switch command {
            case "start": return .json(try session.start())
            case "stop": return .json(try session.stop())
            case "pause": return .json(try session.pause())
            case "resume": return .json(try session.resume())
            default:
                return .json(
                    ControlResponse.ErrorBody(
                        error: "no scenario command '\(command)'; use start, stop, pause or resume", status: 404,
                        endpoints: Self.endpoints), status: .notFound)
            }
        } catch {
            return .error(.conflict, error.description)
        }
    }

    private func reset() -> ControlResponse {
        let (journal, rules) = sandbox.reset()
        return .json(["journalCleared": journal, "rulesRemoved": rules])
    }
}

/// Reads `GET /journal`'s query: `path` (exact, or a glob with `*`), `since` (milliseconds or a
/// duration such as `5s`), `status` (100–599), `kind` (request or step), `limit` (1–100000).
enum JournalQueryParser {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static let keys = ["path", "since", "status", "kind", "limit"]

    static func parse(_ query: [String: String]) throws(Invalid) -> JournalQuery {
        if let unknown = query.keys.sorted().first(where: { !keys.contains($0) }) {
            throw Invalid(description: "unknown journal filter '\(unknown)'; filters: \(keys.joined(separator: ", "))")
        }
        var result = JournalQuery()
        if let path = query["path"], !path.isEmpty { result.path = path }
        if let since = query["since"] {
            guard let value = Int64(since) ?? ScenarioDuration.parse(since), value >= 0 else {
                throw Invalid(
                    description: "since=\(since) must be milliseconds since t = 0 (e.g. 1500) or a duration (e.g. 5s)")
            }
            result.sinceMilliseconds = value
        }
        if let status = query["status"] {
            guard let value = Int(status), (100...599).contains(value) else {
                throw Invalid(description: "status=\(status) must be an HTTP status such as 200 or 503")
            }
            result.status = value
        }
        if let kind = query["kind"] {
            guard let value = JournalQuery.Kind(rawValue: kind) else {
                throw Invalid(description: "kind=\(kind) must be request or step")
            }
            result.kind = value
        }
        if let limit = query["limit"] {
            guard let value = Int(limit), (1...100_000).contains(value) else {
                throw Invalid(description: "limit=\(limit) must be a number from 1 to 100000 (the newest entries)")
            }
            result.limit = value
        }
        return result
    }
}
