/// The default sound of a listening camera: a steady tone with a short, higher and louder beep at
/// the start of every whole second of the camera clock. A listener can find the beeps to measure
/// latency (beep onset vs. the second it marks) and drops (a beep missing or a second too short).
public struct MarkerSignal: AudioSignal, Equatable {
    /// Length of each beep.
    public static let beepMilliseconds = 50
    /// Pitch of the beep; kept below half the lowest rate (8000 Hz) so every rate can carry it.
    public static let beepFrequency = 1760.0
    /// Loudness of the beep.
    public static let beepLevelDBFS = -6.0

    public let base: ToneSignal
    public let beep: ToneSignal

    /// `frequency` and `levelDBFS` are those of the steady tone.
    public init(sampleRate: Int, frequency: Double, levelDBFS: Double) {
        self.base = ToneSignal(sampleRate: sampleRate, frequency: frequency, levelDBFS: levelDBFS)
        self.beep = ToneSignal(
            sampleRate: sampleRate, frequency: Self.beepFrequency, levelDBFS: Self.beepLevelDBFS)
    }

    public var sampleRate: Int { base.sampleRate }

    /// Samples per beep at this rate.
    public var beepSamples: Int64 { Int64(sampleRate * Self.beepMilliseconds / 1000) }

    /// Whether sample `index` belongs to a beep.
    public func isBeep(at index: Int64) -> Bool {
        let rate = Int64(sampleRate)
        return ((index % rate) + rate) % rate < beepSamples
    }

    public func sample(at index: Int64) -> Int16 {
        isBeep(at: index) ? beep.sample(at: index) : base.sample(at: index)
    }
}
