import NIOCore

/// RTP or RTCP carried on the RTSP connection itself (RFC 2326 section 10.12): `$`, a one-byte
/// channel, a 16-bit big-endian length, then the packet.
///
/// A TCP client's SETUP names the channel pair (`interleaved=0-1`: RTP on the even channel, RTCP
/// on the odd one). The server writes a frame's packets, each behind its 4-byte header, into one
/// buffer and hands that to the connection in one write.
public struct InterleavedFrame: Hashable, Sendable {
    public let channel: UInt8
    public let payload: ByteBuffer

    public init(channel: UInt8, payload: ByteBuffer) {
        self.channel = channel
        self.payload = payload
    }

    /// The byte that starts a frame where a request line would otherwise start.
    public static let magic = UInt8(ascii: "$")
    /// The most a frame can carry (its length field is 16 bits).
    public static let maximumPayload = Int(UInt16.max)

    /// Writes the 4-byte header for a packet of `length` bytes on `channel`. `length` must be at
    /// most `maximumPayload` (an RTP packet is at most an MTU, far below).
    public static func writeHeader(channel: UInt8, length: Int, to buffer: inout ByteBuffer) {
        precondition((0...maximumPayload).contains(length), "interleaved payload of \(length) bytes")
        buffer.writeInteger(magic)
        buffer.writeInteger(channel)
        buffer.writeInteger(UInt16(length))
    }

    /// Header and payload, in one buffer.
    public func write(to buffer: inout ByteBuffer) {
        Self.writeHeader(channel: channel, length: payload.readableBytes, to: &buffer)
        buffer.writeImmutableBuffer(payload)
    }

    /// Reads one whole frame at the buffer's reader index (which must hold `$`), consuming it;
    /// nil, consuming nothing, while the frame is incomplete.
    public static func read(from buffer: inout ByteBuffer) -> InterleavedFrame? {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= 4, buffer.getInteger(at: start, as: UInt8.self) == magic,
            let channel = buffer.getInteger(at: start + 1, as: UInt8.self),
            let length = buffer.getInteger(at: start + 2, as: UInt16.self),
            buffer.readableBytes >= 4 + Int(length)
        else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        let payload = buffer.readSlice(length: Int(length))!
        return InterleavedFrame(channel: channel, payload: payload)
    }
}
