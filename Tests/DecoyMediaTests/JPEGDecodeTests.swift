import CTurboJPEG
import DecoyMedia
import Testing

/// A JPEG of an RGB picture whose left half is red and right half blue, at `subsampling`, made
/// directly with libturbojpeg (as a webcam's encoder would).
private func redBlueJPEG(width: Int = 64, height: Int = 48, subsampling: TJSAMP) throws -> [UInt8] {
    var rgb = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            let index = (y * width + x) * 3
            if x < width / 2 { rgb[index] = 255 } else { rgb[index + 2] = 255 }
        }
    }
    let handle = try #require(tjInitCompress())
    defer { tjDestroy(handle) }
    var buffer: UnsafeMutablePointer<UInt8>?
    var size: UInt = 0
    let status = tjCompress2(
        handle, rgb, Int32(width), 0, Int32(height), Int32(TJPF_RGB.rawValue), &buffer, &size,
        Int32(subsampling.rawValue), 95, 0)
    defer { tjFree(buffer) }
    try #require(status == 0)
    return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
}

/// The mean of a plane's samples over `columns` (all rows).
private func mean(_ image: I420Image, plane: Range<Int>, width: Int, columns: Range<Int>) -> Double {
    let rows = plane.count / width
    var sum = 0
    for row in 0..<rows {
        for column in columns { sum += Int(image.bytes[plane.lowerBound + row * width + column]) }
    }
    return Double(sum) / Double(rows * columns.count)
}

@Suite("JPEG decoding of webcam subsamplings")
struct JPEGDecodeTests {
    /// JPEG (BT.601 full range) values: red is Y 76, Cb 85, Cr 255; blue is Y 29, Cb 255, Cr 107.
    @Test(
        "4:2:2, 4:4:4 and 4:4:0 JPEGs decode to I420 with the right colours",
        arguments: [TJSAMP_422, TJSAMP_444, TJSAMP_440])
    func subsamplings(_ subsampling: TJSAMP) throws {
        let jpeg = try redBlueJPEG(subsampling: subsampling)
        let image = try JPEGDecoder().decodeToI420(jpeg)
        #expect(image.size == PixelSize(width: 64, height: 48))
        let chroma = image.chromaStride
        let left = 0..<(chroma / 2 - 2)
        let right = (chroma / 2 + 2)..<chroma
        #expect(abs(mean(image, plane: image.lumaRange, width: 64, columns: 0..<28) - 76) < 4)
        #expect(abs(mean(image, plane: image.lumaRange, width: 64, columns: 36..<64) - 29) < 4)
        #expect(abs(mean(image, plane: image.uRange, width: chroma, columns: left) - 85) < 6)
        #expect(abs(mean(image, plane: image.vRange, width: chroma, columns: left) - 255) < 6)
        #expect(abs(mean(image, plane: image.uRange, width: chroma, columns: right) - 255) < 6)
        #expect(abs(mean(image, plane: image.vRange, width: chroma, columns: right) - 107) < 6)
    }

    @Test("a 4:2:0 JPEG decodes exactly as decodeI420 does; greyscale gets neutral chroma")
    func sameAs420AndGrey() throws {
        let decoder = try JPEGDecoder()
        let jpeg420 = try redBlueJPEG(subsampling: TJSAMP_420)
        #expect(try decoder.decodeToI420(jpeg420) == decoder.decodeI420(jpeg420))
        let grey = try decoder.decodeToI420(try redBlueJPEG(subsampling: TJSAMP_GRAY))
        #expect(grey.bytes[grey.uRange].allSatisfy { $0 == 128 })
        #expect(grey.bytes[grey.vRange].allSatisfy { $0 == 128 })
    }

    @Test("4:2:2 decodeToI420 agrees with the strict decoder's luma, which refuses it")
    func strictStillRefuses() throws {
        let decoder = try JPEGDecoder()
        let jpeg = try redBlueJPEG(subsampling: TJSAMP_422)
        #expect(throws: JPEGError.self) { try decoder.decodeI420(jpeg) }
        #expect(try decoder.decodeToI420(jpeg).luma == decoder.decodeGray(jpeg))
    }

    @Test("garbage is an error, not a crash")
    func garbage() throws {
        let decoder = try JPEGDecoder()
        #expect(throws: JPEGError.self) { try decoder.decodeToI420([UInt8]()) }
        #expect(throws: JPEGError.self) { try decoder.decodeToI420([0xFF, 0xD8, 0xFF, 0xE0, 0x00]) }
    }
}

@Suite("JPEG integrity (passthrough)")
struct JPEGIntegrityDecodeTests {
    private static func jpeg() throws -> [UInt8] { try redBlueJPEG(subsampling: TJSAMP_422) }

    @Test("a whole JPEG is its own length")
    func whole() throws {
        let jpeg = try Self.jpeg()
        #expect(try JPEGIntegrity.jpegLength(jpeg) == jpeg.count)
    }

    @Test("padding after EOI is not part of it, even padding that holds FF D9")
    func padding() throws {
        let jpeg = try Self.jpeg()
        #expect(try JPEGIntegrity.jpegLength(jpeg + [UInt8](repeating: 0, count: 4096)) == jpeg.count)
        #expect(try JPEGIntegrity.jpegLength(jpeg + [0xFF, 0xD9, 0x12, 0xFF, 0xD9]) == jpeg.count)
    }

    @Test("truncated, headless and marker-less data are refused with the reason")
    func broken() throws {
        let jpeg = try Self.jpeg()
        #expect(throws: JPEGIntegrity.Defect.truncated) { try JPEGIntegrity.jpegLength(Array(jpeg.dropLast(2))) }
        #expect(throws: JPEGIntegrity.Defect.truncated) {
            try JPEGIntegrity.jpegLength(Array(jpeg.prefix(jpeg.count / 2)))
        }
        #expect(throws: JPEGIntegrity.Defect.noStartOfImage) { try JPEGIntegrity.jpegLength(Array(jpeg.dropFirst())) }
        #expect(throws: JPEGIntegrity.Defect.noStartOfImage) { try JPEGIntegrity.jpegLength([]) }
        #expect(throws: JPEGIntegrity.Defect.noImageData) { try JPEGIntegrity.jpegLength([0xFF, 0xD8, 0xFF, 0xD9]) }
        #expect(throws: JPEGIntegrity.Defect.malformed(offset: 2)) {
            try JPEGIntegrity.jpegLength([0xFF, 0xD8, 0x00, 0x00, 0xFF, 0xD9])
        }
    }

    @Test("no byte pattern crashes the walker")
    func fuzz() {
        var state: UInt64 = 11
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<2000 {
            var bytes: [UInt8] = [0xFF, 0xD8]
            for _ in 0..<(next() % 64) { bytes.append(next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: next())) }
            _ = try? JPEGIntegrity.jpegLength(bytes)
        }
    }
}
