import DecoyMedia

/// Frames and pixel noise for the motion tests: a camera at 15 fps, as Decoy streams it.
enum MotionFixture {
    static let start: Int64 = 1_700_000_000_000
    static let framesPerSecond: Int64 = 15

    /// Time of frame `index` at 15 fps.
    static func time(ofFrame index: Int) -> Int64 { start + Int64(index) * 1000 / framesPerSecond }

    /// The overlay mask for `size`, as a camera would configure it.
    static func detector(
        _ size: PixelSize = Fixture.vga, settings: MotionSettings = MotionSettings(), masked: Bool = true
    ) -> MotionDetector {
        MotionDetector(settings: settings, mask: masked ? SyntheticOverlay.dynamicRegions(for: size) : [])
    }
}

/// Seeded per-pixel luma noise, like a real sensor's: a xorshift generator so the tests do not depend on the
/// module's internal one.
struct SensorNoise {
    private var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    private mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// Adds a uniform -`amplitude`...`amplitude` to every luma sample (clamped to 0...255).
    mutating func add(to image: inout I420Image, amplitude: Int = 8) {
        let count = image.size.area
        let span = 2 * amplitude + 1
        image.bytes.withUnsafeMutableBufferPointer { pixels in
            var index = 0
            while index < count {
                var bits = next()
                for _ in 0..<min(8, count - index) {
                    let delta = Int(bits & 0xFF) * span >> 8 - amplitude
                    pixels[index] = UInt8(min(max(Int(pixels[index]) + delta, 0), 255))
                    bits >>= 8
                    index += 1
                }
            }
        }
    }
}

extension PixelRect {
    /// Whether the two rectangles share at least one pixel.
    func overlaps(_ other: PixelRect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY && !isEmpty && !other.isEmpty
    }
}
