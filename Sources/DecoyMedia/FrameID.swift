/// A machine-readable frame number drawn at the top of every frame, so tests can tell exactly which frame a
/// client received (dropped, repeated or reordered frames) from nothing but the decoded pixels.
///
/// Layout: two rows of 21 black/white blocks spanning the full width, each row 1/32 of the frame height. The
/// 42 blocks are, in reading order: guard white, guard black, the 32 bits of the number (most significant
/// first), then an 8-bit CRC of the number. Two rows instead of one make every block twice as wide, which is
/// what lets the strip survive a downscale to 160x120 followed by JPEG quality 20. Because every position is a
/// fraction of the frame size, the strip reads back at any resolution the frame was scaled to.
public enum FrameID {
    static let columns = 21
    static let rows = 2
    static let rowDivisor = 32
    static let blockCount = columns * rows
    static let black: UInt8 = 16
    static let white: UInt8 = 235
    /// The two guard bits (white, black) in the top bits of the 42-bit payload.
    static let guardPattern: UInt64 = 0b10

    /// Height in rows of the strip in a frame of `size`; overlays are placed below it.
    public static func stripHeight(for size: PixelSize) -> Int { rows * size.height / rowDivisor }

    /// Draws the strip for `number` over the top of `image` (pure luma 16/235, neutral chroma).
    public static func draw(_ number: UInt32, into image: inout I420Image) {
        precondition(image.hasValidLength, "I420 buffer has the wrong length for \(image.size)")
        let size = image.size
        image.fillChroma(PixelRect(x: 0, y: 0, width: size.width, height: stripHeight(for: size)), u: 128, v: 128)
        let bits = payload(number)
        for index in 0..<blockCount {
            image.fillLuma(block(index, in: size), bit(index, of: bits) ? white : black)
        }
    }

    /// Reads the number from a grey (luma) image; nil if the strip is missing, unreadable or fails its CRC.
    public static func decode(_ gray: GrayImage) -> UInt32? {
        gray.pixels.withUnsafeBufferPointer { decode(luma: $0, size: gray.size) }
    }

    /// Reads the number from the Y plane of `image`; nil if the strip is missing, unreadable or fails its CRC.
    public static func decode(_ image: I420Image) -> UInt32? {
        guard image.bytes.count >= image.size.area else { return nil }
        return image.bytes.withUnsafeBufferPointer { decode(luma: $0, size: image.size) }
    }

    /// Samples the centre of every block, thresholds at the midpoint of the two guard blocks and checks the
    /// guards, a minimum contrast, a minimum distance of every sample from the threshold, and the CRC, so that
    /// ordinary pictures and flat frames are rejected rather than misread.
    static func decode(luma: UnsafeBufferPointer<UInt8>, size: PixelSize) -> UInt32? {
        guard size.width >= 2 * columns, size.height >= rowDivisor else { return nil }
        let samples = (0..<blockCount).map { sample(block: $0, luma: luma, size: size) }
        let contrast = samples[0] - samples[1]
        guard contrast >= 64 else { return nil }
        let threshold = (samples[0] + samples[1]) / 2
        var bits: UInt64 = 0
        for value in samples {
            guard abs(value - threshold) > contrast / 8 else { return nil }
            bits = bits << 1 | (value > threshold ? 1 : 0)
        }
        let number = UInt32(truncatingIfNeeded: bits >> 8)
        guard bits >> 40 == guardPattern, UInt8(truncatingIfNeeded: bits) == checksum(number) else { return nil }
        return number
    }

    /// 42-bit payload: guards, number, CRC; block 0 is the most significant bit.
    static func payload(_ number: UInt32) -> UInt64 {
        guardPattern << 40 | UInt64(number) << 8 | UInt64(checksum(number))
    }

    static func bit(_ index: Int, of payload: UInt64) -> Bool { payload >> (blockCount - 1 - index) & 1 == 1 }

    /// The rectangle of block `index` in a frame of `size`.
    static func block(_ index: Int, in size: PixelSize) -> PixelRect {
        let (row, column) = index.quotientAndRemainder(dividingBy: columns)
        let left = column * size.width / columns
        let top = row * size.height / rowDivisor
        let right = (column + 1) * size.width / columns
        let bottom = (row + 1) * size.height / rowDivisor
        return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// Mean luma of the middle of block `index` (the central ~40% each way, at least one pixel), away from the
    /// edges that scaling and JPEG ringing blur.
    static func sample(block index: Int, luma: UnsafeBufferPointer<UInt8>, size: PixelSize) -> Int {
        let (row, column) = index.quotientAndRemainder(dividingBy: columns)
        let centreX = (2 * column + 1) * size.width / (2 * columns)
        let centreY = (2 * row + 1) * size.height / (2 * rowDivisor)
        let radiusX = size.width / (columns * 5)
        let radiusY = size.height / (rowDivisor * 5)
        var total = 0
        for y in (centreY - radiusY)...(centreY + radiusY) {
            for x in (centreX - radiusX)...(centreX + radiusX) { total += Int(luma[y * size.width + x]) }
        }
        return total / ((2 * radiusX + 1) * (2 * radiusY + 1))
    }

    /// CRC-8 (polynomial x^8+x^2+x+1) of the number's four bytes, seeded with 0xA5 so that an all-black or
    /// all-white data area never carries a valid checksum.
    static func checksum(_ number: UInt32) -> UInt8 {
        var crc: UInt8 = 0xA5
        for shift in stride(from: 24, through: 0, by: -8) {
            crc ^= UInt8(truncatingIfNeeded: number >> UInt32(shift))
            for _ in 0..<8 { crc = crc & 0x80 != 0 ? crc << 1 ^ 0x07 : crc << 1 }
        }
        return crc
    }
}
