/// Builds the synthetic "world" the camera looks at: a picture twice the view size in each axis, over which
/// the PTZ viewport moves.
///
/// Chroma carries position and nothing else: U rises steadily from left to right and V from top to bottom
/// (`chromaLow` to `chromaHigh`), so a test can prove the direction of a pan, tilt or zoom from mean chroma
/// alone. Luma carries everything a person looks at (grid, landmarks, labels, mild texture) and never touches
/// chroma, so the two cannot interfere.
enum WorldBuilder {
    /// Chroma at the left/top edge of the world.
    static let chromaLow = 60
    /// Chroma at the right/bottom edge of the world.
    static let chromaHigh = 196

    /// The world is twice the view in each axis, so pan/tilt have room to move at the widest zoom.
    static func worldSize(forView view: PixelSize) -> PixelSize {
        PixelSize(width: view.width * 2, height: view.height * 2)
    }

    /// Builds the whole world once; it depends only on `viewSize` and `seed`.
    static func build(viewSize: PixelSize, seed: UInt64) -> I420Image {
        var world = I420Image(size: worldSize(forView: viewSize))
        paintChromaRamps(into: &world)
        paintBaseLuma(into: &world, seed: seed)
        WorldLandmarks(worldSize: world.size).paint(into: &world, seed: seed)
        return world
    }

    /// Linear ramp from `chromaLow` (index 0) to `chromaHigh` (index count - 1).
    static func ramp(_ index: Int, count: Int) -> UInt8 {
        UInt8(chromaLow + (chromaHigh - chromaLow) * index / max(1, count - 1))
    }

    /// U depends only on the column, V only on the row.
    private static func paintChromaRamps(into world: inout I420Image) {
        let chroma = world.chromaSize
        let (uOffset, vOffset) = (world.uOffset, world.vOffset)
        world.bytes.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for x in 0..<chroma.width { base[uOffset + x] = ramp(x, count: chroma.width) }
            for y in 1..<max(1, chroma.height) {
                (base + uOffset + y * chroma.width).update(from: base + uOffset, count: chroma.width)
            }
            for y in 0..<chroma.height {
                (base + vOffset + y * chroma.width).update(
                    repeating: ramp(y, count: chroma.height), count: chroma.width)
            }
        }
    }

    /// Mid-dark background: brighter towards the bottom, gentle waves across, plus fixed per-pixel texture
    /// (-4...3) so JPEG sizes resemble a real camera's rather than a flat cartoon's.
    private static func paintBaseLuma(into world: inout I420Image, seed: UInt64) {
        let size = world.size
        let period = max(2, size.width / 3)
        let waves = (0..<size.width).map { x -> UInt8 in
            let phase = x % period
            return UInt8(24 * min(phase, period - phase) * 2 / period)
        }
        world.bytes.withUnsafeMutableBufferPointer { buffer in
            for y in 0..<size.height {
                var noise = SplitMix64(seed: seed ^ (UInt64(y) &* 0xD1B5_4A32_D192_ED03))
                let rowBase = 68 + 48 * y / size.height
                let line = buffer.baseAddress! + y * size.width
                var bits: UInt64 = 0
                for x in 0..<size.width {
                    if x & 15 == 0 { bits = noise.next() }
                    let grain = Int(bits & 7) - 4
                    bits >>= 4
                    line[x] = UInt8(truncatingIfNeeded: rowBase + Int(waves[x]) + grain)
                }
            }
        }
    }
}
