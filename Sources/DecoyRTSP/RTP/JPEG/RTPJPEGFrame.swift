/// What RFC 2435 sends of a baseline JPEG: its type, size, quantization tables, restart
/// interval and entropy-coded scan. Everything else in the file (markers, Huffman tables, APPn)
/// is dropped: the receiver rebuilds the headers from these values.
///
/// Only what RTP/JPEG can describe is accepted: baseline (SOF0) 8-bit YCbCr in three components
/// with 4:2:2 (type 0) or 4:2:0 (type 1) subsampling, luminance on Huffman tables 0 and
/// chrominance on tables 1, the standard Huffman tables, and both chrominance components on the
/// same quantization table (ffmpeg's encoder puts all three on one table; that table is then
/// sent for luminance and chrominance alike). Decoy's own encoder
/// (turbojpeg, 4:2:0) always qualifies; a webcam's passthrough JPEG (usually 4:2:2, often with no
/// Huffman tables at all, which means the standard ones) mostly does.
public struct RTPJPEGFrame: Hashable, Sendable {
    /// RTP/JPEG type: 0 or 1, plus 64 when restart markers are present.
    public let type: UInt8
    public let width: Int
    public let height: Int
    /// 128 bytes: the luminance table, then the chrominance table, in the JPEG's zigzag order.
    public let quantizationTables: [UInt8]
    /// Restart interval in MCUs (0: none).
    public let restartInterval: UInt16
    /// The entropy-coded bytes, EOI excluded (receivers append it, as ffmpeg's sender assumes).
    public let scan: Range<Int>

    /// Takes `jpeg` apart; an error says what RTP/JPEG cannot carry.
    public static func parse(_ jpeg: UnsafeRawBufferPointer) throws(RTPJPEGError) -> RTPJPEGFrame {
        var reader = JPEGMarkerReader(jpeg)
        return try reader.read()
    }
}

