import DecoyMedia
import Testing

private let size = PixelSize(width: 4, height: 2)

@Suite("Captured pixel formats to I420")
struct PixelFormatDecodeTests {
    @Test("YUYV: luma as is, chroma of each pair of rows averaged")
    func yuyv() throws {
        // Row 0: Y 10 20 30 40, U 100/110, V 200/210; row 1: Y 50 60 70 80, U 102/114, V 204/216.
        let bytes: [UInt8] = [10, 100, 20, 200, 30, 110, 40, 210, 50, 102, 60, 204, 70, 114, 80, 216]
        let image = try bytes.withUnsafeBytes { try I420Image(converting: $0, format: .yuyv, size: size) }
        #expect(Array(image.bytes[image.lumaRange]) == [10, 20, 30, 40, 50, 60, 70, 80])
        #expect(Array(image.bytes[image.uRange]) == [101, 112])
        #expect(Array(image.bytes[image.vRange]) == [202, 213])
    }

    @Test("YUYV with padded rows skips the padding")
    func yuyvStride() throws {
        let rowA: [UInt8] = [10, 100, 20, 200, 30, 110, 40, 210]
        let rowB: [UInt8] = [50, 100, 60, 200, 70, 110, 80, 210]
        let padding = [UInt8](repeating: 0xEE, count: 4)
        let bytes = rowA + padding + rowB + padding
        let image = try bytes.withUnsafeBytes { try I420Image(converting: $0, format: .yuyv, size: size, stride: 12) }
        #expect(Array(image.bytes[image.lumaRange]) == [10, 20, 30, 40, 50, 60, 70, 80])
        #expect(Array(image.bytes[image.uRange]) == [100, 110])
    }

    @Test("NV12: interleaved chroma is split into U and V")
    func nv12() throws {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 100, 200, 101, 201]
        let image = try bytes.withUnsafeBytes { try I420Image(converting: $0, format: .nv12, size: size) }
        #expect(Array(image.bytes[image.lumaRange]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Array(image.bytes[image.uRange]) == [100, 101])
        #expect(Array(image.bytes[image.vRange]) == [200, 201])
    }

    @Test("YU12 is copied plane by plane, also with padded rows")
    func yu12() throws {
        let packed: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 100, 101, 200, 201]
        let image = try packed.withUnsafeBytes { try I420Image(converting: $0, format: .yu12, size: size) }
        #expect(image.bytes == packed)
        // Rows of 8 bytes (chroma rows of 4).
        let padded: [UInt8] = [1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0, 100, 101, 0, 0, 200, 201, 0, 0]
        let fromPadded = try padded.withUnsafeBytes {
            try I420Image(converting: $0, format: .yu12, size: size, stride: 8)
        }
        #expect(fromPadded.bytes == packed)
    }

    @Test("a short buffer, an odd width or a too-small stride is an error, not a read past the end")
    func invalid() {
        let short = [UInt8](repeating: 0, count: 15)
        for format in RawPixelFormat.allCases {
            #expect(throws: PixelConversionError.self) {
                try short.withUnsafeBytes {
                    try I420Image(converting: $0, format: format, size: PixelSize(width: 8, height: 8))
                }
            }
        }
        let plenty = [UInt8](repeating: 0, count: 1024)
        #expect(throws: PixelConversionError.self) {
            try plenty.withUnsafeBytes {
                try I420Image(converting: $0, format: .yuyv, size: PixelSize(width: 5, height: 2))
            }
        }
        #expect(throws: PixelConversionError.self) {
            try plenty.withUnsafeBytes { try I420Image(converting: $0, format: .yuyv, size: size, stride: 4) }
        }
    }
}

@Suite("Digital PTZ on captured frames")
struct DigitalPTZDecodeTests {
    /// Dark left half (Y 20), bright right half (Y 220).
    private static func halves() -> I420Image {
        var image = I420Image(size: PixelSize(width: 64, height: 48))
        for row in 0..<48 {
            for column in 0..<64 { image.bytes[row * 64 + column] = column < 32 ? 20 : 220 }
        }
        return image
    }

    @Test("zoom 1 leaves the frame untouched whatever pan says")
    func identity() {
        let image = Self.halves()
        #expect(DigitalPTZ.isIdentity(Viewport(pan: 1, tilt: -1, zoom: 1)))
        #expect(DigitalPTZ.view(image, through: Viewport(pan: 1, zoom: 1)) == image)
    }

    @Test("zoom 2 panned right shows only the bright half, panned left only the dark half")
    func cropAndScale() {
        let image = Self.halves()
        let right = DigitalPTZ.view(image, through: Viewport(pan: 1, zoom: 2))
        let left = DigitalPTZ.view(image, through: Viewport(pan: -1, zoom: 2))
        #expect(right.size == image.size)
        // Away from the window's edge column, where bilinear sampling blends in the neighbour.
        let inner = (0..<48).flatMap { row in (2..<62).map { row * 64 + $0 } }
        #expect(inner.allSatisfy { right.bytes[$0] > 200 })
        #expect(inner.allSatisfy { left.bytes[$0] < 40 })
    }

    @Test("the LED indicator is drawn only when the LED is not off")
    func led() {
        let image = Self.halves()
        var on = image
        DigitalPTZ.drawLED(.on, into: &on)
        var off = image
        DigitalPTZ.drawLED(.off, into: &off)
        #expect(on != image)
        #expect(off == image)
    }
}
