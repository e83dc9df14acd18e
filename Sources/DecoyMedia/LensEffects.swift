/// Picture effects of the lens and lighting, applied to the background whenever the viewport or LED changes.
///
/// Exposure (iris) and the LED are a single 256-entry tone curve applied while resampling; defocus is a cheap
/// separable box blur whose radius grows as focus moves away from 0.5. All integer work, so the result is
/// deterministic and fast.
enum LensEffects {
    /// Luma added when the LED is forced on: clearly visible, as an IR illuminator is at night.
    static let ledBoost = 40

    /// Maps source luma to output luma: gain `2^(2 * (iris - 0.5))` (½x ... 2x) around video black, plus the
    /// LED boost, clamped to 0...255.
    static func toneCurve(iris: Double, led: LEDMode) -> [UInt8] {
        let gain = Int(256 * exp2(2 * (iris - 0.5)))
        let boost = led == .on ? ledBoost : 0
        return (0...255).map { value in
            let adjusted = 16 + ((value - 16) * gain) / 256 + boost
            return UInt8(min(max(adjusted, 0), 255))
        }
    }

    /// Blur radius for `focus` in a view `height` rows tall: zero at 0.5, up to height/48 at 0 or 1.
    static func blurRadius(focus: Double, height: Int) -> Int {
        Int((abs(focus - 0.5) * 2 * Double(height / 48)).rounded())
    }

    /// Blurs a `size` plane in place with a (2r+1)² box: a running sum along rows into `scratch`, then a
    /// running sum down columns (row by row, for cache locality) back into the plane. Edges repeat the border.
    static func boxBlur(_ plane: UnsafeMutablePointer<UInt8>, size: PixelSize, radius: Int) {
        guard radius > 0, !size.isEmpty else { return }
        let (width, height) = (size.width, size.height)
        let taps = 2 * radius + 1
        var scratch = [UInt8](repeating: 0, count: size.area)
        var sums = [Int](repeating: 0, count: width)
        scratch.withUnsafeMutableBufferPointer { horizontal in
            for y in 0..<height {
                let input = plane + y * width
                let output = horizontal.baseAddress! + y * width
                var sum = 0
                for k in -radius...radius { sum += Int(input[min(max(k, 0), width - 1)]) }
                for x in 0..<width {
                    output[x] = UInt8(sum / taps)
                    sum += Int(input[min(x + radius + 1, width - 1)]) - Int(input[max(x - radius, 0)])
                }
            }
            sums.withUnsafeMutableBufferPointer { sums in
                let rows = horizontal.baseAddress!
                for k in -radius...radius {
                    let line = rows + min(max(k, 0), height - 1) * width
                    for x in 0..<width { sums[x] += Int(line[x]) }
                }
                for y in 0..<height {
                    let output = plane + y * width
                    let entering = rows + min(y + radius + 1, height - 1) * width
                    let leaving = rows + max(y - radius, 0) * width
                    for x in 0..<width {
                        output[x] = UInt8(sums[x] / taps)
                        sums[x] += Int(entering[x]) - Int(leaving[x])
                    }
                }
            }
        }
    }

    /// 2 raised to `exponent` for the small exponents used here (|x| <= 1), without Foundation: a 12-term
    /// series of e^(x ln 2), far more precise than an 8-bit tone curve needs.
    static func exp2(_ exponent: Double) -> Double {
        let x = exponent * 0.693_147_180_559_945_3
        var term = 1.0
        var total = 1.0
        for n in 1...12 {
            term *= x / Double(n)
            total += term
        }
        return total
    }
}
