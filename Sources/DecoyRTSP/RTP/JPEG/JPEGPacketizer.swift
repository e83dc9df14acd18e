import NIOCore

/// JPEG pictures into RTP/JPEG packets (RFC 2435, static payload type 26), straight from the
/// JPEG variants the camera already encodes: no extra encoding per RTSP viewer.
///
/// Every packet has the main header with the scan offset it carries; with restart markers also
/// the restart header; the first packet of a frame also the quantization tables (Q = 255). The
/// marker bit is set on a frame's last packet.
public struct JPEGPacketizer: Sendable {
    public static let payloadType: UInt8 = 26

    public private(set) var stream: RTPStream
    public let maximumPayload: Int

    /// `maximumPayload` is the RTP payload limit per packet; it must leave room for the headers
    /// (8 + 4 + 132 bytes in a first packet) and some scan data.
    public init(
        ssrc: UInt32, initialSequence: UInt16, maximumPayload: Int = H264Packetizer.defaultMaximumPayload,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) {
        precondition(maximumPayload >= 256, "an RTP/JPEG payload limit of \(maximumPayload) bytes")
        self.stream = RTPStream(
            ssrc: ssrc, payloadType: Self.payloadType, initialSequence: initialSequence, allocator: allocator)
        self.maximumPayload = maximumPayload
    }

    /// The packets of one JPEG picture; throws (sending nothing) when it is not RTP/JPEG material.
    public mutating func packetize(jpeg: ByteBuffer, timestamp: UInt32) throws(RTPJPEGError) -> [ByteBuffer] {
        try jpeg.withUnsafeReadableBytes { bytes throws(RTPJPEGError) in
            try packetize(jpeg: bytes, timestamp: timestamp)
        }
    }

    public mutating func packetize(
        jpeg: UnsafeRawBufferPointer, timestamp: UInt32
    ) throws(RTPJPEGError)
        -> [ByteBuffer]
    {
        let frame = try RTPJPEGFrame.parse(jpeg)
        let header = RTPJPEGHeader(type: frame.type, width: frame.width, height: frame.height)
        let hasRestart = frame.type >= 64
        var packets: [ByteBuffer] = []
        var offset = 0
        let scanLength = frame.scan.count
        while offset < scanLength {
            var headerSize = 8 + (hasRestart ? 4 : 0)
            if offset == 0 { headerSize += 4 + frame.quantizationTables.count }
            let pieceSize = min(maximumPayload - headerSize, scanLength - offset)
            let start = frame.scan.lowerBound + offset
            let piece = UnsafeRawBufferPointer(rebasing: jpeg[start..<(start + pieceSize)])
            let last = offset + pieceSize == scanLength
            packets.append(
                stream.packet(marker: last, timestamp: timestamp, payloadSize: headerSize + pieceSize) { [offset] in
                    header.write(fragmentOffset: offset, to: &$0)
                    if hasRestart { RTPJPEGHeader.writeRestartHeader(interval: frame.restartInterval, to: &$0) }
                    if offset == 0 { RTPJPEGHeader.writeQuantizationTables(frame.quantizationTables, to: &$0) }
                    $0.writeBytes(piece)
                })
            offset += pieceSize
        }
        return packets
    }
}
