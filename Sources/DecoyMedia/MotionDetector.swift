/// How eagerly a `MotionDetector` reports motion; one per camera, from the configuration.
///
/// The defaults leave a wide margin on both sides for Decoy's synthetic cameras. Sensitivity 50 means a cell must
/// differ from the background by more than 23 luma levels on average: JPEG quality 30 plus ±8 sensor noise moves a
/// cell's mean by less than 3 (not one cell passed sensitivity 100's threshold of 3 in 150 such frames), while the
/// synthetic objects differ by 60 or more (all are still found at sensitivity 30). Real cameras are noisier: raise
/// the sensitivity for dim or low-contrast scenes, lower it for flickering ones. A minimum area of 0.5 % of the
/// unmasked picture is about 1 500 pixels at 640x480, the motion daemon's default threshold: a pet crossing at
/// 640x480 covers about twice that, a few stray cells never do.
public struct MotionSettings: Sendable, Equatable {
    /// Accepted sensitivities: 1 (only strong contrast counts) ... 100 (almost any change counts).
    public static let sensitivityRange = 1...100
    /// Accepted minimum areas, in percent of the unmasked picture.
    public static let minimumAreaRange = 0.01...100.0

    /// 1...100; higher reports weaker changes.
    public let sensitivity: Int
    /// Share of the unmasked picture that must change for a frame to count as motion, in percent.
    public let minimumAreaPercent: Double

    /// Creates settings; values outside the ranges are moved to the nearest end (NaN becomes the default), so a
    /// bad configuration value degrades gracefully instead of disabling detection.
    public init(sensitivity: Int = 50, minimumAreaPercent: Double = 0.5) {
        self.sensitivity = min(max(sensitivity, Self.sensitivityRange.lowerBound), Self.sensitivityRange.upperBound)
        let area = minimumAreaPercent.isNaN ? 0.5 : minimumAreaPercent
        self.minimumAreaPercent = min(max(area, Self.minimumAreaRange.lowerBound), Self.minimumAreaRange.upperBound)
    }

    /// Mean luma difference above which a cell has changed: 42.6 at sensitivity 1, 23 at 50, 3 at 100.
    var cellThreshold: Float { 3 + 0.4 * Float(100 - sensitivity) }
}

/// What `MotionDetector` found in one frame.
public struct MotionMeasurement: Sendable, Equatable {
    /// A frame with nothing changed (also the answer for the first frame and after a lighting change).
    public static let none = MotionMeasurement(changedPercent: 0, region: nil, isMotion: false)

    /// Share of the unmasked cells that differ from the background, in percent.
    public var changedPercent: Double
    /// Bounding box, in image pixels, of every changed cell; nil when none changed.
    public var region: PixelRect?
    /// Whether `changedPercent` reached the settings' minimum area.
    public var isMotion: Bool

    /// Creates a measurement (the detector makes them; public so callers can build values in tests).
    public init(changedPercent: Double, region: PixelRect?, isMotion: Bool) {
        self.changedPercent = changedPercent
        self.region = region
        self.isMotion = isMotion
    }
}

/// Pixel-based motion detection on live frames, the way NVRs do it, cheap enough for every frame of every
/// camera (about 50 µs per 640x480 frame, no allocation once running).
///
/// Luma is averaged over square cells (about 80 across; 8x8 pixels at 640x480, which also matches JPEG's
/// blocks, whose averages JPEG keeps best), so single-pixel sensor noise and JPEG artefacts average out. Each
/// cell is compared with a background that follows the picture slowly (a running average, time constant 32
/// frames). The median difference over all cells is taken as a global change (exposure drift, an LED) and
/// subtracted; a sudden large global change re-learns the background instead of reporting motion. Cells
/// touching a `mask` rectangle (e.g. `SyntheticOverlay.dynamicRegions`) never count.
///
/// Not `Sendable`: it keeps the background between frames. Use one detector per camera on one thread.
public final class MotionDetector {
    /// Sensitivity and minimum area.
    public let settings: MotionSettings
    /// For a frame size, the rectangles (in its pixels) whose cells are ignored: asked again when
    /// the size changes, so a camera whose resolution changes mid-stream keeps its overlay masked.
    public let mask: (PixelSize) -> [PixelRect]

