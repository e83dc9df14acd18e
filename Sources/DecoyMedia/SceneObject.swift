/// What a scene object looks like; the cases match the event types an NVR's detector reports, so an emulated
/// "person" event can show a person in the picture.
public enum SceneObjectKind: String, Sendable, CaseIterable {
    /// Upright figure (head, body, legs) walking across.
    case person
    /// Wide, low car body on two wheels, crossing faster than a person.
    case vehicle
    /// Small, low animal (body, head, tail, legs) trotting across.
    case pet
    /// Large oval face with eyes and mouth that approaches the camera in the centre of the view.
    case face

    /// Longest single crossing: longer objects cross repeatedly, so a 30 s event keeps something moving the
    /// whole time. Vehicles are faster, so they cross in less time.
    var maxCrossingMilliseconds: Int64 {
        switch self {
        case .person, .face: 8000
        case .vehicle: 5000
        case .pet: 6000
        }
    }

    /// Height as a fraction of the scene band (the rows between the overlay lines) and width per height.
    var proportions: (height: Double, aspect: Double) {
        switch self {
        case .person: (0.36, 0.4)
        case .vehicle: (0.22, 2.6)
        case .pet: (0.14, 2.0)
        case .face: (0.9, 0.78)
        }
    }
}

/// Something visible that moves through the synthetic picture for a while, such as the person of an emulated
/// "person" event or the ambient passer-by of `AmbientActivity`.
///
/// A pure value: where it is follows from the time alone, so the renderer needs no state, two renderers agree,
/// and a test can compute where motion must appear. Like the overlay it is fixed to the view (PTZ does not move
/// it) and stays between the overlay's text lines, so the clock never hides it.
public struct SceneObject: Sendable, Equatable, Hashable {
    /// What is drawn.
    public var kind: SceneObjectKind
    /// Unix time in milliseconds at which it starts entering the view.
    public var startMilliseconds: Int64
    /// How long it is present; zero or negative means never. Longer than one crossing repeats the crossing,
    /// alternating direction.
    public var durationMilliseconds: Int64
    /// Chooses lane, first direction and colour, so different objects look different but the same seed always
    /// gives the same picture.
    public var seed: UInt64

    /// Creates an object; any values are accepted (an object that never appears is simply never drawn).
    public init(kind: SceneObjectKind, startMilliseconds: Int64, durationMilliseconds: Int64, seed: UInt64 = 0) {
        self.kind = kind
        self.startMilliseconds = startMilliseconds
        self.durationMilliseconds = durationMilliseconds
        self.seed = seed
    }

    /// Whether the object is present at `timeMilliseconds` (it may still be entering, partly off-frame).
    public func isActive(atMilliseconds timeMilliseconds: Int64) -> Bool { progress(at: timeMilliseconds) != nil }

    /// The rectangle the silhouette fills at `timeMilliseconds` in a view of `size` (partly or wholly off-frame
    /// while entering or leaving), or nil when the object is not present then.
    public func bounds(atMilliseconds timeMilliseconds: Int64, in size: PixelSize) -> PixelRect? {
        pose(atMilliseconds: timeMilliseconds, in: size)?.bounds
    }

    /// Where and how the object is drawn at one moment.
    struct Pose {
        /// The silhouette's box.
        var bounds: PixelRect
        /// True when walking towards the left edge (the painter mirrors heads and tails).
        var facingLeft: Bool
        /// -1...1, a triangle wave of the walking gait, for legs that swing.
        var stride: Double
        /// Body colour (U, V): saturated, so the object also stands out in chroma.
        var chroma: (u: UInt8, v: UInt8)
    }

    /// Saturated body colours, away from the world's gentle chroma ramps.
    static let palette: [(u: UInt8, v: UInt8)] = [(90, 230), (210, 100), (50, 70), (40, 160), (200, 210), (70, 190)]

    /// The pose at `timeMilliseconds` in a view of `size`, or nil when absent or the view is empty.
    func pose(atMilliseconds timeMilliseconds: Int64, in size: PixelSize) -> Pose? {
        guard !size.isEmpty, let (crossing, phase) = progress(at: timeMilliseconds) else { return nil }
        var random = SplitMix64(seed: seed)
        let startsLeft = random.next() & 1 == 0
        let chroma = kind == .face ? (u: UInt8(110), v: UInt8(160)) : Self.palette[random.int(in: 0...5)]
        var laneRandom = SplitMix64(seed: seed ^ (UInt64(crossing) &* 0x9E37_79B9_7F4A_7C15))
        let lane = Double(laneRandom.next() % 1001) / 1000
        let band = SyntheticOverlay.sceneBand(for: size)
        let (heightFraction, aspect) = kind.proportions
        let facingLeft = startsLeft == (crossing & 1 == 1)
        let stepsPerCrossing = 8.0
        let gait = (phase * stepsPerCrossing).truncatingRemainder(dividingBy: 1)
        let stride = 1 - 4 * abs(gait - 0.5)
        if kind == .face {
            let height = max(2, Int(Double(band.height) * heightFraction * (0.3 + 0.7 * phase)))
            let width = max(2, Int(Double(height) * aspect))
            let rect = PixelRect(
                x: size.width / 2 - width / 2, y: band.y + (band.height - height) / 2, width: width, height: height)
            return Pose(bounds: rect, facingLeft: facingLeft, stride: stride, chroma: chroma)
        }
        let height = max(2, Int(Double(band.height) * heightFraction))
        let width = max(2, Int(Double(height) * aspect))
        let travel = Double(size.width + width)
        let offset = Int(travel * phase)
        let x = facingLeft ? size.width - offset : offset - width
        let y = band.y + Int(Double(max(0, band.height - height)) * lane)
        let rect = PixelRect(x: x, y: y, width: width, height: height)
        return Pose(bounds: rect, facingLeft: facingLeft, stride: stride, chroma: chroma)
    }

    /// Which crossing is under way at `time` and how far through it (0..<1), or nil when absent. Crossings
    /// share the duration equally (the last one takes the remainder) and none is longer than the kind allows.
    private func progress(at time: Int64) -> (crossing: Int, phase: Double)? {
        let (elapsed, overflow) = time.subtractingReportingOverflow(startMilliseconds)
        guard !overflow, durationMilliseconds > 0, elapsed >= 0, elapsed < durationMilliseconds else { return nil }
        let longest = kind.maxCrossingMilliseconds
        let count = (durationMilliseconds - 1) / longest + 1
        let length = durationMilliseconds / count
        let index = min(elapsed / length, count - 1)
        let thisLength = index == count - 1 ? durationMilliseconds - index * length : length
        return (Int(index), Double(elapsed - index * length) / Double(thisLength))
    }
}
