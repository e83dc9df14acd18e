/// Pixel-painting primitives shared by the world builder, the overlays and the frame-id strip. Every method
/// clips to the image, so callers can draw partly off-frame shapes without checks.
extension I420Image {
    /// Sets every luma sample in `rect` to `value` (chroma untouched).
    mutating func fillLuma(_ rect: PixelRect, _ value: UInt8) {
        fillPlane(at: 0, stride: lumaStride, area: rect.clipped(to: size), with: value)
    }

    /// Sets every chroma sample touched by the luma rectangle `rect` to `u`/`v`.
    mutating func fillChroma(_ rect: PixelRect, u: UInt8, v: UInt8) {
        let area = rect.clipped(to: size).chromaCover
        fillPlane(at: uOffset, stride: chromaStride, area: area, with: u)
        fillPlane(at: vOffset, stride: chromaStride, area: area, with: v)
    }

    /// Row-by-row fill of an already clipped rectangle inside the plane starting at `offset`.
    private mutating func fillPlane(at offset: Int, stride: Int, area: PixelRect, with value: UInt8) {
        guard !area.isEmpty else { return }
        bytes.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress! + offset
            for row in area.y..<area.maxY {
                (base + row * stride + area.x).update(repeating: value, count: area.width)
            }
        }
    }

    /// Fills `rect` with one colour; chroma defaults to neutral grey, which is what overlays want.
    mutating func fill(_ rect: PixelRect, y: UInt8, u: UInt8 = 128, v: UInt8 = 128) {
        fillLuma(rect, y)
        fillChroma(rect, u: u, v: v)
    }

    /// Calls `shader` for each luma pixel of `rect` (absolute coordinates) and stores what it returns; nil
    /// leaves the pixel alone. Used for shapes, where clarity matters more than speed.
    mutating func paintLuma(in rect: PixelRect, _ shader: (_ x: Int, _ y: Int) -> UInt8?) {
        let area = rect.clipped(to: size)
        guard !area.isEmpty else { return }
        let stride = size.width
        bytes.withUnsafeMutableBufferPointer { buffer in
            for row in area.y..<area.maxY {
                let line = buffer.baseAddress! + row * stride
                for column in area.x..<area.maxX {
                    if let value = shader(column, row) { line[column] = value }
                }
            }
        }
    }

    /// Calls `shader` for each chroma sample touched by the luma rectangle `rect`, passing the luma coordinates
    /// of the sample's top-left pixel, and stores the returned U/V; nil leaves the sample alone.
    mutating func paintChroma(in rect: PixelRect, _ shader: (_ x: Int, _ y: Int) -> (u: UInt8, v: UInt8)?) {
        let area = rect.clipped(to: size).chromaCover
        guard !area.isEmpty else { return }
        let (stride, uStart, vStart) = (chromaStride, uOffset, vOffset)
        bytes.withUnsafeMutableBufferPointer { buffer in
            for row in area.y..<area.maxY {
                for column in area.x..<area.maxX {
                    guard let (u, v) = shader(column * 2, row * 2) else { continue }
                    buffer[uStart + row * stride + column] = u
                    buffer[vStart + row * stride + column] = v
                }
            }
        }
    }

    /// Draws a filled disc of `radius` around (`centerX`, `centerY`) in luma, optionally tinting its chroma.
    mutating func fillDisc(centerX: Int, centerY: Int, radius: Int, luma: UInt8, chroma: (u: UInt8, v: UInt8)? = nil) {
        let bounds = PixelRect(x: centerX - radius, y: centerY - radius, width: 2 * radius + 1, height: 2 * radius + 1)
        let limit = radius * radius
        let inside = { (x: Int, y: Int) in (x - centerX) * (x - centerX) + (y - centerY) * (y - centerY) <= limit }
        paintLuma(in: bounds) { x, y in inside(x, y) ? luma : nil }
        if let chroma {
            paintChroma(in: bounds) { x, y in inside(x, y) ? chroma : nil }
        }
    }
}
