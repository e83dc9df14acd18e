/// One alternative of a SETUP's `Transport` header (RFC 2326 section 12.39), as the client asked.
///
/// Read the way gst-rtsp-server reads it: case-insensitive, parameters in any order, unknown
/// parameters ignored, a malformed one (a port above 65535, a channel above 255) making the whole
/// alternative unusable. `RTP/AVP` without a lower transport means UDP; without `multicast` it is
/// unicast (RFC 2326 defaults to multicast, but every client that means multicast says so, and
/// gst-rtsp-server treats it the same way).
public struct RTSPTransportSpec: Hashable, Sendable {
    public enum LowerTransport: String, Hashable, Sendable, CaseIterable {
        case udp, tcp
    }

    /// `RTP/AVP`, `RTP/SAVP`…, uppercased, without the lower transport.
    public let profile: String
    public let lowerTransport: LowerTransport
    public let multicast: Bool
    /// `interleaved=a[-b]`.
    public let interleaved: ClosedRange<Int>?
    /// `client_port=a[-b]`.
    public let clientPorts: ClosedRange<Int>?
    /// True unless `mode=` names only `record` (absent means play).
    public let play: Bool

    /// Nil when the alternative is not a transport spec at all (no `protocol/profile`, a bad range).
    public init?(_ text: some StringProtocol) {
        let fields = text.lowercased().split(separator: ";").map { $0.trimmingASCIIWhitespace() }
        guard let first = fields.first else { return nil }
        let parts = first.split(separator: "/", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        profile = "\(parts[0])/\(parts[1])".uppercased()
        if parts.count == 3 {
            guard let lower = LowerTransport(rawValue: String(parts[2])) else { return nil }
            lowerTransport = lower
        } else {
            lowerTransport = .udp
        }
        var multicast = false
        var interleaved: ClosedRange<Int>?
        var clientPorts: ClosedRange<Int>?
        var play = true
        for field in fields.dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1).map { String($0) }
            switch (pair[0], pair.count > 1 ? pair[1] : nil) {
            case ("multicast", nil): multicast = true
            case ("unicast", nil): multicast = false
            case ("interleaved", let value?):
                guard let range = Self.range(value, in: 0...255) else { return nil }
                interleaved = range
            case ("client_port", let value?):
                guard let range = Self.range(value, in: 1...65535) else { return nil }
                clientPorts = range
            case ("mode", let value?):
                let modes = value.filter { $0 != "\"" }.split(separator: ",").map { $0.trimmingASCIIWhitespace() }
                play = modes.contains("play") || !modes.contains("record")
            default: continue
            }
        }
        if multicast, lowerTransport == .tcp { return nil }
        self.multicast = multicast
        self.interleaved = interleaved
        self.clientPorts = clientPorts
        self.play = play
    }

    /// Every alternative of a header value, in the client's order of preference (nil where one
    /// does not parse).
    public static func alternatives(_ header: String) -> [RTSPTransportSpec?] {
        header.split(separator: ",").map { RTSPTransportSpec($0) }
    }

    /// `a` or `a-b` with both ends in `bounds` and `a <= b`; `a` alone means `a-(a+1)` (RTP on
    /// `a`, RTCP on the next), so it must leave room for it.
    private static func range(_ text: String, in bounds: ClosedRange<Int>) -> ClosedRange<Int>? {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(ends.count),
            ends.allSatisfy({ (1...5).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) }),
            let low = Int(ends[0]), let high = ends.count == 2 ? Int(ends[1]) : low + 1,
            bounds.contains(low), bounds.contains(high), high >= low
        else { return nil }
        return low...high
    }
}
