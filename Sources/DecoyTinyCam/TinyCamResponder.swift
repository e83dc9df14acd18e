/// Whatever answers HTTP requests as values: the tinyCam API itself, or something wrapping it
/// (a scenario injecting faults, a test serving files). The transport depends only on this, so
/// anything that can answer a `TinyCamRequest` can be served through the real pipeline.
public protocol TinyCamResponder: Sendable {
    /// Answers one request. Never throws: every failure is an HTTP answer.
    func handle(_ request: TinyCamRequest) async -> TinyCamResponse
}

extension TinyCamAPI: TinyCamResponder {}
