import DecoyCore
import Foundation
import NIOCore

/// The tinyCam/Axis API: request values in, response values out.
///
/// Order of checks, each with its own answer: path (404; `/` and `/web/*` are the camera page, for
/// anyone), method (405), query syntax (400), credentials (401/403), role (403), then the
/// endpoint's own parameters (400/404).
public struct TinyCamAPI: Sendable {
    public let services: TinyCamServices
    private let endpoints: [String: Endpoint]

    public init(services: TinyCamServices) {
        self.services = services
        let all =
            SessionEndpoints.all + StatusEndpoints.all + AdminEndpoints.all + VideoEndpoints.all
            + ControlEndpoints.all + EventEndpoints.all + AudioEndpoints.all
            + AxisEndpoints.endpoints(for: services.config.server.profile)
        self.endpoints = Dictionary(all.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every path served, with the role it needs (after overrides): for the README and tests.
    public var accessTable: [(path: String, role: Role)] {
        endpoints.values.map { ($0.path, services.access.requiredRole(for: $0.path, default: $0.access)) }
            .sorted { $0.path < $1.path }
    }

    /// Answers one request. Never throws: every failure is an HTTP answer.
    public func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        decorate(await route(request))
    }

    private func route(_ request: TinyCamRequest) async -> TinyCamResponse {
        let legacy = services.config.server.legacyErrorStatus200
        do {
            let path = try decodedPath(request)
            if let page = WebPageRoute.answer(path: path, request: request) { return page }
            guard let endpoint = endpoints[path] else { throw APIError.notFound("No such page: \(path)") }
            if request.method == "OPTIONS" { return preflight() }
            let axis = services.config.server.profile == .axis
            guard request.method == "GET" || request.method == "HEAD" || (axis && request.method == "POST") else {
                throw APIError.methodNotAllowed(request.method, allowed: axis ? "GET, HEAD, POST, OPTIONS" : nil)
            }
            let query: QueryParameters
            do { query = try QueryParameters(parsing: Self.parameterText(request)) } catch {
                throw APIError.badRequest("\(error)")
            }
            let principal: Principal
            switch services.authenticator.authenticate(request, query: query) {
            case .success(let who): principal = who
            case .failure(let failure): throw APIError.auth(failure)
            }
            let required = services.access.requiredRole(for: path, default: endpoint.access)
            guard AccessMatrix.allows(principal.role, required: required) else { throw APIError.accessDenied }
            services.clients.record(
                address: request.clientAddress, user: principal.user, time: services.clock.nowMilliseconds())
            let context = EndpointContext(request: request, query: query, principal: principal, services: services)
            var response = try await endpoint.handler(context)
            response.user = principal.user
            return response
        } catch let error as APIError {
            return error.response(legacyStatus200: legacy, challenges: services.challenges)
        } catch {
            return APIError.internalError("\(error)").response(legacyStatus200: legacy)
        }
    }

    private func decodedPath(_ request: TinyCamRequest) throws -> String {
        do {
            return try QueryParameters.decode(request.rawPath, what: "path", plusIsSpace: false)
        } catch {
            throw APIError.badRequest("\(error)")
        }
    }

    /// The parameters of a request: its query, and in a POST (Axis profile) its body read as
    /// URL-encoded form data whatever its `Content-Type` says (the `axis` library sends forms as
    /// `text/plain`). A JSON body (the Axis JSON APIs) is left to its endpoint. A parameter given
    /// in both places is a repeat, so 400, as in a query.
    static func parameterText(_ request: TinyCamRequest) -> Substring {
        guard request.method == "POST", !request.body.isEmpty, request.body.first != UInt8(ascii: "{") else {
            return request.rawQuery
        }
        let form = String(decoding: request.body, as: UTF8.self).trimmingCharacters(in: .newlines)
        return request.rawQuery.isEmpty ? Substring(form) : request.rawQuery + "&" + form
    }

    /// CORS preflight: browsers send it before a cross-origin request with an Authorization header.
    private func preflight() -> TinyCamResponse {
        TinyCamResponse(
            status: .noContent,
            headers: [
                (
                    "Access-Control-Allow-Methods",
                    services.config.server.profile == .axis ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, OPTIONS"
                ),
                ("Access-Control-Allow-Headers", "Authorization"), ("Access-Control-Max-Age", "600"),
            ], body: .bytes(ByteBuffer()))
    }

    /// Headers every answer carries: `Server`, and CORS unless disabled.
    private func decorate(_ response: TinyCamResponse) -> TinyCamResponse {
        var response = response
        response.headers.insert(("Server", services.config.server.serverHeader), at: 0)
        if services.config.server.cors { response.headers.append(("Access-Control-Allow-Origin", "*")) }
        return response
    }
}
