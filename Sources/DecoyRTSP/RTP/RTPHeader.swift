import NIOCore

/// The fixed 12-byte RTP header (RFC 3550 section 5.1) this server writes: version 2, no
/// padding, no extension, no contributing sources.
public struct RTPHeader: Hashable, Sendable {
    public static let size = 12

    public var marker: Bool
    public var payloadType: UInt8
    public var sequence: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32

    public init(marker: Bool, payloadType: UInt8, sequence: UInt16, timestamp: UInt32, ssrc: UInt32) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequence = sequence
        self.timestamp = timestamp
        self.ssrc = ssrc
    }

    public func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0x80))
        buffer.writeInteger((marker ? 0x80 : 0) | payloadType & 0x7F)
        buffer.writeInteger(sequence)
        buffer.writeInteger(timestamp)
        buffer.writeInteger(ssrc)
    }

    /// The header of a packet (any RTP packet, contributing sources and extension skipped) and
    /// where its payload starts; nil when it is not RTP version 2 or is cut short. For tests and
    /// for faults that rewrite packets.
    public init?(parsing packet: ByteBuffer) {
        guard let parsed = Self.parse(packet) else { return nil }
        self = parsed.header
    }

    /// The header and the payload (padding removed).
    public static func parse(_ packet: ByteBuffer) -> (header: RTPHeader, payload: ByteBuffer)? {
        let start = packet.readerIndex
        guard packet.readableBytes >= size, let first = packet.getInteger(at: start, as: UInt8.self), first >> 6 == 2,
            let second = packet.getInteger(at: start + 1, as: UInt8.self),
            let sequence = packet.getInteger(at: start + 2, as: UInt16.self),
            let timestamp = packet.getInteger(at: start + 4, as: UInt32.self),
            let ssrc = packet.getInteger(at: start + 8, as: UInt32.self)
        else { return nil }
        var offset = size + Int(first & 0x0F) * 4
        if first & 0x10 != 0 {
            guard let words = packet.getInteger(at: start + offset + 2, as: UInt16.self) else { return nil }
            offset += 4 + Int(words) * 4
        }
        var end = packet.readableBytes
        if first & 0x20 != 0 {
            guard end > offset, let padding = packet.getInteger(at: start + end - 1, as: UInt8.self) else { return nil }
            end -= Int(padding)
        }
        guard offset <= end, let payload = packet.getSlice(at: start + offset, length: end - offset) else { return nil }
        let header = RTPHeader(
            marker: second & 0x80 != 0, payloadType: second & 0x7F, sequence: sequence, timestamp: timestamp, ssrc: ssrc
        )
        return (header, payload)
    }
}
