import DecoyCore
import DecoyFaults
import DecoyTinyCam

/// The answer-level part of a `FaultPlan`, in the one place it is applied: an answer given
/// instead of the API's, and what happens to an answer once made (a pinned snapshot, 403s as
/// legacy 200s, a login counted toward a lockout). Latency and the wire's faults are the
/// transport's, as they are about time and bytes.
struct AnswerFaults {
    let plan: FaultPlan
    let facts: ExchangeFacts
    let faults: FaultLayer
    let server: ServerConfig

    /// The answer given instead of asking the API; nil: the API answers.
    var replacement: TinyCamResponse? {
        switch plan.replacement {
        case .status(let code, let body):
            let status = HTTPStatus(code: code)
            let response = body.map { TinyCamResponse.text(status, $0) } ?? .failure(status, status.reason + ".")
            return response.withCommonHeaders(server)
        case .invalidCredentials:
            return APIError.auth(.invalidCredentials).response(legacyStatus200: server.legacyErrorStatus200)
                .withCommonHeaders(server)
        case nil:
            return nil
        }
    }

    /// Applies the plan to the answer made (by the API or `replacement`); the journal's account
    /// of every fault applied (nil: none).
    func finish(_ response: inout TinyCamResponse, at now: Int64) -> String? {
        var applied = plan.applied
        if plan.wire?.media == .staleFrames { pinSnapshot(&response) }
        if let legacy = plan.legacyErrors, Self.restatus(&response, legacy: legacy.on) {
            applied.append("legacyErrors \(legacy.on ? "on" : "off") (\(legacy.label))")
        }
        if facts.purpose == .login, !plan.lockedOut {
            let failed = response.status.code == 403 || response.isLegacyError
            faults.loginAnswered(client: facts.client, failed: failed, at: now)
        }
        return applied.isEmpty ? nil : applied.joined(separator: "; ")
    }

    /// `staleFrames` on a snapshot: the first JPEG served for this path, camera, size and quality
    /// while the fault hits is served again instead of every newer one (streams pin per viewer).
    private func pinSnapshot(_ response: inout TinyCamResponse) {
        guard case .bytes(let body) = response.body, response.header("Content-Type") == "image/jpeg" else { return }
        let key = [
            facts.path, facts.cameraID.map(String.init) ?? "-", facts.parameter("resolution") ?? "",
            facts.parameter("compression") ?? "",
        ].joined(separator: " ")
        response.body = .bytes(faults.pinSnapshot(body, key: key))
    }

    /// `HTTP 403. …` errors with status 200 (legacy on) or 403 (off); whether anything changed.
    static func restatus(_ response: inout TinyCamResponse, legacy: Bool) -> Bool {
        if legacy, response.status.code == 403 {
            response.status = .ok
            return true
        }
        if !legacy, response.isLegacyError {
            response.status = .forbidden
            return true
        }
        return false
    }
}
