/// Width and height in pixels.
///
/// A named type rather than a tuple so sizes can be dictionary keys, compared, and printed in the
/// `640x480` form that tinyCam uses in its resolution lists and request parameters.
public struct PixelSize: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// Number of columns.
    public var width: Int
    /// Number of rows.
    public var height: Int

    /// Creates a size; negative values are a programming error because no image can have them.
    public init(width: Int, height: Int) {
        precondition(width >= 0 && height >= 0, "PixelSize must not be negative: \(width)x\(height)")
        self.width = width
        self.height = height
    }

    /// Parses the `WIDTHxHEIGHT` form (e.g. `640x480`) that clients send, so request handlers need no
    /// parsing code of their own. Returns nil for anything else, including zero or negative dimensions.
    public init?(_ description: String) {
        let parts = description.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0 else {
            return nil
        }
        self.init(width: width, height: height)
    }

    /// The `640x480` form, matching what tinyCam prints and what `init?(_:)` accepts.
    public var description: String { "\(width)x\(height)" }

    /// Number of pixels, used to size buffers.
    public var area: Int { width * height }

    /// True when the size holds no pixels, so callers can skip work instead of special-casing zeros.
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// The size of one chroma plane when this is the luma size of a 4:2:0 image (rounded up, as libjpeg does).
    var halved: PixelSize { PixelSize(width: (width + 1) / 2, height: (height + 1) / 2) }
}
