/// The transport the server chose for one track, and how it says so in the SETUP answer.
public struct RTSPTransportChoice: Hashable, Sendable {
    public enum Delivery: Hashable, Sendable {
        /// Interleaved on the RTSP connection: RTP on `rtpChannel`, RTCP on `rtcpChannel`.
        case tcp(rtpChannel: UInt8, rtcpChannel: UInt8)
        /// UDP datagrams to the client's address at these ports.
        case udp(rtpPort: Int, rtcpPort: Int)
    }

    public let delivery: Delivery

    public init(delivery: Delivery) { self.delivery = delivery }

    public var lowerTransport: RTSPTransportSpec.LowerTransport {
        if case .tcp = delivery { return .tcp }
        return .udp
    }

    /// The `Transport` answer, spelled as gst-rtsp-server spells it (parameters in RFC 2326's
    /// order, UDP without a lower-transport suffix, the SSRC in eight hex digits, `mode="PLAY"`):
    /// `RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=1A2B3C4D;mode="PLAY"` or
    /// `RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971;ssrc=1A2B3C4D;mode="PLAY"`.
    /// `serverPorts` are the server's RTP and RTCP ports (UDP only).
    public func headerValue(ssrc: UInt32, serverPorts: (rtp: Int, rtcp: Int)? = nil) -> String {
        var text: String
        switch delivery {
        case .tcp(let rtp, let rtcp):
            text = "RTP/AVP/TCP;unicast;interleaved=\(rtp)-\(rtcp)"
        case .udp(let rtp, let rtcp):
            text = "RTP/AVP;unicast;client_port=\(rtp)-\(rtcp)"
            if let serverPorts { text += ";server_port=\(serverPorts.rtp)-\(serverPorts.rtcp)" }
        }
        let hex = String(ssrc, radix: 16, uppercase: true)
        return text + ";ssrc=" + String(repeating: "0", count: 8 - hex.count) + hex + ";mode=\"PLAY\""
    }

    /// Picks the first alternative of `header` this server can serve (gst-rtsp-server's rule):
    /// `RTP/AVP` over TCP or UDP unicast, for playing, with the lower transport in `allowed` (a
    /// `denyTransport` fault narrows it), UDP only with `client_port`. TCP channels come from
    /// the request when they are free in the session (`channelsInUse`), else the lowest free
    /// even pair (RFC 2326 lets the server choose). No usable alternative, or no header: 461.
    public static func negotiate(
        _ header: String?, allowed: Set<RTSPTransportSpec.LowerTransport> = [.tcp, .udp],
        channelsInUse: Set<UInt8> = []
    ) -> Result<RTSPTransportChoice, RTSPStatus> {
        guard let header else { return .failure(.unsupportedTransport) }
        for case let spec? in RTSPTransportSpec.alternatives(header)
        where spec.profile == "RTP/AVP" && !spec.multicast && spec.play && allowed.contains(spec.lowerTransport) {
            switch spec.lowerTransport {
            case .tcp:
                guard let channels = channels(asked: spec.interleaved, inUse: channelsInUse) else { continue }
                return .success(RTSPTransportChoice(delivery: .tcp(rtpChannel: channels.0, rtcpChannel: channels.1)))
            case .udp:
                guard let ports = spec.clientPorts else { continue }
                return .success(
                    RTSPTransportChoice(delivery: .udp(rtpPort: ports.lowerBound, rtcpPort: ports.upperBound)))
            }
        }
        return .failure(.unsupportedTransport)
    }

    private static func channels(asked: ClosedRange<Int>?, inUse: Set<UInt8>) -> (UInt8, UInt8)? {
        if let asked {
            let pair = (UInt8(asked.lowerBound), UInt8(asked.upperBound))
            if !inUse.contains(pair.0), !inUse.contains(pair.1) { return pair }
        }
        let free = stride(from: 0, through: 254, by: 2).first {
            !inUse.contains(UInt8($0)) && !inUse.contains(UInt8($0 + 1))
        }
        return free.map { (UInt8($0), UInt8($0 + 1)) }
    }
}
