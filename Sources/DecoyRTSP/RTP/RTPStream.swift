import NIOCore

/// The sending side of one RTP source: its SSRC and payload type, the next sequence number, and
/// the counts an RTCP sender report carries. Every packetizer writes its packets through one.
///
/// One stream is shared by every viewer of a variant: the packets are made once and each viewer
/// gets the same bytes (a TCP viewer with its own 4-byte interleaved header in front). A viewer
/// joining later learns from PLAY's `RTP-Info` which sequence number and timestamp its first
/// packet has, so shared numbering is what gst-rtsp-server's shared media does too.
public struct RTPStream: Sendable {
    public let ssrc: UInt32
    public let payloadType: UInt8
    /// The sequence number the next packet gets.
    public private(set) var nextSequence: UInt16
    /// Packets sent so far (RTCP SR's sender's packet count, wrapping as RFC 3550 says).
    public private(set) var packetCount: UInt32 = 0
    /// Payload bytes sent so far, RTP headers excluded (SR's sender's octet count).
    public private(set) var octetCount: UInt32 = 0
    /// The timestamp of the last packet (what an RTCP SR relates to the wall clock).
    public private(set) var lastTimestamp: UInt32?
    private let allocator: ByteBufferAllocator

    public init(ssrc: UInt32, payloadType: UInt8, initialSequence: UInt16, allocator: ByteBufferAllocator) {
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.nextSequence = initialSequence
        self.allocator = allocator
    }

    /// One packet: the header, then what `writePayload` writes (`payloadSize` bytes, to size
    /// the buffer once).
    mutating func packet(
        marker: Bool, timestamp: UInt32, payloadSize: Int, writePayload: (inout ByteBuffer) -> Void
    ) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: RTPHeader.size + payloadSize)
        RTPHeader(marker: marker, payloadType: payloadType, sequence: nextSequence, timestamp: timestamp, ssrc: ssrc)
            .write(to: &buffer)
        writePayload(&buffer)
        nextSequence &+= 1
        packetCount &+= 1
        octetCount &+= UInt32(truncatingIfNeeded: buffer.readableBytes - RTPHeader.size)
        lastTimestamp = timestamp
        return buffer
    }
}
