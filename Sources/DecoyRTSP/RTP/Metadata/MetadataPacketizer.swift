import NIOCore

/// RTP for an ONVIF metadata track (`vnd.onvif.metadata/90000`, Axis's event stream): each XML
/// document is cut into packets of at most `maximumPayload` bytes sharing one timestamp, the
/// marker set on its last packet (ONVIF Streaming Specification 5.1.2.1), so a receiver
/// reassembles a document from the packets up to a marker.
public struct MetadataPacketizer: Sendable {
    /// Axis's dynamic payload type for the metadata track.
    public static let payloadType: UInt8 = 98

    public private(set) var stream: RTPStream
    public let maximumPayload: Int

    public init(
        ssrc: UInt32, initialSequence: UInt16, maximumPayload: Int = H264Packetizer.defaultMaximumPayload,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) {
        precondition(maximumPayload >= 16, "an RTP payload limit of \(maximumPayload) bytes")
        self.stream = RTPStream(
            ssrc: ssrc, payloadType: Self.payloadType, initialSequence: initialSequence, allocator: allocator)
        self.maximumPayload = maximumPayload
    }

    /// The packets of one document, stamped `timestamp` (90 kHz).
    public mutating func packetize(document: String, timestamp: UInt32) -> [ByteBuffer] {
        let bytes = Array(document.utf8)
        var packets: [ByteBuffer] = []
        var start = 0
        repeat {
            let end = min(start + maximumPayload, bytes.count)
            let piece = bytes[start..<end]
            packets.append(
                stream.packet(marker: end == bytes.count, timestamp: timestamp, payloadSize: piece.count) {
                    $0.writeBytes(piece)
                })
            start = end
        } while start < bytes.count
        return packets
    }
}
