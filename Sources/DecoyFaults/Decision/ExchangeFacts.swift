import DecoyCore
import DecoyTinyCam

/// What the fault layer decides on: the facts of one exchange (an HTTP request, later an RTSP
/// one), read by the transport once and handed to the decider. Plain values: the decider knows no
/// paths, protocols' syntax or stores; what an exchange is *for* comes as `purpose`, from the API
/// that owns the paths.
public struct ExchangeFacts: Sendable {
    /// The protocol the exchange came in on.
    public enum WireProtocol: String, Sendable, Codable, CaseIterable {
        case http, rtsp
    }

    public var wire: WireProtocol
    public var method: String
    /// The decoded path (the raw one when it cannot be decoded).
    public var path: String
    /// The decoded query parameters, in request order (undecodable ones left out).
    public var parameters: [(name: String, value: String)]
    public var auth: AuthKind
    /// The user the exchange claims (a token's session, `user=`, the Basic/Digest name); not verified.
    public var user: String?
    /// That user's role.
    public var role: Role?
    /// The token the exchange carries, when it names a live session.
    public var validToken: String?
    /// The client's IP address.
    public var client: String
    /// The camera the query names (`cameraId=`, or `camera=<position>`), when it names one.
    public var cameraID: Int64?
    public var purpose: ExchangePurpose
    /// When it arrived, in run time (milliseconds since t = 0).
    public var milliseconds: Int64

    public init(
        wire: WireProtocol = .http, method: String, path: String, parameters: [(name: String, value: String)] = [],
        auth: AuthKind = .none, user: String? = nil, role: Role? = nil, validToken: String? = nil, client: String,
        cameraID: Int64? = nil, purpose: ExchangePurpose = .other, milliseconds: Int64
    ) {
        self.wire = wire
        self.method = method
        self.path = path
        self.parameters = parameters
        self.auth = auth
        self.user = user
        self.role = role
        self.validToken = validToken
        self.client = client
        self.cameraID = cameraID
        self.purpose = purpose
        self.milliseconds = milliseconds
    }

    /// The first parameter named `name`.
    public func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
}
