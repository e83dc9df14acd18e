import DecoyCore
import NIOCore

/// `/axis-cgi/io/portmanagement.cgi` (the I/O port management JSON API) and
/// `/axis-cgi/io/port.cgi` (`action=<n>:/` activates output n, `<n>:\` deactivates it), over the
/// virtual ports of `cameras[].io`. A port's circuit is `open` at rest (`normalState`); an active
/// port is `closed`. Inputs are set by scenarios (the `io` action), not by clients.
enum AxisIOEndpoints {
    static let all = [portManagement, portAction]
    static let version = "1.0"

    static let portManagement = Endpoint.axisJSON(
        "/axis-cgi/io/portmanagement.cgi", access: .admin, latestVersion: version
    ) { request, context throws(AxisJSONRequest.Failure) in
        let ports = AxisIOPortList(cameras: context.services.cameras)
        switch request.method {
        case "getSupportedVersions":
            return request.supportedVersions([version])
        case "getPorts":
            try request.requireVersion(in: [version])
            return request.answer(
                version: version,
                data: .object([
                    ("numberOfPorts", .int(Int64(ports.ports.count))), ("items", .array(ports.ports.map(item))),
                ]))
        case "setPorts":
            try request.requireVersion(in: [version])
            guard let list = request.paramList ?? (request.params["ports"] as? [[String: Any]]), !list.isEmpty else {
                throw request.failure(4002, "Required parameter missing or invalid: params (a list of ports)")
            }
            var changes: [(AxisIOPort, Bool)] = []
            for entry in list {
                let port = try output(entry["port"] as? String, in: ports, request)
                guard let state = entry["state"] as? String else { continue }
                guard state == "open" || state == "closed" else {
                    throw request.failure(4002, "Required parameter missing or invalid: state must be open or closed")
                }
                changes.append((port, state == "closed"))
            }
            for (port, active) in changes { port.set(active: active) }
            return request.answer(version: version, data: .object([]))
        default:
            throw request.failure(
                2004, "Method not supported: '\(request.method)'; use getPorts, setPorts or getSupportedVersions")
        }
    }

    /// `action=<port id + 1>:/` (active) or `:\` (inactive), outputs only; several joined by `,`
    /// are not supported (one action per request, as the `axis` library sends).
    static let portAction = Endpoint("/axis-cgi/io/port.cgi", access: .admin) { context in
        let ports = AxisIOPortList(cameras: context.services.cameras)
        guard let action = context.query["action"] else {
            throw APIError.badRequest("missing action: <port>:/ activates an output, <port>:\\ deactivates it")
        }
        let parts = action.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let number = Int(parts[0]), number >= 1, parts[1] == "/" || parts[1] == "\\" else {
            throw APIError.badRequest("action must be <port>:/ or <port>:\\ (port numbers from 1), got '\(action)'")
        }
        guard let port = ports.port(id: number - 1) else {
            throw APIError.badRequest("port \(number) does not exist (this camera has \(ports.ports.count) ports)")
        }
        guard port.direction == .output else {
            throw APIError.badRequest("port \(number) ('\(port.name)') is an input; only outputs can be set")
        }
        port.set(active: parts[1] == "/")
        return TinyCamResponse(
            status: .ok, headers: [("Content-Type", "text/plain")], body: .bytes(ByteBuffer(string: "OK\n")))
    }

    private static func item(_ port: AxisIOPort) -> JSONValue {
        .object([
            ("port", .string(String(port.id))), ("configurable", .bool(false)), ("usage", .string("")),
            ("name", .string(port.name)), ("direction", .string(port.direction.rawValue)),
            ("state", .string(port.isActive ? "closed" : "open")), ("normalState", .string("open")),
        ])
    }

    private static func output(
        _ id: String?, in ports: AxisIOPortList, _ request: AxisJSONRequest
    ) throws(AxisJSONRequest.Failure) -> AxisIOPort {
        guard let id, let number = Int(id), let port = ports.port(id: number) else {
            throw request.failure(4002, "Required parameter missing or invalid: port '\(id ?? "")' does not exist")
        }
        guard port.direction == .output else {
            throw request.failure(4002, "Required parameter missing or invalid: port \(number) is an input")
        }
        return port
    }
}
