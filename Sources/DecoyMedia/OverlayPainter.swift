/// Places and draws the on-screen display, which is fixed to the view (PTZ does not move it).
///
/// Top line (below the frame-id strip): camera name on the left, clock on the right. Bottom line: frame
/// counter on the left, LED indicator on the right. Text scale follows the frame height so the overlay is
/// readable from 320x240 to 1080p. Items that never change for a given LED mode are drawn into the cached
/// background (`drawStatic`); the rest is drawn on every frame (`drawDynamic`).
struct OverlayPainter {
    let size: PixelSize
    let cameraName: String
    /// Screen pixels per font pixel.
    let scale: Int
    /// Gap between the overlay boxes and the frame edge (or the strip).
    let margin: Int

    init(size: PixelSize, cameraName: String) {
        self.size = size
        self.cameraName = cameraName
        scale = max(1, size.height / 200)
        margin = 2 * scale
    }

    /// Height of one text box.
    var lineHeight: Int { TextPainter.boxSize("", scale: scale).height }
    /// Top of the upper text line, just below the frame-id strip.
    var topLine: Int { FrameID.stripHeight(for: size) + margin }
    /// Top of the lower text line.
    var bottomLine: Int { size.height - margin - lineHeight }

    /// Camera name and LED indicator: constant while the LED mode is.
    func drawStatic(led: LEDMode, into image: inout I420Image) {
        TextPainter.drawBoxed(cameraName, x: margin, y: topLine, scale: scale, into: &image)
        if led != .off { drawLEDIndicator(led, into: &image) }
    }

    /// Clock and frame counter: change with every frame.
    func drawDynamic(_ state: SceneState, into image: inout I420Image) {
        let clock = TimestampText.format(
            unixMilliseconds: state.timeMilliseconds, utcOffsetSeconds: state.utcOffsetSeconds)
        let clockWidth = TextPainter.boxSize(clock, scale: scale).width
        TextPainter.drawBoxed(clock, x: size.width - margin - clockWidth, y: topLine, scale: scale, into: &image)
        TextPainter.drawBoxed("#\(state.frameNumber)", x: margin, y: bottomLine, scale: scale, into: &image)
    }

    /// A lamp symbol and "LED ON"/"LED AUTO" on one box in the bottom-right corner: a filled orange lamp
    /// when on, a hollow one when automatic.
    private func drawLEDIndicator(_ led: LEDMode, into image: inout I420Image) {
        let label = led == .on ? "LED ON" : "LED AUTO"
        let lampSize = TextPainter.textHeight(scale: scale)
        let textBox = TextPainter.boxSize(label, scale: scale)
        let width = textBox.width + lampSize + scale
        let box = PixelRect(x: size.width - margin - width, y: bottomLine, width: width, height: textBox.height)
        image.fill(box, y: TextPainter.boxLuma)
        let radius = lampSize / 2
        let centre = (x: box.x + scale + radius, y: box.y + scale + radius)
        image.fillDisc(centerX: centre.x, centerY: centre.y, radius: radius, luma: 200, chroma: (u: 80, v: 200))
        if led == .auto {
            image.fillDisc(centerX: centre.x, centerY: centre.y, radius: radius * 3 / 5, luma: TextPainter.boxLuma)
        }
        TextPainter.drawGlyphs(
            label, x: box.x + 2 * scale + lampSize, y: box.y + scale, scale: scale, luma: TextPainter.textLuma,
            into: &image)
    }
}

/// Where the synthetic camera's on-screen display changes from frame to frame, so a motion detector watching
/// the camera can mask it: the clock, the frame counter and the frame-id strip change on every frame or second,
/// and the LED indicator appears when the LED is toggled, yet none of them is motion in the scene.
public enum SyntheticOverlay {
    /// Two full-width bands in a frame of `size`: the top one covers the frame-id strip and the upper text line
    /// (camera name, clock), the bottom one the lower text line (frame counter, LED indicator). Full width
    /// because the boxes' widths depend on the camera name and the counter's digits, which the caller may not
    /// know; each band reaches one text margin past its line so JPEG ringing around the glyphs stays inside.
    public static func dynamicRegions(for size: PixelSize) -> [PixelRect] {
        let layout = OverlayPainter(size: size, cameraName: "")
        let topEnd = min(size.height, layout.topLine + layout.lineHeight + 2 * layout.margin)
        let bottomStart = max(0, layout.bottomLine - 2 * layout.margin)
        return [
            PixelRect(x: 0, y: 0, width: size.width, height: topEnd),
            PixelRect(x: 0, y: bottomStart, width: size.width, height: size.height - bottomStart),
        ]
    }

    /// The rows between the two bands, where scene objects walk so the overlay never hides them. Frames too
    /// small to have such rows (the bands meet) use the whole height.
    static func sceneBand(for size: PixelSize) -> PixelRect {
        let regions = dynamicRegions(for: size)
        let top = regions[0].maxY
        let bottom = regions[1].y
        guard bottom - top >= 4 else { return PixelRect(x: 0, y: 0, width: size.width, height: size.height) }
        return PixelRect(x: 0, y: top, width: size.width, height: bottom - top)
    }
}
