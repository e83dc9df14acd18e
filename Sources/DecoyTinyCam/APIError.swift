import DecoyCore

/// Every way a request can fail, mapped to status and body in one place (`response`), with the
/// exact bodies of docs/contract.md (all made by `TinyCamResponse.failure`).
public enum APIError: Error, Equatable, CustomStringConvertible {
    /// A bad or missing parameter (400).
    case badRequest(String)
    /// Unknown path, camera, or file (404).
    case notFound(String)
    case auth(AuthFailure)
    /// A guest on an admin endpoint (403).
    case accessDenied
    /// A method the profile does not take (405); `allowed` overrides tinyCam's `GET, HEAD, OPTIONS`.
    case methodNotAllowed(String, allowed: String? = nil)
    case internalError(String)
    /// The named camera is offline (503): it is still listed, but has no picture to give.
    case cameraOffline(String)

    public var description: String {
        switch self {
        case .badRequest(let reason), .notFound(let reason), .internalError(let reason): reason
        case .auth(let failure): "\(failure)"
        case .accessDenied: "access denied"
        case .methodNotAllowed(let method, _): "method \(method) not allowed"
        case .cameraOffline(let name): "camera '\(name)' is offline"
        }
    }

    /// The answer. `legacyStatus200` answers the `HTTP 403. …` errors with status 200, as some
    /// tinyCam builds do (Home Assistant's integration parses the status from the body).
    /// `challenges` gives the `WWW-Authenticate` values of a 401 (one field each, in order).
    public func response(
        legacyStatus200: Bool, challenges: (_ stale: Bool) -> [String] = { _ in ["Basic realm=\"tinyCam\""] }
    ) -> TinyCamResponse {
        switch self {
        case .badRequest(let reason):
            return .failure(.badRequest, reason)
        case .notFound(let reason):
            return .failure(.notFound, reason)
        case .auth(.challenge(let stale)):
            return .failure(
                .unauthorized, "Unauthorized.", headers: challenges(stale).map { ("WWW-Authenticate", $0) })
        case .auth(.invalidCredentials):
            return forbidden("Invalid user name or password.", legacyStatus200)
        case .auth(.invalidToken):
            return forbidden("Invalid token.", legacyStatus200)
        case .accessDenied:
            return forbidden("Access denied.", legacyStatus200)
        case .methodNotAllowed(let method, let allowed):
            let reason = allowed == nil ? "tinyCam answers GET and HEAD" : "the Axis profile answers GET, HEAD and POST"
            return .failure(
                .methodNotAllowed, "Method \(method) is not allowed; \(reason).",
                headers: [("Allow", allowed ?? "GET, HEAD, OPTIONS")])
        case .internalError(let reason):
            return .failure(.internalServerError, reason)
        case .cameraOffline(let name):
            return .failure(.serviceUnavailable, "Camera '\(name)' is offline.")
        }
    }

    /// A 403 body; in legacy mode with status 200 (the body still says `HTTP 403.`).
    private func forbidden(_ reason: String, _ legacyStatus200: Bool) -> TinyCamResponse {
        var response = TinyCamResponse.failure(.forbidden, reason)
        if legacyStatus200 { response.status = .ok }
        return response
    }
}

extension TinyCamResponse {
    /// The one error answer of Decoy, API and transport alike: `text/plain` with tinyCam's body
    /// `HTTP NNN. Reason.` (docs/contract.md) and no line ending after it, because clients
    /// such as Home Assistant's integration parse the status out of the body (`^HTTP (\d{3})`) and
    /// compare whole bodies. `reason` is a sentence saying what was wrong and how to fix it.
    public static func failure(
        _ status: HTTPStatus, _ reason: String, headers: [(name: String, value: String)] = []
    ) -> TinyCamResponse {
        .text(status, failureBody(code: status.code, reason: reason), headers: headers)
    }

    /// The body of an error answer: `HTTP 404. No such file.`
    public static func failureBody(code: Int, reason: String) -> String { "HTTP \(code). \(reason)" }

    /// The answer with the headers every answer carries, first `Server` and last CORS
    /// (`Access-Control-Allow-Origin: *` unless `cors` is off), so transport-made answers look
    /// like the API's to a browser or to the admin page that shows `Server`.
    public func withCommonHeaders(_ server: ServerConfig) -> TinyCamResponse {
        var response = self
        response.headers.insert(("Server", server.serverHeader), at: 0)
        if server.cors { response.headers.append(("Access-Control-Allow-Origin", "*")) }
        return response
    }

    /// Whether this is one of the `HTTP 403. …` errors answered with status 200
    /// (`server.legacyErrorStatus200`, or a `legacyErrors: true` rule).
    public var isLegacyError: Bool {
        guard status.code == 200, let body = bodyBytes else { return false }
        return body.getString(at: body.readerIndex, length: min(9, body.readableBytes)) == "HTTP 403."
    }
}
