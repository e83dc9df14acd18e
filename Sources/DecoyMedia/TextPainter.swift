/// Draws `BitmapFont` text into I420 images, either bare (world labels) or on a dark box (overlays).
///
/// Text is drawn as solid `scale`x`scale` squares per font pixel so it stays crisp after JPEG compression and
/// readable from 320x240 (scale 1) up to 1080p (scale 5).
enum TextPainter {
    /// Luma of overlay text: video white.
    static let textLuma: UInt8 = 235
    /// Luma of the box behind overlay text: video black, for contrast on any scene.
    static let boxLuma: UInt8 = 16

    /// Width in pixels of `text` without padding (zero for an empty string).
    static func textWidth(_ text: String, scale: Int) -> Int {
        let count = text.utf8.count
        return count == 0 ? 0 : (count * BitmapFont.advance - 1) * scale
    }

    /// Height in pixels of one line of text without padding.
    static func textHeight(scale: Int) -> Int { BitmapFont.glyphHeight * scale }

    /// Size of the dark box `drawBoxed` puts behind `text`: one font pixel of padding on every side.
    static func boxSize(_ text: String, scale: Int) -> PixelSize {
        PixelSize(width: textWidth(text, scale: scale) + 2 * scale, height: textHeight(scale: scale) + 2 * scale)
    }

    /// Draws `text` in white on a dark, neutral-chroma box whose top-left corner is (`x`, `y`) and returns the
    /// box, so callers can place further items next to it.
    @discardableResult
    static func drawBoxed(_ text: String, x: Int, y: Int, scale: Int, into image: inout I420Image) -> PixelRect {
        let box = boxSize(text, scale: scale)
        let rect = PixelRect(x: x, y: y, width: box.width, height: box.height)
        image.fill(rect, y: boxLuma)
        drawGlyphs(text, x: x + scale, y: y + scale, scale: scale, luma: textLuma, into: &image)
        return rect
    }

    /// Draws only the set font pixels of `text` (luma only, no box), starting at (`x`, `y`).
    static func drawGlyphs(_ text: String, x: Int, y: Int, scale: Int, luma: UInt8, into image: inout I420Image) {
        var originX = x
        for byte in text.utf8 {
            let start = BitmapFont.glyphStart(for: byte)
            for row in 0..<BitmapFont.glyphHeight {
                let bits = BitmapFont.rows[start + row]
                guard bits != 0 else { continue }
                for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> column) != 0 {
                    let pixel = PixelRect(
                        x: originX + column * scale, y: y + row * scale, width: scale, height: scale)
                    image.fillLuma(pixel, luma)
                }
            }
            originX += BitmapFont.advance * scale
        }
    }
}
