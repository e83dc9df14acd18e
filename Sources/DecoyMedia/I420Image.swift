/// Planar YUV 4:2:0 (I420) image stored in ONE contiguous buffer: the Y plane (`width * height`), then U
/// (`(width + 1) / 2 * (height + 1) / 2`), then V.
///
/// This is the layout libturbojpeg reads and writes without conversion, so frames flow from the renderer to the
/// encoder with no colour-space work. It is a value type (copy-on-write through `[UInt8]`) so a frame can be
/// handed to another thread safely while the renderer goes on with the next one.
public struct I420Image: Sendable, Equatable {
    /// Luma size; the chroma planes are `size.halved`.
    public let size: PixelSize
    /// Y, U and V planes back to back. Keep the count at `I420Image.byteCount(for: size)`; encoders check it.
    public var bytes: [UInt8]

    /// Creates a uniformly filled image. The defaults give video black (Y 16) with neutral chroma.
    public init(size: PixelSize, fillY: UInt8 = 16, fillU: UInt8 = 128, fillV: UInt8 = 128) {
        self.size = size
        let lumaCount = size.area
        let chromaCount = size.halved.area
        self.bytes = [UInt8](unsafeUninitializedCapacity: lumaCount + 2 * chromaCount) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            base.initialize(repeating: fillY, count: lumaCount)
            (base + lumaCount).initialize(repeating: fillU, count: chromaCount)
            (base + lumaCount + chromaCount).initialize(repeating: fillV, count: chromaCount)
            count = lumaCount + 2 * chromaCount
        }
    }

    /// Wraps planes produced elsewhere (e.g. a decoder). The byte count must match the size exactly, because
    /// every consumer indexes planes by offset.
    public init(size: PixelSize, bytes: [UInt8]) {
        precondition(bytes.count == I420Image.byteCount(for: size), "I420 buffer has the wrong length for \(size)")
        self.size = size
        self.bytes = bytes
    }

    /// Bytes needed for an I420 image of the given luma size.
    public static func byteCount(for size: PixelSize) -> Int { size.area + 2 * size.halved.area }

    /// Whether `bytes` still has the length `size` implies. Code that reaches the planes through raw pointers
    /// checks this first, because `bytes` is public and could have been resized.
    var hasValidLength: Bool { bytes.count == I420Image.byteCount(for: size) }

    /// Size of each chroma plane: half the luma size, rounded up.
    public var chromaSize: PixelSize { size.halved }
    /// Bytes per luma row (planes are unpadded).
    public var lumaStride: Int { size.width }
    /// Bytes per chroma row (planes are unpadded).
    public var chromaStride: Int { chromaSize.width }
    /// Offset of the first U byte.
    public var uOffset: Int { size.area }
    /// Offset of the first V byte.
    public var vOffset: Int { size.area + chromaSize.area }
    /// Index range of the Y plane within `bytes`.
    public var lumaRange: Range<Int> { 0..<uOffset }
    /// Index range of the U plane within `bytes`.
    public var uRange: Range<Int> { uOffset..<vOffset }
    /// Index range of the V plane within `bytes`.
    public var vRange: Range<Int> { vOffset..<(vOffset + chromaSize.area) }

    /// The Y plane as a grey image, for analysis that only cares about brightness.
    public var luma: GrayImage { GrayImage(size: size, pixels: Array(bytes[lumaRange])) }
}

/// Grey (luma only) image, used by tests and analysis such as frame-id reading or motion checks.
public struct GrayImage: Sendable, Equatable {
    /// Pixel size; `pixels.count == size.area`.
    public let size: PixelSize
    /// Row-major pixels, one byte each, no padding.
    public var pixels: [UInt8]

    /// Wraps existing pixels; the count must match so row indexing is always valid.
    public init(size: PixelSize, pixels: [UInt8]) {
        precondition(pixels.count == size.area, "Gray buffer has the wrong length for \(size)")
        self.size = size
        self.pixels = pixels
    }

    /// Creates a uniformly filled image (handy for negative tests such as "flat grey has no frame id").
    public init(size: PixelSize, fill: UInt8) {
        self.size = size
        self.pixels = [UInt8](repeating: fill, count: size.area)
    }

    /// The pixel at column `x`, row `y`.
    public subscript(x x: Int, y y: Int) -> UInt8 { pixels[y * size.width + x] }
}
