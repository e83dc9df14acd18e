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
    /// What RTSP requests may name (the media URL); HTTP never reaches them, nor RTSP the others.
    private let rtspEndpoints: [String: Endpoint]

    public init(services: TinyCamServices) {
        self.services = services
        let all = Self.endpoints(for: services.config.server.profile)
        self.endpoints = Dictionary(all.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        self.rtspEndpoints = Dictionary(uniqueKeysWithValues: MediaEndpoints.all.map { ($0.path, $0) })
    }

    private static func endpoints(for profile: ServerProfile) -> [Endpoint] {
        SessionEndpoints.all + StatusEndpoints.all + AdminEndpoints.all + VideoEndpoints.all + ControlEndpoints.all
            + EventEndpoints.all + AudioEndpoints.all + AxisEndpoints.endpoints(for: profile)
    }

    /// Every path served in `profile`, RTSP's media path included (a fault rule naming another
    /// path can never match).
    public static func paths(for profile: ServerProfile) -> Set<String> {
        Set((endpoints(for: profile) + MediaEndpoints.all).map(\.path))
    }

    /// Every path served, with the role it needs (after overrides): for the docs and tests.
    public var accessTable: [(path: String, role: Role)] {
        endpoints.values.map { ($0.path, services.access.requiredRole(for: $0.path, default: $0.access)) }
            .sorted { $0.path < $1.path }
    }

    /// Answers one request. Never throws: every failure is an HTTP answer.
    public func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        await route(request).withCommonHeaders(services.config.server)
    }

    /// The media path an RTSP request's path belongs to (a SETUP names one of its tracks).
    public static func presentationPath(ofRTSPPath path: String) -> String { MediaEndpoints.presentationPath(path) }

    /// What a request to `path` does, as far as the fault layer cares (a login, a live stream).
    public static func purpose(ofPath path: String) -> ExchangePurpose {
        switch path {
        case SessionEndpoints.loginPath: .login
        case VideoEndpoints.streamPath, MediaEndpoints.path: .liveStream
        default: .other
        }
    }

    private func route(_ request: TinyCamRequest) async -> TinyCamResponse {
        let legacy = services.config.server.legacyErrorStatus200
        do {
            let path: String
            do { path = try request.decodedPath.get() } catch { throw APIError.badRequest("\(error)") }
            let endpoint: Endpoint
            if request.wire == .rtsp {
                // The RTSP layer asks only for DESCRIBE and SETUP, which name the media: no method check.
                guard let media = rtspEndpoints[MediaEndpoints.presentationPath(path)] else {
                    throw APIError.notFound("No such stream: \(path) (RTSP serves \(MediaEndpoints.path))")
                }
                endpoint = media
            } else {
                if let page = WebPageRoute.answer(path: path, request: request) { return page }
                guard let found = endpoints[path] else { throw APIError.notFound("No such page: \(path)") }
                endpoint = found
                if request.method == "OPTIONS" { return preflight() }
                let axis = services.config.server.profile == .axis
                guard request.method == "GET" || request.method == "HEAD" || (axis && request.method == "POST") else {
                    throw APIError.methodNotAllowed(request.method, allowed: axis ? "GET, HEAD, POST, OPTIONS" : nil)
                }
            }
            let query: QueryParameters
            do { query = try request.parameters.strict.get() } catch { throw APIError.badRequest("\(error)") }
            let principal: Principal
            switch services.authenticator.authenticate(request) {
            case .success(let who): principal = who
            case .failure(let failure): throw APIError.auth(failure)
            }
            let required = services.access.requiredRole(for: endpoint.accessPath, default: endpoint.access)
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
}
