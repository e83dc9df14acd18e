import NIOCore

/// 8 kHz mono sound into PCMU RTP packets (RFC 3551, static payload type 0): one µ-law byte per
/// sample, one packet per audio hub block (20 ms, 160 bytes), split only if a block exceeds the
/// payload limit. The marker bit is set on the first packet, the start of a talkspurt (RFC 3551
/// section 4.1); sound is continuous after that.
public struct PCMUPacketizer: Sendable {
    public static let payloadType: UInt8 = 0

    public private(set) var stream: RTPStream
    public let maximumPayload: Int
    private var started = false

    public init(
        ssrc: UInt32, initialSequence: UInt16, maximumPayload: Int = H264Packetizer.defaultMaximumPayload,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) {
        precondition(maximumPayload >= 1, "a PCMU payload limit of \(maximumPayload) bytes")
        self.stream = RTPStream(
            ssrc: ssrc, payloadType: Self.payloadType, initialSequence: initialSequence, allocator: allocator)
        self.maximumPayload = maximumPayload
    }

    /// Packets for `samples` (8 kHz), the first sample at `timestamp` (8 kHz ticks).
    public mutating func packetize(samples: [Int16], timestamp: UInt32) -> [ByteBuffer] {
        var packets: [ByteBuffer] = []
        var start = 0
        while start < samples.count {
            let piece = samples[start..<min(start + maximumPayload, samples.count)]
            let marker = !started
            started = true
            packets.append(
                stream.packet(
                    marker: marker, timestamp: timestamp &+ UInt32(truncatingIfNeeded: start), payloadSize: piece.count
                ) { buffer in
                    for sample in piece { buffer.writeInteger(MuLaw.encode(sample)) }
                })
            start += piece.count
        }
        return packets
    }

    /// The samples of an audio hub block: mono signed 16-bit little-endian PCM.
    public static func samples(ofLittleEndianPCM pcm: ByteBuffer) -> [Int16] {
        var reader = pcm
        var samples: [Int16] = []
        samples.reserveCapacity(pcm.readableBytes / 2)
        while let sample = reader.readInteger(endianness: .little, as: Int16.self) { samples.append(sample) }
        return samples
    }
}
