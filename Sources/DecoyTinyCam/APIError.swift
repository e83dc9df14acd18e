import DecoyCore

/// Every way a request can fail, mapped to status and body in one place (`response`), with the
/// exact bodies of `wire-reference.md` §12.
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
            return .text(.badRequest, "HTTP 400. \(reason)")
        case .notFound(let reason):
            return .text(.notFound, "HTTP 404. \(reason)")
        case .auth(.challenge(let stale)):
            return .text(
                .unauthorized, "HTTP 401. Unauthorized.",
                headers: challenges(stale).map { ("WWW-Authenticate", $0) })
        case .auth(.invalidCredentials):
            return forbidden("HTTP 403. Invalid user name or password.", legacyStatus200)
        case .auth(.invalidToken):
            return forbidden("HTTP 403. Invalid token.", legacyStatus200)
        case .accessDenied:
            return forbidden("HTTP 403. Access denied.", legacyStatus200)
        case .methodNotAllowed(let method, let allowed):
            let reason = allowed == nil ? "tinyCam answers GET and HEAD" : "the Axis profile answers GET, HEAD and POST"
            return .text(
                .methodNotAllowed, "HTTP 405. Method \(method) is not allowed; \(reason).",
                headers: [("Allow", allowed ?? "GET, HEAD, OPTIONS")])
        case .internalError(let reason):
            return .text(.internalServerError, "HTTP 500. \(reason)")
        case .cameraOffline(let name):
            return .text(.serviceUnavailable, "HTTP 503. Camera '\(name)' is offline.")
        }
    }

    private func forbidden(_ body: String, _ legacyStatus200: Bool) -> TinyCamResponse {
        .text(legacyStatus200 ? .ok : .forbidden, body)
    }
}
