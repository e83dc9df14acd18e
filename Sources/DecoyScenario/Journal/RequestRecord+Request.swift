import DecoyTinyCam

extension RequestRecord {
    /// Names whose values never reach the journal (compared case-insensitively after decoding, as
    /// the access log does: `p%77d` is `pwd`).
    static let secretNames: Set<String> = ["pwd", "token"]

    /// What the journal keeps of a request and its answer (and the faults applied to it, if any).
    public init(request: TinyCamRequest, response: TinyCamResponse, fault: String? = nil) {
        let path =
            (try? QueryParameters.decode(request.rawPath, what: "path", plusIsSpace: false))
            ?? String(request.rawPath)
        let raw = Self.rawParameters(request.rawQuery)
        self.init(
            client: request.clientAddress, user: response.user, auth: Self.authKind(raw, request: request),
            method: request.method, path: path, parameters: raw.map(Self.masked), status: response.status.code,
            bodyBytes: response.bodyLength.map { request.method == "HEAD" ? 0 : $0 }, fault: fault)
    }

    /// Decoded pairs in request order, kept even when the query is invalid (repeated names): the
    /// journal shows what the client sent, the API decides what it means. A name that cannot be
    /// decoded keeps its raw spelling and a masked value (it may be a secret).
    static func rawParameters(_ query: Substring) -> [(name: String?, raw: Substring, value: String?)] {
        query.split(separator: "&").map { piece in
            let equals = piece.firstIndex(of: "=")
            let rawName = piece[..<(equals ?? piece.endIndex)]
            let rawValue = equals.map { piece[piece.index(after: $0)...] } ?? ""
            return (
                try? QueryParameters.decode(rawName, what: "parameter name"), rawName,
                try? QueryParameters.decode(rawValue, what: "value")
            )
        }
    }

    private static func masked(_ pair: (name: String?, raw: Substring, value: String?)) -> Parameter {
        guard let name = pair.name else { return Parameter(name: String(pair.raw), value: "***") }
        let secret = secretNames.contains(name.lowercased())
        return Parameter(name: name, value: secret ? "***" : pair.value ?? "<undecodable>")
    }

    /// tinyCam's precedence: `token`, then `user`/`pwd` in the query, then Basic or Digest.
    static func authKind(
        _ pairs: [(name: String?, raw: Substring, value: String?)], request: TinyCamRequest
    ) -> AuthKind {
        let names = Set(pairs.compactMap(\.name))
        if names.contains("token") { return .token }
        if names.contains("user") || names.contains("pwd") { return .query }
        let scheme = request.header("Authorization")?.prefix(7).lowercased()
        if scheme?.hasPrefix("basic ") == true { return .basic }
        if scheme == "digest " { return .digest }
        return .none
    }
}
