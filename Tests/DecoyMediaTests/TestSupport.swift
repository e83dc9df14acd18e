import DecoyMedia

/// Shared sizes, renderers and pixel statistics for the tests.
enum Fixture {
    static let hd = PixelSize(width: 1280, height: 720)
    static let vga = PixelSize(width: 640, height: 480)
    static let qvga = PixelSize(width: 320, height: 240)

    static func renderer(_ size: PixelSize = vga, seed: UInt64 = 7) -> SyntheticRenderer {
        SyntheticRenderer(cameraName: "Test Cam", size: size, seed: seed)
    }

    /// Encodes and decodes, as a client would see the frame.
    static func roundTrip(_ image: I420Image, quality: Int = 80) throws -> I420Image {
        try JPEGDecoder().decodeI420(try JPEGEncoder().encode(image, quality: quality))
    }
}

extension I420Image {
    /// Mean of the given byte range of `bytes` (a whole plane or part of one).
    func mean(of range: Range<Int>) -> Double {
        Double(bytes[range].reduce(0) { $0 + Int($1) }) / Double(range.count)
    }

    var meanY: Double { mean(of: lumaRange) }
    var meanU: Double { mean(of: uRange) }
    var meanV: Double { mean(of: vRange) }

    /// Mean U over chroma `columns` within the middle half of the rows (clear of every overlay).
    func meanU(columns: Range<Int>) -> Double {
        let chroma = chromaSize
        var total = 0
        var count = 0
        for row in (chroma.height / 4)..<(chroma.height * 3 / 4) {
            for column in columns {
                total += Int(bytes[uOffset + row * chroma.width + column])
                count += 1
            }
        }
        return Double(total) / Double(count)
    }

    /// Sum of absolute horizontal luma steps in the middle half of the rows: a measure of sharpness.
    var lumaDetail: Int {
        var total = 0
        for row in (size.height / 4)..<(size.height * 3 / 4) {
            let line = row * size.width
            for column in 1..<size.width { total += abs(Int(bytes[line + column]) - Int(bytes[line + column - 1])) }
        }
        return total
    }

    /// Smallest rectangle holding every luma pixel that differs from `other`, or nil if the Y planes match.
    func lumaDifferenceBounds(from other: I420Image) -> PixelRect? {
        var (left, top, right, bottom) = (Int.max, Int.max, -1, -1)
        for index in lumaRange where bytes[index] != other.bytes[index] {
            let (y, x) = index.quotientAndRemainder(dividingBy: size.width)
            (left, top, right, bottom) = (min(left, x), min(top, y), max(right, x), max(bottom, y))
        }
        guard right >= 0 else { return nil }
        return PixelRect(x: left, y: top, width: right - left + 1, height: bottom - top + 1)
    }

    /// True when the U and V planes are byte-identical to `other`'s.
    func sameChroma(as other: I420Image) -> Bool {
        bytes[uOffset...] == other.bytes[other.uOffset...]
    }

    /// Whether any luma pixel outside all of `rects` differs from `other`.
    func lumaDiffers(from other: I420Image, outside rects: [PixelRect]) -> Bool {
        for index in lumaRange where bytes[index] != other.bytes[index] {
            let (y, x) = index.quotientAndRemainder(dividingBy: size.width)
            if !rects.contains(where: { $0.contains(x: x, y: y) }) { return true }
        }
        return false
    }

    /// Whether any luma pixel inside `rect` differs from `other`.
    func lumaDiffers(from other: I420Image, in rect: PixelRect) -> Bool {
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX where bytes[y * size.width + x] != other.bytes[y * size.width + x] {
                return true
            }
        }
        return false
    }
}

extension PixelRect {
    /// Whether `other` lies entirely inside this rectangle.
    func encloses(_ other: PixelRect) -> Bool {
        other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }
}
