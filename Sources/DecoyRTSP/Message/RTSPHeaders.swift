/// One header field as it was read or will be written.
public struct RTSPHeaderField: Hashable, Sendable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Header fields in their order on the wire, looked up case-insensitively.
///
/// Order matters on the way out: Axis cameras (gst-rtsp-server) write `CSeq` first and the
/// method's own headers before `Server`, `Session` and `Date`, and some clients were only ever
/// tested against that. Fields are few (at most 100 on the way in), so a linear search beats a
/// dictionary and keeps repeated fields (`WWW-Authenticate` twice) in order.
public struct RTSPHeaders: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral {
    public private(set) var fields: [RTSPHeaderField]

    public init(_ fields: [RTSPHeaderField] = []) { self.fields = fields }

    public init(arrayLiteral elements: (String, String)...) {
        self.fields = elements.map { RTSPHeaderField($0.0, $0.1) }
    }

    /// The first value of `name` (any case), or nil.
    public subscript(name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of `name` (any case), in order.
    public func values(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(RTSPHeaderField(name, value))
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[RTSPHeaderField]> { fields.makeIterator() }
}
