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
        bytes.withUnsafeReadableBytes { raw in
            packetize(
                nalUnits: AnnexB.nalUnits(in: raw).map { UnsafeRawBufferPointer(rebasing: raw[$0]) },
                timestamp: timestamp)
        }
    }

    /// The packets of one access unit given as its NAL units (no start codes), in order.
    public mutating func packetize<Unit: Collection<UInt8>>(nalUnits: [Unit], timestamp: UInt32) -> [ByteBuffer] {
        let units = nalUnits.filter { !$0.isEmpty }
        var packets: [ByteBuffer] = []
        for (index, unit) in units.enumerated() {
            let lastUnit = index == units.count - 1
            if unit.count <= maximumPayload {
                packets.append(
                    stream.packet(marker: lastUnit, timestamp: timestamp, payloadSize: unit.count) {
                        $0.writeBytes(unit)
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
        _ unit: some Collection<UInt8>, lastUnit: Bool, timestamp: UInt32, into packets: inout [ByteBuffer]
    ) {
        let header = unit.first!
        let indicator = header & 0xE0 | Self.fuA
        let type = header & 0x1F
        var rest = unit.dropFirst()
        let pieceSize = maximumPayload - Self.fuHeaderSize
        var first = true
        while !rest.isEmpty {
            let piece = rest.prefix(pieceSize)
            rest = rest.dropFirst(piece.count)
            let last = rest.isEmpty
            let fuHeader = (first ? 0x80 : 0) | (last ? 0x40 : 0) | type
            packets.append(
                stream.packet(
                    marker: last && lastUnit, timestamp: timestamp, payloadSize: Self.fuHeaderSize + piece.count
                ) {
                    $0.writeInteger(indicator)
                    $0.writeInteger(fuHeader)
                    $0.writeBytes(piece)
                })
            first = false
        }
    }
}
