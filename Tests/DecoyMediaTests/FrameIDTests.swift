import Testing

@testable import DecoyMedia

@Suite("Frame-id strip")
struct FrameIDTests {
    @Test("reads back directly", arguments: [UInt32(0), 1, 123_456, 0x7FFF_FFFF, 0xDEAD_BEEF, .max])
    func direct(number: UInt32) {
        var image = I420Image(size: Fixture.vga, fillY: 128)
        FrameID.draw(number, into: &image)
        #expect(FrameID.decode(image) == number)
        #expect(FrameID.decode(image.luma) == number)
    }

    @Test("survives JPEG quality 70 at 1280x720")
    func hdJPEG() throws {
        let frame = Fixture.renderer(Fixture.hd).render(SceneState(frameNumber: 987_654, movingObject: true))
        let gray = try JPEGDecoder().decodeGray(try JPEGEncoder().encode(frame, quality: 70))
        #expect(FrameID.decode(gray) == 987_654)
    }

    @Test(
        "survives downscaling and low JPEG quality",
        arguments: [
            (Fixture.hd, Fixture.qvga, 30),
            (Fixture.hd, PixelSize(width: 160, height: 120), 20),
            (PixelSize(width: 1279, height: 719), PixelSize(width: 321, height: 241), 30),
            (Fixture.vga, Fixture.vga, 20),
        ])
    func scaledAndCompressed(source: PixelSize, target: PixelSize, quality: Int) throws {
        let number: UInt32 = 0xA5C3_0F96
        let frame = Fixture.renderer(source).render(SceneState(frameNumber: UInt64(number), movingObject: true))
        let jpeg = try JPEGEncoder().encode(frame.scaled(to: target), quality: quality)
        let decoded = try JPEGDecoder().decodeI420(jpeg)
        #expect(decoded.size == target)
        #expect(FrameID.decode(decoded) == number)
    }

    @Test("frame number is truncated to 32 bits and changes from frame to frame")
    func rendererWritesFrameNumber() {
        let renderer = Fixture.renderer(Fixture.qvga)
        #expect(FrameID.decode(renderer.render(SceneState(frameNumber: 41))) == 41)
        #expect(FrameID.decode(renderer.render(SceneState(frameNumber: 42))) == 42)
        #expect(FrameID.decode(renderer.render(SceneState(frameNumber: 0x1_0000_0007))) == 7)
    }

    @Test("flat images have no frame id")
    func flatImages() {
        for fill: UInt8 in [0, 128, 255] {
            #expect(FrameID.decode(GrayImage(size: Fixture.vga, fill: fill)) == nil)
            #expect(FrameID.decode(I420Image(size: Fixture.vga, fillY: fill)) == nil)
        }
    }

    @Test("scene content without a strip has no frame id")
    func sceneWithoutStrip() {
        let frame = Fixture.renderer().render(SceneState(frameNumber: 9))
        let width = frame.size.width
        let rows = (0..<frame.size.height).reversed().flatMap { frame.bytes[($0 * width)..<(($0 + 1) * width)] }
        #expect(FrameID.decode(GrayImage(size: frame.size, pixels: rows)) == nil)
    }

    @Test("one flipped block fails the check", arguments: [0, 1, 2, 20, 33, 34, 41])
    func flippedBlock(index: Int) {
        var image = I420Image(size: Fixture.vga, fillY: 128)
        let number: UInt32 = 0x1234_5678
        FrameID.draw(number, into: &image)
        let isWhite = FrameID.bit(index, of: FrameID.payload(number))
        image.fillLuma(FrameID.block(index, in: image.size), isWhite ? FrameID.black : FrameID.white)
        #expect(FrameID.decode(image) == nil)
    }

    @Test("tiny images are rejected rather than misread")
    func tooSmall() {
        var image = I420Image(size: PixelSize(width: 40, height: 30), fillY: 128)
        FrameID.draw(3, into: &image)
        #expect(FrameID.decode(image) == nil)
    }
}
