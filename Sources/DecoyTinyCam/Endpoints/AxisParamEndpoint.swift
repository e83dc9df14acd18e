import DecoyCore
import Logging

private let axisParamLogger = Logger(label: "decoy.axis.param")

/// `/axis-cgi/param.cgi` (Axis profile): VAPIX parameter management.
///
/// - `action=list[&group=<g>[,<g>…]]` answers `root.X.Y=value` lines (`AxisParameters`); a group
///   with nothing in it answers `# Error: Error -1 getting param in group '<g>'` in its place, with
///   status 200, as Axis devices do.
/// - `action=update&root.<Name>=<value>…` sets the same app-wide switches as tinyCam's
///   `/param.cgi` (validated by `ParamEndpoint.parse`, applied by `ParamEndpoint`) and answers
///   `OK`; a refused one answers `# Error: Error setting '<name>' to '<value>'!`, also with 200.
///
/// The `axis` library sends both as a POST form (`text/plain`), which the API merges into the query.
enum AxisParamEndpoint {
    static let endpoint = Endpoint("/axis-cgi/param.cgi", access: .admin) { context in
        switch context.query["action"] {
        case "list": return list(context)
        case "update": return try await update(context)
        case let other:
            let given = other.map { "unknown action '\($0)'" } ?? "no action given"
            return axisText("# Request failed: \(given); use action=list[&group=root.<Group>] or action=update")
        }
    }

    /// The config with each camera's size and rate as they are now (a scenario may have changed them).
    private static func currentConfig(_ services: TinyCamServices) -> DecoyConfig {
        var config = services.config
        for index in config.cameras.indices {
            guard let camera = services.cameras.camera(id: config.cameras[index].id) else { continue }
            let format = camera.hub.format
            config.cameras[index].resolution = format.size
            config.cameras[index].fps = format.framesPerSecond
        }
        return config
    }

    private static func list(_ context: EndpointContext) -> TinyCamResponse {
        let parameters = AxisParameters(config: currentConfig(context.services))
        let groups = context.query["group"].map { $0.split(separator: ",").map(String.init) }
        var out = ""
        guard let groups else {
            for line in parameters.all { out += "\(line.name)=\(line.value)\n" }
            return axisText(out)
        }
        for group in groups {
            guard let lines = parameters.group(group) else {
                out += "# Error: Error -1 getting param in group '\(group)'\n"
                continue
            }
            for line in lines { out += "\(line.name)=\(line.value)\n" }
        }
        return axisText(out)
    }

    private static func update(_ context: EndpointContext) async throws -> TinyCamResponse {
        let settings = context.query.pairs.filter { $0.name.hasPrefix("root.") }
        guard !settings.isEmpty else {
            return axisText(
                "# Request failed: action=update needs root.<Name>=<value>: root.BackgroundMode, "
                    + "root.StreamProfile, root.Notifications or root.PowerSafeMode")
        }
        for setting in settings {
            do {
                _ = try ParamEndpoint.parse(setting)
            } catch {
                axisParamLogger.notice("param.cgi update refused: \(error)")
                return axisText("# Error: Error setting '\(setting.name)' to '\(setting.value)'!")
            }
        }
        let tag = context.query["tag"].map { [("tag", $0)] } ?? []
        let delegated = EndpointContext(
            request: context.request, query: QueryParameters(pairs: [("action", "update")] + settings + tag),
            principal: context.principal, services: context.services)
        do {
            _ = try await ParamEndpoint.endpoint.handler(delegated)
        } catch let error as APIError {
            guard case .badRequest(let reason) = error else { throw error }
            return axisText("# Error: \(reason)")
        }
        return axisText("OK")
    }

    /// Axis answers param.cgi with `text/plain` and status 200, errors included.
    private static func axisText(_ text: String) -> TinyCamResponse { .text(.ok, text) }
}
