/// PTZ for a camera that cannot move: crop and scale within the captured frame (a webcam's
/// "digital zoom"), with the LED indicator drawn like on a synthetic camera.
///
/// The captured frame plays the synthetic renderer's world: at zoom 1 the window is the whole
/// frame (pan and tilt have nowhere to go), at zoom `z` it is `1/z` of each side and pan/tilt move
/// it to the frame's edges. Bilinear like the synthetic viewport, through `ViewportSampler`.
public enum DigitalPTZ {
    /// Whether `viewport` changes a captured picture at all (zoom 1 shows the whole frame whatever
    /// pan and tilt say), so a source can pass frames through untouched.
    public static func isIdentity(_ viewport: Viewport) -> Bool { viewport.clamped.zoom <= 1 }

    /// The part of `image` that `viewport` sees, scaled back to `image`'s size.
    public static func view(_ image: I420Image, through viewport: Viewport) -> I420Image {
        guard !isIdentity(viewport), image.hasValidLength, !image.size.isEmpty else { return image }
        let window = ViewWindow(viewport: viewport, world: image.size, view: image.size)
        var view = I420Image(size: image.size)
        ViewportSampler.sample(world: image, window: window, into: &view, curve: ViewportSampler.identityCurve)
        return view
    }

    /// Draws "LED ON" / "LED AUTO" in the bottom-right corner, as the synthetic overlay does; nothing
    /// for `.off`.
    public static func drawLED(_ led: LEDMode, into image: inout I420Image) {
        guard led != .off, image.hasValidLength else { return }
        let scale = max(1, image.size.height / 200)
        let label = led == .on ? "LED ON" : "LED AUTO"
        let box = TextPainter.boxSize(label, scale: scale)
        let margin = 2 * scale
        TextPainter.drawBoxed(
            label, x: image.size.width - margin - box.width, y: image.size.height - margin - box.height, scale: scale,
            into: &image)
    }
}
