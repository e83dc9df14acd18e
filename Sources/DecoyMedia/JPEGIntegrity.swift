/// Checks that bytes a device handed over are one whole JPEG, so a passed-through frame never
/// shows a viewer half a picture.
///
/// Webcams and v4l2loopback deliver a buffer per frame, not a JPEG: the buffer can be padded after
/// the end-of-image marker (v4l2loopback's first buffer reports its whole size), cut short by a
/// USB hiccup, or be garbage. This walks the marker structure (segments by their lengths, entropy
/// coded data up to the next marker) from SOI to EOI in one linear pass, so a stray `FF D9` inside
/// a segment or in padding is never taken for the end.
public enum JPEGIntegrity {
    /// Why bytes are not one whole JPEG.
    public enum Defect: Error, Equatable, Sendable, CustomStringConvertible {
        /// The first bytes are not the start-of-image marker `FF D8`.
        case noStartOfImage
        /// The data ends before the end-of-image marker `FF D9`.
        case truncated
        /// A marker segment is malformed (a length that is too short or a byte where a marker must be).
        case malformed(offset: Int)
        /// An end-of-image marker came before any image data (no start-of-scan).
        case noImageData

        public var description: String {
            switch self {
            case .noStartOfImage: "does not start with the JPEG start-of-image marker FF D8"
            case .truncated: "ends before the JPEG end-of-image marker FF D9 (truncated)"
            case .malformed(let offset): "has a malformed JPEG marker segment at byte \(offset)"
            case .noImageData: "has no image data (no start-of-scan before the end-of-image marker)"
            }
        }
    }

    /// The length of the JPEG at the start of `bytes`, up to and including its EOI marker; what
    /// follows (padding) is not part of the picture. Throws what is wrong otherwise.
    public static func jpegLength(_ bytes: UnsafeRawBufferPointer) throws(Defect) -> Int {
        let count = bytes.count
        guard count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw .noStartOfImage }
        var index = 2
        var sawScan = false
        while true {
            // A marker: one or more FF fill bytes, then its code.
            guard index < count else { throw .truncated }
            guard bytes[index] == 0xFF else { throw .malformed(offset: index) }
            while index < count, bytes[index] == 0xFF { index += 1 }
            guard index < count else { throw .truncated }
            let code = bytes[index]
            index += 1
            switch code {
            case 0xD9:
                guard sawScan else { throw .noImageData }
                return index
            case 0x01, 0xD0...0xD7:
                continue  // standalone markers: no length
            default:
                guard index + 2 <= count else { throw .truncated }
                let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                guard length >= 2 else { throw .malformed(offset: index) }
                index += length
                guard index <= count else { throw .truncated }
                if code == 0xDA {
                    sawScan = true
                    index = try endOfEntropyData(bytes, from: index)
                }
            }
        }
    }

    /// Convenience for arrays; see `jpegLength(_:)`.
    public static func jpegLength(_ bytes: [UInt8]) throws(Defect) -> Int {
        let result: Result<Int, Defect> = bytes.withUnsafeBytes { buffer in
            do throws(Defect) { return .success(try jpegLength(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Skips entropy-coded data: `FF 00` is a stuffed byte and `FF D0`…`FF D7` are restart markers;
    /// any other `FF xx` is the next marker, whose index is returned.
    private static func endOfEntropyData(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(Defect) -> Int {
        var index = start
        let count = bytes.count
        while index + 1 < count {
            if bytes[index] != 0xFF {
                index += 1
                continue
            }
            let next = bytes[index + 1]
            if next == 0x00 || (0xD0...0xD7).contains(next) || next == 0xFF {
                index += next == 0xFF ? 1 : 2
                continue
            }
            return index
        }
        throw .truncated
    }
}
