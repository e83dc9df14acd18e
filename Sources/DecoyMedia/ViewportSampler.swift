/// The part of the world a viewport sees, in world luma pixels (fractional).
///
/// At zoom 1 the window is the view size (half the world each way); zoom `z` divides it by `z`. Pan/tilt move
/// its centre between the world edges: at ±1 the window touches the edge, and it can never leave the world.
struct ViewWindow: Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    init(viewport: Viewport, world: PixelSize, view: PixelSize) {
        let clamped = viewport.clamped
        width = Double(view.width) / clamped.zoom
        height = Double(view.height) / clamped.zoom
        let centreX = Double(world.width) / 2 + clamped.pan * (Double(world.width) - width) / 2
        let centreY = Double(world.height) / 2 - clamped.tilt * (Double(world.height) - height) / 2
        x = centreX - width / 2
        y = centreY - height / 2
    }
}

/// Bilinear resampling of the world window into a view-sized image, in 8.8 fixed point.
///
/// Tables of source indices and weights are built per axis and plane, then each output pixel is four loads,
/// four multiplies and a tone-curve lookup, so a whole 720p background costs a couple of milliseconds. This
/// only runs when the viewport or LED changes; steady frames reuse the result.
enum ViewportSampler {
    /// Per-output-index taps along one axis, packed as `index << 8 | weight`: output sample `i` blends source
    /// samples `index` and `index + 1` with weight `weight`/256 on the second. Where the position is clamped to
    /// the last sample the weight is zero, so `index + 1` is read only to be multiplied by zero.
    struct Taps {
        var packed: [UInt32] = []

        /// `origin`/`span` describe the window in world luma pixels; `subsampling` is 1 for luma, 2 for chroma;
        /// `count` output samples map onto a plane `limit` samples long.
        /// True when output sample `k` reads source `first + k` with the same weight (zoom 1): a pure shift.
        var isTranslation: Bool {
            guard let first = packed.first else { return false }
            return packed.indices.allSatisfy { packed[$0] == first &+ UInt32($0) << 8 }
        }

        init(origin: Double, span: Double, viewLength: Int, subsampling: Int, count: Int, limit: Int) {
            let step = span / Double(viewLength)
            let factor = Double(subsampling)
            let maximum = Double(limit - 1)
            packed = (0..<count).map { index in
                let lumaCentre = origin + (Double(index) + 0.5) * factor * step
                let position = min(max(lumaCentre / factor - 0.5, 0), maximum)
                return UInt32((position * 256).rounded())
            }
        }
    }

    /// Fills all three planes of `view` from `world` through `window`; luma goes through `curve` (iris/LED).
    static func sample(world: I420Image, window: ViewWindow, into view: inout I420Image, curve: [UInt8]) {
        let planes = [
            (world: 0, view: 0, subsampling: 1, from: world.size, to: view.size),
            (world: world.uOffset, view: view.uOffset, subsampling: 2, from: world.chromaSize, to: view.chromaSize),
            (world: world.vOffset, view: view.vOffset, subsampling: 2, from: world.chromaSize, to: view.chromaSize),
        ]
        let viewSize = view.size
        world.bytes.withUnsafeBufferPointer { source in
            view.bytes.withUnsafeMutableBufferPointer { target in
                for plane in planes {
                    let columns = Taps(
                        origin: window.x, span: window.width, viewLength: viewSize.width,
                        subsampling: plane.subsampling, count: plane.to.width, limit: plane.from.width)
                    let rows = Taps(
                        origin: window.y, span: window.height, viewLength: viewSize.height,
                        subsampling: plane.subsampling, count: plane.to.height, limit: plane.from.height)
                    samplePlane(
                        source.baseAddress! + plane.world, stride: plane.from.width,
                        into: target.baseAddress! + plane.view, width: plane.to.width,
                        columns: columns, rows: rows, curve: plane.subsampling == 1 ? curve : identityCurve)
                }
            }
        }
    }

    /// Lookup table that leaves values unchanged (used for chroma).
    static let identityCurve: [UInt8] = (0...255).map { UInt8($0) }

    /// Separable bilinear: each output row first blends its two source rows into `blended` (8.8 fixed point,
    /// a straight loop the compiler vectorises), then gathers and blends horizontally.
    private static func samplePlane(
        _ source: UnsafePointer<UInt8>, stride: Int, into target: UnsafeMutablePointer<UInt8>, width: Int,
        columns: Taps, rows: Taps, curve: [UInt8]
    ) {
        guard let first = columns.packed.first, let last = columns.packed.last else { return }
        let low = Int(first >> 8)
        let high = min(Int(last >> 8) + 1, stride - 1)
        var blended = [UInt16](repeating: 0, count: stride + 1)  // +1: the zero-weight neighbour of the last
        let translation = columns.isTranslation
        let identity = curve == identityCurve
        columns.packed.withUnsafeBufferPointer { taps in
            curve.withUnsafeBufferPointer { lut in
                blended.withUnsafeMutableBufferPointer { blended in
                    for (row, tap) in rows.packed.enumerated() {
                        let top = source + Int(tap >> 8) * stride
                        let bottom = top + (tap & 255 == 0 ? 0 : stride)
                        let down = UInt16(tap & 255)
                        let up = 256 - down
                        for x in low...high { blended[x] = UInt16(top[x]) &* up &+ UInt16(bottom[x]) &* down }
                        let output = target + row * width
                        if translation {
                            // Zoom 1 (a pure pan/tilt): one weight for the whole row and consecutive
                            // sources, so the loop is straight arithmetic the compiler vectorises.
                            let right = UInt32(first & 255)
                            let left = 256 &- right
                            let row = blended.baseAddress! + low
                            for column in 0..<width {
                                let value =
                                    (UInt32(row[column]) &* left &+ UInt32(row[column &+ 1]) &* right &+ 32768) >> 16
                                output[column] = identity ? UInt8(truncatingIfNeeded: value) : lut[Int(value)]
                            }
                            continue
                        }
                        for column in 0..<width {
                            let tap = taps[column]
                            let index = Int(tap >> 8)
                            let right = tap & 255
                            let value =
                                (UInt32(blended[index]) &* (256 &- right) &+ UInt32(blended[index &+ 1]) &* right
                                    &+ 32768) >> 16
                            output[column] = identity ? UInt8(truncatingIfNeeded: value) : lut[Int(value)]
                        }
                    }
                }
            }
        }
    }
}
