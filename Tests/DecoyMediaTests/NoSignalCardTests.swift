import Testing

@testable import DecoyMedia

@Suite("NO SIGNAL card")
struct NoSignalCardTests {
    private let size = PixelSize(width: 320, height: 240)

    @Test("dark blue background with light text in the middle")
    func darkBlueWithLightText() {
        let image = NoSignalCard(size: size).render(frameNumber: 7)
        let luma = image.luma
        // A corner below the frame-id strip is the background: dark, blue chroma.
        let chroma = image.chromaSize
        #expect(luma[x: 4, y: size.height - 4] < 40)
        #expect(image.bytes[image.uOffset + (chroma.height - 2) * chroma.width + 2] > 160)
        #expect(image.bytes[image.vOffset + (chroma.height - 2) * chroma.width + 2] < 128)
        // The middle row band holds the text: light pixels there, and only in the middle third of the width.
        let middle = size.height / 2
        let light = (0..<size.width).filter { x in (middle - 4...middle + 4).contains { luma[x: x, y: $0] > 200 } }
        #expect(light.count > 20, "no text in the middle")
        #expect(light.allSatisfy { $0 > size.width / 6 && $0 < size.width * 5 / 6 }, "\(light)")
        // Nothing light far from the text (outside the strip).
        let strip = FrameID.stripHeight(for: size)
        #expect((strip..<size.height / 4).allSatisfy { y in (0..<size.width).allSatisfy { luma[x: $0, y: y] < 40 } })
    }

    @Test("the frame id reads back, also after JPEG")
    func frameIDDecodes() throws {
        let card = NoSignalCard(size: size)
        #expect(FrameID.decode(card.render(frameNumber: 123_456)) == 123_456)
        let jpeg = try JPEGEncoder().encode(card.render(frameNumber: 99), quality: 60)
        #expect(FrameID.decode(try JPEGDecoder().decodeGray(jpeg)) == 99)
    }

    @Test("cards of different frames differ only in the strip")
    func onlyStripChanges() {
        let card = NoSignalCard(size: size)
        let first = card.render(frameNumber: 1).luma.pixels
        let second = card.render(frameNumber: 2).luma.pixels
        let stripBytes = FrameID.stripHeight(for: size) * size.width
        #expect(first[..<stripBytes] != second[..<stripBytes])
        #expect(first[stripBytes...] == second[stripBytes...])
    }
}
