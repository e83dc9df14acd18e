import DecoyCore
import DecoyTinyCam

extension ExchangeFacts {
    /// The facts of an HTTP or RTSP request, from what the request value already carries (its decoded
    /// path, parameters and credentials), resolved against the running server: who a token
    /// (`tokens`) or a user name (`users`) belongs to, which camera `camera=<position>` names
    /// (`cameraIDs`, in `get_cam_list` order), and what the path is for (the API says).
    public init(
        http request: TinyCamRequest, tokens: TokenStore?, users: [UserConfig], cameraIDs: [Int64],
        at milliseconds: Int64
    ) {
        let credentials = request.credentials
        var user = credentials.claimedUser
        var role = user.flatMap { name in users.first { $0.name == name }?.role }
        var validToken: String?
        if let token = credentials.token, let session = tokens?.session(for: token) {
            (user, role, validToken) = (session.user, session.role, token)
        }
        let parameters = request.parameters.queryPairs.compactMap { pair -> (name: String, value: String)? in
            guard let name = pair.decodedName, let value = pair.decodedValue else { return nil }
            return (name, value)
        }
        // An RTSP SETUP names a track (`…/media.amp/stream=0`); rules name the media.
        let path = request.wire == .rtsp ? TinyCamAPI.presentationPath(ofRTSPPath: request.path) : request.path
        self.init(
            wire: request.wire == .rtsp ? .rtsp : .http, method: request.method, path: path, parameters: parameters,
            auth: credentials.kind,
            user: user, role: role, validToken: validToken, client: request.clientAddress,
            cameraID: Self.cameraID(request.parameters, cameraIDs: cameraIDs),
            purpose: TinyCamAPI.purpose(ofPath: path), milliseconds: milliseconds)
    }

    /// The camera as the API resolves it: `cameraId=<id>` wins over `camera=<position>` (1-based).
    private static func cameraID(_ parameters: RequestParameters, cameraIDs: [Int64]) -> Int64? {
        if let id = parameters.first("cameraId"), !id.isEmpty { return Int64(id) }
        guard let text = parameters.first("camera"), let position = Int(text), cameraIDs.indices.contains(position - 1)
        else { return nil }
        return cameraIDs[position - 1]
    }
}
