extension Int {
    /// Parses plain decimal text only: ASCII digits with an optional leading `-`, no `+`, spaces or
    /// other numeral systems, so `fps=+5` or `camera=٣` are rejected rather than quietly accepted.
    public init?(decimal text: some StringProtocol) {
        let digits = text.utf8.drop { $0 == UInt8(ascii: "-") }
        guard !digits.isEmpty, digits.count <= 18, text.utf8.count - digits.count <= 1,
            digits.allSatisfy({ (48...57).contains($0) }), let value = Int(String(text))
        else { return nil }
        self = value
    }
}