    /// Background update rate per frame.
    static let adaptation: Float = 1.0 / 32
    /// Cells across a frame, roughly.
    static let targetColumns = 80
    /// Cells down a frame at most (keeps cells square on wide frames).
    static let targetRows = 45
    /// Share of changed cells above which the change is taken as lighting, not motion.
    static let lightingChangeShare = 0.5

    private var grid: CellGrid?
    private var background: [Float] = []
    private var current: [Float] = []
    private var columnSums: [UInt32] = []
    private var histogram = [Int](repeating: 0, count: 511)

    /// Creates a detector that has seen no frame yet; the first frame analysed becomes its background.
    public init(settings: MotionSettings, mask: @escaping (PixelSize) -> [PixelRect]) {
        self.settings = settings
        self.mask = mask
    }

    /// A detector whose mask is the same rectangles at every size.
    public convenience init(settings: MotionSettings, mask: [PixelRect] = []) {
        self.init(settings: settings, mask: { _ in mask })
    }

    /// Forgets the background, e.g. after the camera moved: the next frame is learnt, not compared.
    public func reset() { grid = nil }

    /// Compares `image` with the background, then lets the background follow it. A frame of a new size
    /// resets the detector; empty or malformed frames report no motion and leave the state alone.
    public func analyze(_ image: I420Image) -> MotionMeasurement {
        guard !image.size.isEmpty, image.bytes.count >= image.size.area else { return .none }
        if grid?.size != image.size {
            let grid = CellGrid(size: image.size, mask: mask(image.size))
            self.grid = grid
            current = [Float](repeating: 0, count: grid.count)
            columnSums = [UInt32](repeating: 0, count: grid.columns * grid.cell)
            measureCells(image, grid)
            background = current
            return .none
        }
        guard let grid else { return .none }
        measureCells(image, grid)
        guard grid.unmaskedCount > 0 else { return .none }
        let threshold = settings.cellThreshold
        // One access to each stored array per frame: element access through `self` in the loops below would
        // pay for an exclusivity check every time.
        let found = current.withUnsafeBufferPointer { now in
            background.withUnsafeBufferPointer { past in
                histogram.withUnsafeMutableBufferPointer { bins in
                    CellDifference(now: now, past: past, masked: grid.masked)
                        .compare(grid, threshold: threshold, bins: bins)
                }
            }
        }
        let share = Double(found?.changed ?? 0) / Double(grid.unmaskedCount)
        guard let found, share <= Self.lightingChangeShare else { return relearn() }
        followPicture(offset: found.offset)
        let percent = 100 * share
        return MotionMeasurement(
            changedPercent: percent, region: found.region,
            isMotion: found.changed > 0 && percent >= settings.minimumAreaPercent)
    }

    /// A sudden change of the whole picture: take the new picture as the background.
    private func relearn() -> MotionMeasurement {
        background = current
        return .none
    }

    /// Mean luma of every cell into `current`: per cell row, first sums each column over the cell's rows (a
    /// straight loop the compiler vectorises), then adds up each cell's columns.
    private func measureCells(_ image: I420Image, _ grid: CellGrid) {
        let (cell, columns, width) = (grid.cell, grid.columns, image.size.width)
        let usedWidth = columns * cell
        let scale = 1 / Float(cell * cell)
        image.bytes.withUnsafeBufferPointer { pixels in
            columnSums.withUnsafeMutableBufferPointer { sums in
                current.withUnsafeMutableBufferPointer { means in
                    for row in 0..<grid.rows {
                        sums.update(repeating: 0)
                        for y in (row * cell)..<((row + 1) * cell) {
                            let line = pixels.baseAddress! + y * width
                            for x in 0..<usedWidth { sums[x] &+= UInt32(line[x]) }
                        }
                        for column in 0..<columns {
                            var total: UInt32 = 0
                            for x in (column * cell)..<((column + 1) * cell) { total &+= sums[x] }
                            means[row * columns + column] = Float(total) * scale
                        }
                    }
                }
            }
        }
    }

