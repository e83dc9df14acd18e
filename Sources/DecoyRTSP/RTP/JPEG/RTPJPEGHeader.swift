import NIOCore

/// The 8-byte main header every RTP/JPEG packet starts with (RFC 2435 section 3.1), and the
/// headers that follow it.
struct RTPJPEGHeader: Hashable {
    /// Width and height travel in units of 8 pixels in one byte each.
    static let largestSize = 2040

    /// 0 (4:2:2) or 1 (4:2:0), plus 64 when restart markers are present.
    let type: UInt8
    let width: Int
    let height: Int

    /// Q 255: the quantization tables travel in the first packet of every frame and may change
    /// from frame to frame (RFC 2435 section 4.1), so any encoder quality passes unchanged.
    static let dynamicTablesQ: UInt8 = 255

    func write(fragmentOffset: Int, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0))  // type-specific: progressive scan
        buffer.writeInteger(UInt8(truncatingIfNeeded: fragmentOffset >> 16))
        buffer.writeInteger(UInt16(truncatingIfNeeded: fragmentOffset))
        buffer.writeInteger(type)
        buffer.writeInteger(Self.dynamicTablesQ)
        buffer.writeInteger(Self.eighths(width))
        buffer.writeInteger(Self.eighths(height))
    }

    /// Size in units of 8 rounded up (a picture not a multiple of 8 is sent with its last block
    /// row or column, which the receiver shows); 0 above 2040, where the SDP's `a=x-dimensions`
    /// says the size instead.
    static func eighths(_ size: Int) -> UInt8 {
        size > largestSize ? 0 : UInt8((size + 7) / 8)
    }

    /// The restart marker header (section 3.1.7), in every packet of a frame with restart
    /// markers: the interval, then F and L set with count 0x3FFF (packets are not aligned to
    /// restart intervals, so the receiver must reassemble the whole frame).
    static func writeRestartHeader(interval: UInt16, to buffer: inout ByteBuffer) {
        buffer.writeInteger(interval)
        buffer.writeInteger(UInt16(0xFFFF))
    }

    /// The quantization table header (section 3.1.8) and the tables, in the first packet only:
    /// must-be-zero, precision 0 (8-bit tables), length, then luminance and chrominance tables.
    static func writeQuantizationTables(_ tables: [UInt8], to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt16(tables.count))
        buffer.writeBytes(tables)
    }
}
