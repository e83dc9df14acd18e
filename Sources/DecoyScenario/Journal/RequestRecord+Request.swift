import DecoyServer
import DecoyTinyCam

extension RequestRecord {
    /// Names whose values never reach the journal (compared case-insensitively after decoding, as
    /// the access log does: `p%77d` is `pwd`).
    static let secretNames: Set<String> = ["pwd", "token"]

    /// What the journal keeps of an exchange the transport finished: the request as the client
    /// sent it (path and parameters decoded, secrets masked) and what it actually got.
    public init(_ exchange: FinishedExchange) {
        let request = exchange.request
        self.init(
            client: request.clientAddress, user: exchange.user, auth: request.credentials.kind,
            method: request.method, path: request.path, parameters: Self.masked(request.parameters.queryPairs),
            status: exchange.status, bodyBytes: exchange.bodyBytes, fault: exchange.fault, outcome: exchange.outcome,
            bytesWritten: exchange.bytesWritten)
        self.protocol = request.wire
        if request.wire == .rtsp { cseq = request.header("CSeq") }
        connection = exchange.id.connection
        self.request = exchange.id.request
    }

    /// The pairs in request order, kept even when the query is invalid (repeated names): the
    /// journal shows what the client sent, the API decides what it means. A name that cannot be
    /// decoded keeps its raw spelling and a masked value (it may be a secret).
    static func masked(_ pairs: [RequestParameters.Pair]) -> [Parameter] {
        pairs.map { pair in
            guard let name = pair.decodedName else { return Parameter(name: String(pair.rawName), value: "***") }
            let secret = secretNames.contains(name.lowercased())
            return Parameter(name: name, value: secret ? "***" : pair.decodedValue ?? "<undecodable>")
        }
    }
}
