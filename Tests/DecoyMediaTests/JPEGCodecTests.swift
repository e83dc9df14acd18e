import CTurboJPEG
import DecoyMedia
import Testing

@Suite("JPEG encoder and decoder")
struct JPEGCodecTests {
    @Test("a rendered 720p frame survives a round trip at quality 80")
    func roundTrip() throws {
        let frame = Fixture.renderer(Fixture.hd).render(SceneState(frameNumber: 5, movingObject: true))
        let jpeg = try JPEGEncoder().encode(frame, quality: 80)
        #expect(Array(jpeg.prefix(2)) == [0xFF, 0xD8])
        #expect(Array(jpeg.suffix(2)) == [0xFF, 0xD9])
        // A flat 720p frame is ~15 KB; a textured scene is several times that.
        #expect(jpeg.count > 50_000)
        let decoder = try JPEGDecoder()
        #expect(try decoder.size(of: jpeg) == Fixture.hd)
        let decoded = try decoder.decodeI420(jpeg)
        #expect(decoded.size == Fixture.hd)
        #expect(abs(decoded.meanY - frame.meanY) < 2)
        #expect(abs(decoded.meanU - frame.meanU) < 2)
        #expect(abs(decoded.meanV - frame.meanV) < 2)
    }

    @Test("one encoder serves several sizes and both encode forms agree")
    func reuseAcrossSizes() throws {
        let encoder = try JPEGEncoder()
        let decoder = try JPEGDecoder()
        for size in [Fixture.qvga, Fixture.vga, PixelSize(width: 321, height: 241), Fixture.qvga] {
            let frame = Fixture.renderer(size).render(SceneState())
            let viaArray = try encoder.encode(frame, quality: 60)
            let viaClosure = try encoder.encode(frame, quality: 60) { [UInt8]($0) }
            #expect(viaArray == viaClosure)
            #expect(try decoder.decodeI420(viaArray).size == size)
        }
    }

    @Test("quality outside 1...100 throws instead of clamping", arguments: [0, 101, -5, Int.max])
    func badQualityThrows(quality: Int) throws {
        let encoder = try JPEGEncoder()
        let image = I420Image(size: Fixture.qvga)
        #expect(throws: JPEGError.self) { try encoder.encode(image, quality: quality) }
        do {
            _ = try encoder.encode(image, quality: quality)
        } catch let error as JPEGError {
            #expect(error.kind == .invalidArgument)
        }
        #expect(try encoder.encode(image, quality: 1).count > 100)
        #expect(try encoder.encode(image, quality: 100).count > 100)
    }

    @Test("an image whose buffer does not match its size is rejected")
    func inconsistentImage() throws {
        var image = I420Image(size: Fixture.qvga)
        image.bytes.removeLast()
        #expect(throws: JPEGError(.invalidArgument, "I420 image 320x240 with 115199 bytes")) {
            try JPEGEncoder().encode(image, quality: 50)
        }
    }

    @Test("garbage and empty input throw decompression/argument errors with a message")
    func garbageInput() throws {
        let decoder = try JPEGDecoder()
        do {
            _ = try decoder.decodeI420([0x01, 0x02, 0x03, 0x04])
            Issue.record("garbage decoded")
        } catch let error as JPEGError {
            #expect(error.kind == .decompression)
            #expect(!error.message.isEmpty)
            #expect(error.description.hasPrefix("JPEG decompression error: "))
        }
        #expect(throws: JPEGError.self) { try decoder.size(of: []) }
        #expect(throws: JPEGError.self) { try decoder.decodeGray([0xFF, 0xD8, 0xFF]) }
    }

    @Test("decodeI420 refuses 4:4:4 while decodeGray reads it")
    func otherSubsampling() throws {
        let jpeg = try Self.makeJPEG444(width: 64, height: 48)
        let decoder = try JPEGDecoder()
        do {
            _ = try decoder.decodeI420(jpeg)
            Issue.record("4:4:4 decoded as I420")
        } catch let error as JPEGError {
            #expect(error.kind == .unsupportedFormat)
            #expect(error.message.contains("4:4:4"))
        }
        let gray = try decoder.decodeGray(jpeg)
        #expect(gray.size == PixelSize(width: 64, height: 48))
        #expect(abs(Int(gray[x: 10, y: 10]) - 128) < 4)
    }

    @Test("decodeGray returns the same luma as decodeI420")
    func grayMatchesLuma() throws {
        let jpeg = try JPEGEncoder().encode(Fixture.renderer(Fixture.qvga).render(SceneState()), quality: 75)
        let decoder = try JPEGDecoder()
        #expect(try decoder.decodeGray(jpeg) == decoder.decodeI420(jpeg).luma)
    }

    /// A mid-grey RGB JPEG with 4:4:4 subsampling, made directly with libturbojpeg.
    static func makeJPEG444(width: Int, height: Int) throws -> [UInt8] {
        let handle = try #require(tjInitCompress())
        defer { tjDestroy(handle) }
        let rgb = [UInt8](repeating: 128, count: width * height * 3)
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = tjCompress2(
            handle, rgb, Int32(width), 0, Int32(height), Int32(TJPF_RGB.rawValue), &buffer, &size,
            Int32(TJSAMP_444.rawValue), 90, 0)
        defer { tjFree(buffer) }
        try #require(status == 0)
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }
}
