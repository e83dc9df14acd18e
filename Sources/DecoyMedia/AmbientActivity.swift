/// Background life for a camera such as the sandbox's "Front yard": a person, vehicle or pet crosses the scene
/// about once per interval, so a motion detector (Decoy's own, or the motion daemon, Frigate or an NVR pointed
/// at the stream) sees fresh motion while someone watches.
///
/// A pure function of time: time is cut into slots of `meanIntervalMilliseconds`, and each slot holds exactly
/// one crossing of 6–8 s at a seeded offset inside it. So crossings never overlap, the long-run rate is one per
/// interval, and every process (renderer, event log, tests) agrees on what crosses when without sharing state.
public struct AmbientActivity: Sendable, Equatable {
    /// Shortest interval accepted; shorter values are raised to it so a crossing still fits in its slot.
    public static let minimumIntervalMilliseconds: Int64 = 10_000
    /// Shortest and longest crossing.
    static let crossingMilliseconds: ClosedRange<Int64> = 6000...8000

    /// Chooses the kinds, times and looks of all crossings.
    public let seed: UInt64
    /// Length of one slot (one crossing each), at least `minimumIntervalMilliseconds`.
    public let meanIntervalMilliseconds: Int64

    /// Creates the activity for `seed`; `meanIntervalMilliseconds` below `minimumIntervalMilliseconds` is
    /// raised to it.
    public init(seed: UInt64, meanIntervalMilliseconds: Int64 = 60_000) {
        self.seed = seed
        self.meanIntervalMilliseconds = max(meanIntervalMilliseconds, Self.minimumIntervalMilliseconds)
    }

    /// The objects in view at `timeMilliseconds`: empty most of the time, one during a crossing. Meant to be
    /// appended to `SceneState.objects`.
    public func objects(atMilliseconds timeMilliseconds: Int64) -> [SceneObject] {
        let object = crossing(inSlot: slot(of: timeMilliseconds))
        return object.isActive(atMilliseconds: timeMilliseconds) ? [object] : []
    }

    /// The first crossing that starts strictly after `timeMilliseconds`, e.g. to log when the next one is due.
    /// Nil only at the very end of the time range.
    public func nextObject(after timeMilliseconds: Int64) -> SceneObject? {
        let current = slot(of: timeMilliseconds)
        let object = crossing(inSlot: current)
        if object.startMilliseconds > timeMilliseconds { return object }
        let (next, overflow) = current.addingReportingOverflow(1)
        guard !overflow else { return nil }
        let following = crossing(inSlot: next)
        return following.startMilliseconds > timeMilliseconds ? following : nil
    }

    /// Index of the slot holding `time` (floor division, so times before 1970 work too).
    private func slot(of time: Int64) -> Int64 {
        let (quotient, remainder) = time.quotientAndRemainder(dividingBy: meanIntervalMilliseconds)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// The one crossing of slot `index`: kind (half people, 30 % vehicles, 20 % pets), duration and start
    /// offset all drawn from a generator seeded by the activity's seed and the slot.
    private func crossing(inSlot index: Int64) -> SceneObject {
        var random = SplitMix64(seed: seed ^ (UInt64(bitPattern: index) &* 0xD6E8_FEB8_6659_FD93))
        let roll = random.int(in: 0...9)
        let kind: SceneObjectKind = roll < 5 ? .person : roll < 8 ? .vehicle : .pet
        let range = Self.crossingMilliseconds
        let duration = range.lowerBound + Int64(random.next() % UInt64(range.upperBound - range.lowerBound + 1))
        let offset = Int64(random.next() % UInt64(meanIntervalMilliseconds - duration + 1))
        let start = index.multipliedReportingOverflow(by: meanIntervalMilliseconds).partialValue &+ offset
        return SceneObject(kind: kind, startMilliseconds: start, durationMilliseconds: duration, seed: random.next())
    }
}
