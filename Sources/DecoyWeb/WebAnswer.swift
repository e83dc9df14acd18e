/// An answer to a request for a page or one of its files, free of any transport: the tinyCam
/// port and the control listener each turn it into their own response type.
public struct WebAnswer: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: [Header]
    /// Empty for 304 and 405; the transport leaves it out of a HEAD answer.
    public var body: [UInt8]

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(status: Int, reason: String, headers: [Header], body: [UInt8]) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
