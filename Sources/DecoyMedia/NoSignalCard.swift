/// The picture of a camera without input: a dark-blue card with "NO SIGNAL" in the middle, as capture
/// cards and NVRs show it, so a person looking at the stream sees at once that the camera is up but
/// its picture is gone. The frame-id strip stays on top, so tests still tell frames apart.
///
/// The card is drawn once per size; each frame copies it and draws only its frame id.
public struct NoSignalCard: Sendable {
    /// BT.601 video-range dark blue (about RGB 0, 0, 128).
    static let background: (y: UInt8, u: UInt8, v: UInt8) = (29, 184, 119)
    static let text = "NO SIGNAL"

    public let size: PixelSize
    private let card: I420Image

    public init(size: PixelSize) {
        self.size = size
        var card = I420Image(size: size, fillY: Self.background.y, fillU: Self.background.u, fillV: Self.background.v)
        // About a tenth of the height per line of text, but never wider than the frame.
        let byHeight = max(1, size.height / (10 * BitmapFont.glyphHeight))
        let byWidth = max(1, size.width / max(1, TextPainter.textWidth(Self.text, scale: 1) + 2))
        let scale = min(byHeight, byWidth)
        let x = (size.width - TextPainter.textWidth(Self.text, scale: scale)) / 2
        let y = (size.height - TextPainter.textHeight(scale: scale)) / 2
        TextPainter.drawGlyphs(Self.text, x: x, y: y, scale: scale, luma: TextPainter.textLuma, into: &card)
        self.card = card
    }

    /// The card of frame `frameNumber` (its id in the strip at the top).
    public func render(frameNumber: UInt32) -> I420Image {
        var image = card
        FrameID.draw(frameNumber, into: &image)
        return image
    }
}
