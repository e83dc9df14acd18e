import DecoyCore

/// What an endpoint is given: the request, its decoded query, who sent it, and the services.
public struct EndpointContext: Sendable {
    public let request: TinyCamRequest
    public let query: QueryParameters
    public let principal: Principal
    public let services: TinyCamServices
}

/// One path of the API with the role it needs by default.
public struct Endpoint: Sendable {
    public let path: String
    public let access: Role
    /// The path whose access rule (`server.access`) applies: the endpoint's own, except where
    /// another path serves the same thing (RTSP's media URL follows `video.cgi`'s rule).
    public let accessPath: String
    let handler: @Sendable (EndpointContext) async throws -> TinyCamResponse

    init(
        _ path: String, access: Role, accessPath: String? = nil,
        handler: @escaping @Sendable (EndpointContext) async throws -> TinyCamResponse
    ) {
        self.path = path
        self.access = access
        self.accessPath = accessPath ?? path
        self.handler = handler
    }
}

extension TinyCamResponse {
    /// A `{"data": …}` JSON answer, `application/json; charset=utf-8`.
    static func json(_ data: JSONValue) -> TinyCamResponse {
        .init(
            status: .ok,
            headers: [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-cache")],
            body: .bytes(.init(bytes: JSONValue.envelope(data).serializedBytes)))
    }
}