    /// Moves the background by the global offset at once and towards the picture slowly, so lighting drift
    /// never builds up while a passing object barely marks it.
    private func followPicture(offset: Float) {
        let rate = Self.adaptation
        current.withUnsafeBufferPointer { now in
            background.withUnsafeMutableBufferPointer { past in
                for index in 0..<past.count {
                    past[index] += offset + rate * (now[index] - past[index] - offset)
                }
            }
        }
    }
}

/// One frame's cell means next to the background's, for the comparisons of `MotionDetector.analyze`.
private struct CellDifference {
    let now: UnsafeBufferPointer<Float>
    let past: UnsafeBufferPointer<Float>
    let masked: [Bool]

    /// The outcome of comparing one frame.
    struct Comparison {
        /// The global change (see `median`).
        var offset: Float
        /// Unmasked cells that changed beyond the global change.
        var changed: Int
        /// Their bounding box in image pixels.
        var region: PixelRect?
    }

    /// Compares the cells, or returns nil when the whole picture changed by `threshold` or more at once (a
    /// lighting step such as an LED switching on), which the caller re-learns rather than reports.
    func compare(_ grid: CellGrid, threshold: Float, bins: UnsafeMutableBufferPointer<Int>) -> Comparison? {
        let offset = median(bins: bins, count: grid.unmaskedCount)
        guard abs(offset) < threshold else { return nil }
        let (changed, region) = changedCells(grid, offset: offset, threshold: threshold)
        return Comparison(offset: offset, changed: changed, region: region)
    }

    /// Median of (now - past) over the `count` unmasked cells, to the nearest luma level: the part of the change
    /// that the whole picture shares.
    func median(bins: UnsafeMutableBufferPointer<Int>, count: Int) -> Float {
        bins.update(repeating: 0)
        for index in 0..<now.count where !masked[index] {
            let bin = Int((now[index] - past[index]).rounded()) + 255
            bins[min(max(bin, 0), 510)] += 1
        }
        var seen = 0
        for bin in 0..<bins.count {
            seen += bins[bin]
            if 2 * seen > count { return Float(bin - 255) }
        }
        return 0
    }

    /// Counts the unmasked cells whose difference, less the global offset, exceeds `threshold`, and bounds them.
    func changedCells(_ grid: CellGrid, offset: Float, threshold: Float) -> (Int, PixelRect?) {
        var changed = 0
        var (left, top, right, bottom) = (Int.max, Int.max, -1, -1)
        for index in 0..<now.count where !masked[index] {
            guard abs(now[index] - past[index] - offset) > threshold else { continue }
            changed += 1
            let (row, column) = index.quotientAndRemainder(dividingBy: grid.columns)
            (left, top, right, bottom) = (min(left, column), min(top, row), max(right, column), max(bottom, row))
        }
        guard changed > 0 else { return (0, nil) }
        let cell = grid.cell
        let region = PixelRect(
            x: left * cell, y: top * cell, width: (right - left + 1) * cell, height: (bottom - top + 1) * cell)
        return (changed, region)
    }
}

/// The detector's cell layout for one frame size: square cells of `cell` pixels, `columns` x `rows` of them
/// (the right and bottom remainders, under one cell, are ignored), and which cells the mask covers.
struct CellGrid {
    let size: PixelSize
    let cell: Int
    let columns: Int
    let rows: Int
    let masked: [Bool]
    let unmaskedCount: Int

    var count: Int { columns * rows }

    init(size: PixelSize, mask: [PixelRect]) {
        self.size = size
        cell = max(
            1, min(size.width / MotionDetector.targetColumns, size.height / MotionDetector.targetRows))
        columns = size.width / cell
        rows = size.height / cell
        let clippedMask = mask.map { $0.clipped(to: size) }.filter { !$0.isEmpty }
        var masked = [Bool](repeating: false, count: columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let rect = PixelRect(x: column * cell, y: row * cell, width: cell, height: cell)
                masked[row * columns + column] = clippedMask.contains { $0.intersects(rect) }
            }
        }
        self.masked = masked
        unmaskedCount = masked.lazy.filter { !$0 }.count
    }
}

extension PixelRect {
    /// Whether the two rectangles share at least one pixel.
    fileprivate func intersects(_ other: PixelRect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY && !isEmpty && !other.isEmpty
    }
}