/// Walks a JPEG's marker segments up to its scan.
struct JPEGMarkerReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 2
    private var tables: [UInt8: [UInt8]] = [:]
    private var frame: (width: Int, height: Int, type: UInt8, componentIDs: [UInt8], tables: [UInt8])?
    private var restartInterval: UInt16 = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func read() throws(RTPJPEGError) -> RTPJPEGFrame {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw RTPJPEGError("not a JPEG: no SOI") }
        while true {
            let marker = try nextMarker()
            switch marker {
            case 0xD0...0xD7, 0x01: continue  // standalone markers
            case 0xD8, 0xD9: throw RTPJPEGError("the JPEG has no scan")
            default: break
            }
            let segment = try segment()
            switch marker {
            case 0xDB: try readQuantizationTables(segment)
            case 0xC4: try checkHuffmanTables(segment)
            case 0xC0: try readFrame(segment)
            case 0xC1...0xCF:
                let name = String(marker, radix: 16, uppercase: true)
                throw RTPJPEGError("frame marker FF\(name): only baseline JPEG (SOF0) is RTP/JPEG")
            case 0xDD:
                guard segment.count >= 2 else { throw RTPJPEGError("a DRI segment is too short") }
                restartInterval = UInt16(segment[segment.startIndex]) << 8 | UInt16(segment[segment.startIndex + 1])
            case 0xDA:
                try checkScanHeader(segment)
                return try finish(scanStart: offset)
            default: continue  // APPn, COM and the like carry nothing RTP/JPEG sends
            }
        }
    }

    /// The next marker code, skipping fill bytes; `offset` then points after it.
    private mutating func nextMarker() throws(RTPJPEGError) -> UInt8 {
        guard offset + 1 < bytes.count, bytes[offset] == 0xFF else {
            throw RTPJPEGError("no JPEG marker at byte \(offset)")
        }
        offset += 1
        while offset < bytes.count, bytes[offset] == 0xFF { offset += 1 }
        guard offset < bytes.count else { throw RTPJPEGError("the JPEG ends inside a marker") }
        offset += 1
        return bytes[offset - 1]
    }

    /// The current segment's contents (after its length); `offset` then points past it.
    private mutating func segment() throws(RTPJPEGError) -> Slice<UnsafeRawBufferPointer> {
        guard offset + 1 < bytes.count else { throw RTPJPEGError("the JPEG ends before a segment length") }
        let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
        guard length >= 2, offset + length <= bytes.count else {
            throw RTPJPEGError("a segment at byte \(offset) runs past the end")
        }
        defer { offset += length }
        return bytes[(offset + 2)..<(offset + length)]
    }

    private mutating func readQuantizationTables(_ segment: Slice<UnsafeRawBufferPointer>) throws(RTPJPEGError) {
        var rest = segment[...]
        while let info = rest.first {
            guard info >> 4 == 0 else { throw RTPJPEGError("a 16-bit quantization table is not baseline") }
            guard rest.count >= 65 else { throw RTPJPEGError("a DQT segment is too short") }
            tables[info & 0x0F] = Array(rest.dropFirst().prefix(64))
            rest = rest.dropFirst(65)
        }
    }

    private func checkHuffmanTables(_ segment: Slice<UnsafeRawBufferPointer>) throws(RTPJPEGError) {
        var rest = segment[...]
        while let info = rest.first {
            guard rest.count >= 17 else { throw RTPJPEGError("a DHT segment is too short") }
            let counts = Array(rest.dropFirst().prefix(16))
            let total = counts.reduce(0) { $0 + Int($1) }
            guard rest.count >= 17 + total else { throw RTPJPEGError("a DHT segment is too short") }
            let table = JPEGStandardHuffmanTables.Table(
                tableClass: info >> 4, identifier: info & 0x0F, counts: counts,
                symbols: Array(rest.dropFirst(17).prefix(total)))
            guard JPEGStandardHuffmanTables.isStandard(table) else {
                throw RTPJPEGError("the JPEG has its own Huffman tables; RTP/JPEG needs the standard ones")
            }
            rest = rest.dropFirst(17 + total)
        }
    }

    private mutating func readFrame(_ segment: Slice<UnsafeRawBufferPointer>) throws(RTPJPEGError) {
        let s = Array(segment)
        guard s.count >= 6, s[0] == 8 else { throw RTPJPEGError("only 8-bit samples are RTP/JPEG") }
        let height = Int(s[1]) << 8 | Int(s[2])
        let width = Int(s[3]) << 8 | Int(s[4])
        guard s[5] == 3, s.count >= 15 else { throw RTPJPEGError("RTP/JPEG needs three components (YCbCr)") }
        guard width > 0, height > 0 else { throw RTPJPEGError("the JPEG's size is \(width)x\(height)") }
        let sampling = [s[7], s[10], s[13]]
        guard s[11] == s[14] else { throw RTPJPEGError("RTP/JPEG needs Cb and Cr on one quantization table") }
        let type: UInt8
        switch sampling {
        case [0x21, 0x11, 0x11]: type = 0
        case [0x22, 0x11, 0x11]: type = 1
        default: throw RTPJPEGError("only 4:2:2 and 4:2:0 subsampling are RTP/JPEG")
        }
        frame = (width, height, type, [s[6], s[9], s[12]], [s[8], s[11]])
    }

    /// One scan of all three components, in frame order, on the tables RFC 2435 assumes,
    /// covering every coefficient (baseline: Ss 0, Se 63, no successive approximation).
    private func checkScanHeader(_ segment: Slice<UnsafeRawBufferPointer>) throws(RTPJPEGError) {
        guard let frame else { throw RTPJPEGError("the scan comes before the frame header") }
        let s = Array(segment)
        guard s.count == 10, s[0] == 3, [s[1], s[3], s[5]] == frame.componentIDs,
            [s[2], s[4], s[6]] == [0x00, 0x11, 0x11], s[7] == 0, s[8] == 63, s[9] == 0
        else { throw RTPJPEGError("the scan is not one baseline scan of Y, Cb and Cr on tables 0, 1, 1") }
    }

    private func finish(scanStart: Int) throws(RTPJPEGError) -> RTPJPEGFrame {
        guard let frame else { throw RTPJPEGError("the JPEG has no frame header") }
        guard let luminance = tables[frame.tables[0]], let chrominance = tables[frame.tables[1]] else {
            throw RTPJPEGError("the JPEG lacks a quantization table its components use")
        }
        var end = bytes.count
        var probe = bytes.count - 2
        while probe >= scanStart {
            if bytes[probe] == 0xFF, bytes[probe + 1] == 0xD9 {
                end = probe
                break
            }
            probe -= 1
        }
        guard end > scanStart else { throw RTPJPEGError("the JPEG's scan is empty") }
        guard end - scanStart < 1 << 24 else { throw RTPJPEGError("the scan is over RTP/JPEG's 16 MiB offset range") }
        return RTPJPEGFrame(
            type: frame.type + (restartInterval > 0 ? 64 : 0), width: frame.width, height: frame.height,
            quantizationTables: luminance + chrominance, restartInterval: restartInterval, scan: scanStart..<end)
    }
}
