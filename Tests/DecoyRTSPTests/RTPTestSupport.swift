import CTurboJPEG
import NIOCore

@testable import DecoyMedia
@testable import DecoyRTSP

/// Receivers written from the RFCs, independent of the packetizers, so a round trip proves the
/// packets carry what a real client needs.
enum RTPReceivers {
    /// RFC 6184 depacketization (single NAL units and FU-A): the NAL units of each access unit,
    /// an access unit ending at a packet with the marker bit.
    static func h264AccessUnits(_ packets: [ByteBuffer]) -> [[[UInt8]]] {
        var units: [[[UInt8]]] = []
        var current: [[UInt8]] = []
        var fragment: [UInt8]?
        for packet in packets {
            guard let (header, payload) = RTPHeader.parse(packet) else { continue }
            let bytes = Array(payload.readableBytesView)
            switch bytes[0] & 0x1F {
            case 1...23:
                current.append(bytes)
            case 28:
                let fuHeader = bytes[1]
                if fuHeader & 0x80 != 0 { fragment = [bytes[0] & 0xE0 | fuHeader & 0x1F] }
                fragment? += bytes[2...]
                if fuHeader & 0x40 != 0, let whole = fragment {
                    current.append(whole)
                    fragment = nil
                }
            default:
                continue
            }
            if header.marker {
                units.append(current)
                current = []
            }
        }
        return units
    }

    /// RFC 2435 appendix B: a JPEG rebuilt from one frame's RTP/JPEG packets (in order).
    static func jpeg(_ packets: [ByteBuffer], dimensions: (Int, Int)? = nil) -> [UInt8] {
        var scan: [UInt8] = []
        var tables: [UInt8] = []
        var type: UInt8 = 0
        var width = 0
        var height = 0
        var interval: UInt16 = 0
        for packet in packets {
            guard let (_, payload) = RTPHeader.parse(packet) else { continue }
            let bytes = Array(payload.readableBytesView)
            let offset = Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
            type = bytes[4]
            width = Int(bytes[6]) * 8
            height = Int(bytes[7]) * 8
            var at = 8
            if type >= 64 {
                interval = UInt16(bytes[8]) << 8 | UInt16(bytes[9])
                at += 4
            }
            if offset == 0, bytes[5] >= 128 {
                let length = Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
                tables = Array(bytes[(at + 4)..<(at + 4 + length)])
                at += 4 + length
            }
            precondition(offset == scan.count, "fragment offsets must be contiguous")
            scan += bytes[at...]
        }
        if let dimensions { (width, height) = dimensions }
        var out: [UInt8] = [0xFF, 0xD8]
        out += [0xFF, 0xDB, 0x00, 0x84, 0x00] + tables[0..<64] + [0x01] + tables[64..<128]
        if type >= 64 { out += [0xFF, 0xDD, 0x00, 0x04, UInt8(interval >> 8), UInt8(interval & 0xFF)] }
        let lumaSampling: UInt8 = type & 0x3F == 0 ? 0x21 : 0x22
        out += [0xFF, 0xC0, 0x00, 0x11, 0x08, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8)]
        out += [UInt8(width & 0xFF), 0x03, 0x01, lumaSampling, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]
        for table in JPEGStandardHuffmanTables.all {
            let length = 2 + 1 + 16 + table.symbols.count
            out += [0xFF, 0xC4, UInt8(length >> 8), UInt8(length & 0xFF), table.tableClass << 4 | table.identifier]
            out += table.counts + table.symbols
        }
        out += [0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00]
        return out + scan + [0xFF, 0xD9]
    }
}

/// Pictures to send, made here so the tests need no files.
enum TestPictures {
    /// A 4:2:0 picture with detail in every plane (gradients and a checkerboard).
    static func image(width: Int, height: Int) -> I420Image {
        var image = I420Image(size: PixelSize(width: width, height: height))
        for y in 0..<height {
            for x in 0..<width {
                image.bytes[y * width + x] = UInt8(truncatingIfNeeded: x * 3 + y + ((x / 8 + y / 8) % 2) * 60)
            }
        }
        let chroma = image.chromaSize
        for y in 0..<chroma.height {
            for x in 0..<chroma.width {
                image.bytes[image.uOffset + y * chroma.width + x] = UInt8(truncatingIfNeeded: 64 + x * 2)
                image.bytes[image.vOffset + y * chroma.width + x] = UInt8(truncatingIfNeeded: 192 - y * 2)
            }
        }
        return image
    }

    /// A JPEG straight from libturbojpeg at any subsampling (`JPEGEncoder` makes only 4:2:0).
    static func jpeg(width: Int, height: Int, subsampling: TJSAMP, quality: Int32 = 80) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for index in 0..<(width * height) {
            rgb[index * 3] = UInt8(truncatingIfNeeded: index % width * 4)
            rgb[index * 3 + 1] = UInt8(truncatingIfNeeded: index / width * 4)
            rgb[index * 3 + 2] = UInt8(truncatingIfNeeded: index)
        }
        let handle = tjInitCompress()!
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = tjCompress2(
            handle, rgb, Int32(width), 0, Int32(height), Int32(TJPF_RGB.rawValue), &buffer, &size,
            Int32(subsampling.rawValue), quality, 0)
        precondition(status == 0, "tjCompress2 failed")
        defer { tjFree(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }
}
