/// A request's parameters read once, leniently, in request order: the query, then (for an Axis
/// POST) the form body. Every reader takes what it needs from this one reading: the API its
/// strict `QueryParameters` (any escape that cannot be decoded, or a name given twice, is a 400),
/// the credentials their precedence, the journal and the fault layer the decoded pairs (which they
/// keep even for a query the API rejects: the journal shows what the client sent).
public struct RequestParameters: Sendable {
    /// One `name=value` piece as sent, decoded where it can be.
    public struct Pair: Sendable {
        /// The name as sent (still percent-encoded).
        public let rawName: Substring
        public let name: Result<String, QueryError>
        public let value: Result<String, QueryError>
        /// Whether it came from the query (not from a POST body).
        public let inQuery: Bool

        /// The decoded name, or nil when it cannot be decoded.
        public var decodedName: String? { try? name.get() }
        /// The decoded value, or nil when it cannot be decoded.
        public var decodedValue: String? { try? value.get() }
    }

    public let pairs: [Pair]
    /// The strict reading the API answers by: the first decoding error in request order, or a
    /// repeated name, makes the whole query invalid.
    public let strict: Result<QueryParameters, QueryError>

    /// Reads `query` (without `?`) and then `form` (a POST body's URL-encoded text, if any).
    public init(query: Substring, form: Substring? = nil) {
        var pairs = Self.pieces(query, inQuery: true)
        if let form { pairs += Self.pieces(form, inQuery: false) }
        self.pairs = pairs
        strict = Self.strictReading(pairs)
    }

    /// The decoded value of the first pair named `name` (decodable names only).
    public func first(_ name: String) -> String? {
        pairs.first { $0.decodedName == name }?.decodedValue
    }

    /// Whether a pair named `name` is present.
    public func contains(_ name: String) -> Bool { pairs.contains { $0.decodedName == name } }

    /// The pairs of the query alone (not of a POST body).
    public var queryPairs: [Pair] { pairs.filter(\.inQuery) }

    private static func pieces(_ text: Substring, inQuery: Bool) -> [Pair] {
        text.split(separator: "&").map { piece in
            let equals = piece.firstIndex(of: "=")
            let rawName = piece[..<(equals ?? piece.endIndex)]
            let rawValue = equals.map { piece[piece.index(after: $0)...] } ?? ""
            let name = Result { () throws(QueryError) in try QueryParameters.decode(rawName, what: "parameter name") }
            let value = Result { () throws(QueryError) in
                try QueryParameters.decode(rawValue, what: "value of '\((try? name.get()) ?? String(rawName))'")
            }
            return Pair(rawName: rawName, name: name, value: value, inQuery: inQuery)
        }
    }

    /// What `QueryParameters(parsing:)` makes of the same text, from the pairs already decoded.
    private static func strictReading(_ pairs: [Pair]) -> Result<QueryParameters, QueryError> {
        var accepted: [(name: String, value: String)] = []
        for pair in pairs {
            let name: String
            let value: String
            switch (pair.name, pair.value) {
            case (.failure(let error), _), (_, .failure(let error)): return .failure(error)
            case (.success(let decodedName), .success(let decodedValue)):
                name = decodedName
                value = decodedValue
            }
            if name.isEmpty { continue }
            if accepted.contains(where: { $0.name == name }) { return .failure(.repeated(name)) }
            accepted.append((name, value))
        }
        return .success(QueryParameters(pairs: accepted))
    }
}
