/// A bright square that crosses the view from left to right, giving motion detection something to find.
///
/// Its position is a pure function of time (no state), so any two renderers agree on where it is and a
/// test can compute where motion must appear. It is fixed to the view, not the world, so PTZ does not move it.
public enum MovingObject {
    /// Time for one crossing, in milliseconds.
    public static let periodMilliseconds: Int64 = 6000

    /// Where the square is at `timeMilliseconds` in a view of `size` (partly off-frame while entering/leaving).
    public static func bounds(atMilliseconds timeMilliseconds: Int64, in size: PixelSize) -> PixelRect {
        let side = max(4, size.height / 8)
        var phase = timeMilliseconds % periodMilliseconds
        if phase < 0 { phase += periodMilliseconds }
        let travel = Int64(size.width + side)
        let x = Int(phase * travel / periodMilliseconds) - side
        return PixelRect(x: x, y: size.height * 11 / 20 - side / 2, width: side, height: side)
    }

    /// Draws the square: white body with a dark rim so it stands out on bright and dark scenery alike.
    static func draw(atMilliseconds timeMilliseconds: Int64, into image: inout I420Image) {
        let square = bounds(atMilliseconds: timeMilliseconds, in: image.size)
        let rim = max(1, square.width / 10)
        image.fillLuma(square, TextPainter.boxLuma)
        image.fillLuma(square.outset(by: -rim), TextPainter.textLuma)
    }
}
