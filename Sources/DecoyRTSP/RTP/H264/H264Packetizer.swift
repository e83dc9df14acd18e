import NIOCore

/// H.264 access units into RTP packets (RFC 6184, packetization mode 1): a NAL unit that fits
/// in `maximumPayload` bytes goes alone in one packet (single NAL unit packet), a larger one is
/// cut into FU-A fragments. All packets of an access unit carry its timestamp; the marker bit is
/// set on its last packet, so a client knows the picture is complete.
///
/// No STAP-A aggregation: SPS and PPS before an IDR go in small packets of their own, which
/// every depacketizer takes, and each NAL unit stays one packet a fault can drop or corrupt.
public struct H264Packetizer: Sendable {
    /// 1400 payload bytes: with the RTP header, 8 bytes of UDP and 20 of IPv4 (or 4 of interleaved
    /// framing) the packet stays under a 1500-byte Ethernet MTU with room for tunnels.
    public static let defaultMaximumPayload = 1400

    public private(set) var stream: RTPStream
    public let maximumPayload: Int

    private static let fuA: UInt8 = 28
    private static let fuHeaderSize = 2

    /// `maximumPayload` is the RTP payload limit per packet (RTP header not included), at least 16.
    public init(
        ssrc: UInt32, initialSequence: UInt16, payloadType: UInt8 = 96, maximumPayload: Int = defaultMaximumPayload,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) {
        precondition(maximumPayload >= 16, "an RTP payload limit of \(maximumPayload) bytes")
        self.stream = RTPStream(
            ssrc: ssrc, payloadType: payloadType, initialSequence: initialSequence, allocator: allocator)
        self.maximumPayload = maximumPayload
    }

    /// The packets of one access unit given as an Annex B byte stream (start codes included).
    public mutating func packetize(annexB bytes: ByteBuffer, timestamp: UInt32) -> [ByteBuffer] {
        let units = bytes.withUnsafeReadableBytes { raw in
            AnnexB.nalUnits(in: raw).compactMap {
                bytes.getSlice(at: bytes.readerIndex + $0.lowerBound, length: $0.count)
            }
        }
        return packetize(nalUnits: units, timestamp: timestamp)
    }

    /// The packets of one access unit given as its NAL units (no start codes), in order: any
    /// bytes (tests write them as arrays).
    public mutating func packetize<Unit: Collection<UInt8>>(nalUnits: [Unit], timestamp: UInt32) -> [ByteBuffer] {
        packetize(nalUnits: nalUnits.map { ByteBuffer(bytes: $0) }, timestamp: timestamp)
    }

    /// The packets of one access unit given as its NAL units (no start codes), in order. The
    /// server's path, once per frame and session: concrete, so no generic code runs per packet
    /// across the module boundary (that cost a sixth of an RTSP viewer's CPU).
    public mutating func packetize(nalUnits: [ByteBuffer], timestamp: UInt32) -> [ByteBuffer] {
        let units = nalUnits.filter { $0.readableBytes > 0 }
        var packets: [ByteBuffer] = []
        packets.reserveCapacity(units.count)
        for (index, unit) in units.enumerated() {
            let lastUnit = index == units.count - 1
            if unit.readableBytes <= maximumPayload {
                packets.append(
                    stream.packet(marker: lastUnit, timestamp: timestamp, payloadSize: unit.readableBytes) {
                        $0.writeImmutableBuffer(unit)
                    })
            } else {
                fragment(unit, lastUnit: lastUnit, timestamp: timestamp, into: &packets)
            }
        }
        return packets
    }

    /// FU-A: an indicator byte (the NAL header's F and NRI bits, type 28), a header byte (start
    /// and end bits, the NAL type), then a piece of the NAL unit without its header byte.
    private mutating func fragment(
        _ unit: ByteBuffer, lastUnit: Bool, timestamp: UInt32, into packets: inout [ByteBuffer]
    ) {
        var rest = unit
        let header: UInt8 = rest.readInteger()!
        let indicator = header & 0xE0 | Self.fuA
        let type = header & 0x1F
        let pieceSize = maximumPayload - Self.fuHeaderSize
        var first = true
        while rest.readableBytes > 0, let piece = rest.readSlice(length: min(pieceSize, rest.readableBytes)) {
            let last = rest.readableBytes == 0
            let fuHeader = (first ? 0x80 : 0) | (last ? 0x40 : 0) | type
            packets.append(
                stream.packet(
                    marker: last && lastUnit, timestamp: timestamp,
                    payloadSize: Self.fuHeaderSize + piece.readableBytes
                ) {
                    $0.writeInteger(indicator)
                    $0.writeInteger(fuHeader)
                    $0.writeImmutableBuffer(piece)
                })
            first = false
        }
    }
}
