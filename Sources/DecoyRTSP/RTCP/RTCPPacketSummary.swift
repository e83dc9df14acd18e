import NIOCore

/// What an incoming RTCP compound packet holds, read only as far as the server cares: that it is
/// RTCP at all (a client's receiver reports are its UDP keep-alive, RFC 2326 section A.3), and
/// whether it says goodbye.
///
/// Validation follows RFC 3550 appendix A.2: version 2, the first packet a sender or receiver
/// report without padding, every length inside the datagram and the lengths adding up exactly.
/// Anything else is garbage and does not keep a session alive; nothing in it can crash the reader.
public struct RTCPPacketSummary: Hashable, Sendable {
    public private(set) var senderReports = 0
    public private(set) var receiverReports = 0
    /// True when a BYE is in it: the client is leaving.
    public private(set) var bye = false
    /// Every packet type in order (200 SR, 201 RR, 202 SDES, 203 BYE, 204 APP, others).
    public private(set) var packetTypes: [UInt8] = []

    /// Nil when `datagram` is not a valid RTCP compound packet.
    public init?(_ datagram: ByteBuffer) {
        var rest = datagram
        guard rest.readableBytes >= 4 else { return nil }
        while rest.readableBytes > 0 {
            guard rest.readableBytes >= 4, let first = rest.getInteger(at: rest.readerIndex, as: UInt8.self),
                let type = rest.getInteger(at: rest.readerIndex + 1, as: UInt8.self),
                let words = rest.getInteger(at: rest.readerIndex + 2, as: UInt16.self),
                first >> 6 == 2, rest.readableBytes >= (Int(words) + 1) * 4
            else { return nil }
            if packetTypes.isEmpty, first & 0x20 != 0 || (type != 200 && type != 201) { return nil }
            packetTypes.append(type)
            switch type {
            case 200: senderReports += 1
            case 201: receiverReports += 1
            case 203: bye = true
            default: break
            }
            rest.moveReaderIndex(forwardBy: (Int(words) + 1) * 4)
        }
    }
}
