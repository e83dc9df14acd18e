/// Brings one chroma plane of any JPEG subsampling to the 4:2:0 chroma size by box averaging
/// (4:2:2, 4:4:4, 4:4:0: each output sample is the mean of the source samples it covers) or
/// repetition (4:1:1, whose chroma is coarser than 4:2:0 horizontally).
///
/// The source span of every output column and row is computed once per plane, so the inner loop
/// is loads and adds only.
struct ChromaResampler {
    private let columns: [Range<Int>]
    private let rows: [Range<Int>]
    private let sourceWidth: Int
    private let targetWidth: Int

    init(from source: PixelSize, to target: PixelSize) {
        columns = Self.spans(source: source.width, target: target.width)
        rows = Self.spans(source: source.height, target: target.height)
        sourceWidth = source.width
        targetWidth = target.width
    }

    /// Output sample `i` of `target` covers source samples `[i * source / target, (i + 1) * source / target)`,
    /// at least one.
    private static func spans(source: Int, target: Int) -> [Range<Int>] {
        (0..<target).map { index in
            let low = min(source - 1, index * source / target)
            let high = max(low + 1, min(source, (index + 1) * source / target))
            return low..<high
        }
    }

    func resample(_ source: [UInt8], at sourceOffset: Int, into target: inout [UInt8], at targetOffset: Int) {
        source.withUnsafeBufferPointer { input in
            target.withUnsafeMutableBufferPointer { output in
                let base = input.baseAddress! + sourceOffset
                let out = output.baseAddress! + targetOffset
                for (row, rowSpan) in rows.enumerated() {
                    for (column, columnSpan) in columns.enumerated() {
                        var sum = 0
                        for y in rowSpan {
                            let line = base + y * sourceWidth
                            for x in columnSpan { sum &+= Int(line[x]) }
                        }
                        let count = rowSpan.count * columnSpan.count
                        out[row * targetWidth + column] = UInt8(truncatingIfNeeded: (sum + count / 2) / count)
                    }
                }
            }
        }
    }
}
