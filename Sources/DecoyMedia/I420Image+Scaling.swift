extension I420Image {
    /// Returns the image resized to exactly `target` (aspect ratio is NOT preserved), because tinyCam clients
    /// ask for fixed sizes such as 320x240 whatever the source shape is.
    ///
    /// Downscaling averages every source pixel that falls in an output pixel's box (integer box boundaries),
    /// which avoids the aliasing of point sampling and keeps fine patterns such as the frame-id strip
    /// readable. Upscaling (not needed by Decoy, but allowed) falls back to nearest neighbour. Each plane is
    /// scaled independently; odd sizes are handled by the rounded-up chroma planes.
    public func scaled(to target: PixelSize) -> I420Image {
        precondition(hasValidLength, "I420 buffer has the wrong length for \(size)")
        if target == size { return self }
        var output = I420Image(size: target)
        guard !size.isEmpty, !target.isEmpty else { return output }
        let planes: [(source: Int, target: Int, from: PixelSize, to: PixelSize)] = [
            (0, 0, size, target),
            (uOffset, output.uOffset, chromaSize, output.chromaSize),
            (vOffset, output.vOffset, chromaSize, output.chromaSize),
        ]
        bytes.withUnsafeBufferPointer { source in
            output.bytes.withUnsafeMutableBufferPointer { destination in
                for plane in planes {
                    BoxScaler.scale(
                        source.baseAddress! + plane.source, plane.from,
                        into: destination.baseAddress! + plane.target, plane.to)
                }
            }
        }
        return output
    }
}

/// Area-average resampling of one 8-bit plane. Kept separate from `I420Image` so the same code serves the Y, U
/// and V planes.
enum BoxScaler {
    /// Source index range `[start, end)` feeding each output index along one axis.
    struct Spans {
        var starts: [Int]
        var ends: [Int]

        init(source: Int, target: Int) {
            starts = [Int](repeating: 0, count: target)
            ends = [Int](repeating: 0, count: target)
            for index in 0..<target {
                if source >= target {
                    starts[index] = index * source / target
                    ends[index] = (index + 1) * source / target
                } else {
                    let centre = (2 * index + 1) * source / (2 * target)
                    starts[index] = centre
                    ends[index] = centre + 1
                }
            }
        }
    }

    /// Scales `from`-sized pixels at `source` into `to`-sized pixels at `destination` (both unpadded).
    ///
    /// For each output row it first sums the contributing source rows per column (a straight loop the
    /// compiler vectorises), then sums those column totals across each output box and divides by the box
    /// area with a rounded-up 2^40 fixed-point reciprocal, which gives exactly the rounded average for every
    /// box up to 46 000 pixels (3840x2160 down to 16x16 needs 32 400): an integer division per output pixel
    /// would cost more than everything else together.
    static func scale(
        _ source: UnsafePointer<UInt8>, _ from: PixelSize,
        into destination: UnsafeMutablePointer<UInt8>, _ to: PixelSize
    ) {
        let columns = Spans(source: from.width, target: to.width)
        let rows = Spans(source: from.height, target: to.height)
        var columnSums = [UInt32](repeating: 0, count: from.width)
        var reciprocals = [UInt64](repeating: 0, count: to.width)
        var reciprocalRows = -1
        columnSums.withUnsafeMutableBufferPointer { sums in
            reciprocals.withUnsafeMutableBufferPointer { reciprocals in
                columns.starts.withUnsafeBufferPointer { starts in
                    columns.ends.withUnsafeBufferPointer { ends in
                        for outY in 0..<to.height {
                            let rowStart = rows.starts[outY]
                            let rowCount = rows.ends[outY] - rowStart
                            if rowCount != reciprocalRows {
                                for outX in 0..<to.width {
                                    let area = UInt64((ends[outX] - starts[outX]) * rowCount)
                                    reciprocals[outX] = ((1 << 40) + area - 1) / area
                                }
                                reciprocalRows = rowCount
                            }
                            sums.update(repeating: 0)
                            for y in rowStart..<(rowStart + rowCount) {
                                let row = source + y * from.width
                                for x in 0..<from.width { sums[x] &+= UInt32(row[x]) }
                            }
                            let outRow = destination + outY * to.width
                            for outX in 0..<to.width {
                                var total: UInt64 = 0
                                for x in starts[outX]..<ends[outX] { total &+= UInt64(sums[x]) }
                                outRow[outX] = UInt8(
                                    truncatingIfNeeded: (total &* reciprocals[outX] &+ (1 << 39)) >> 40)
                            }
                        }
                    }
                }
            }
        }
    }
}
