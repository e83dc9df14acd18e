/// Axis-aligned rectangle in pixel coordinates (origin top-left, `x`/`y` inclusive, `maxX`/`maxY` exclusive).
///
/// Public so callers can ask where things are drawn (e.g. the moving object for motion tests) in the same units
/// the renderer uses.
public struct PixelRect: Hashable, Sendable, CustomStringConvertible {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Number of columns (may be zero).
    public var width: Int
    /// Number of rows (may be zero).
    public var height: Int

    /// Creates a rectangle; negative sizes are treated as empty by every consumer.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// One past the right-most column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }
    /// True when the rectangle covers no pixel.
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// `WxH+X+Y`, the geometry notation of image tools, for test messages.
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    /// Whether the pixel at column `px`, row `py` lies inside.
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    /// The part inside an image of `size`, so drawing code can accept rectangles that hang off the frame.
    public func clipped(to size: PixelSize) -> PixelRect {
        let left = max(x, 0)
        let top = max(y, 0)
        let right = min(maxX, size.width)
        let bottom = min(maxY, size.height)
        return PixelRect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    /// The rectangle grown by `amount` on every side (shrunk when negative).
    public func outset(by amount: Int) -> PixelRect {
        PixelRect(x: x - amount, y: y - amount, width: width + 2 * amount, height: height + 2 * amount)
    }

    /// The chroma-plane rectangle covering every chroma sample this luma rectangle touches (4:2:0).
    var chromaCover: PixelRect {
        let left = x >> 1
        let top = y >> 1
        return PixelRect(x: left, y: top, width: ((maxX + 1) >> 1) - left, height: ((maxY + 1) >> 1) - top)
    }
}
