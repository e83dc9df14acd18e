/// White noise, uniform in amplitude, whose samples are a hash of (seed, index): the same seed
/// gives the same noise on every machine and for any block, in any order.
public struct NoiseSignal: AudioSignal, Equatable {
    public let sampleRate: Int
    public let seed: UInt64
    public let levelDBFS: Double
    /// Half-width of the uniform distribution: √3 × RMS. Above about −1.8 dBFS peaks clip.
    private let amplitude: Double

    public init(sampleRate: Int, seed: UInt64, levelDBFS: Double) {
        self.sampleRate = sampleRate
        self.seed = seed
        self.levelDBFS = levelDBFS
        self.amplitude = AudioLevel.rms(dBFS: levelDBFS) * 3.0.squareRoot()
    }

    public func sample(at index: Int64) -> Int16 {
        // One SplitMix64 step from a state derived from both inputs: a stateless, well-mixed hash.
        var generator = SplitMix64(seed: seed ^ (UInt64(bitPattern: index) &* 0xD1B5_4A32_D192_ED03))
        let unit = Double(generator.next() >> 11) / Double(1 << 53)
        return AudioLevel.clipped((unit * 2 - 1) * amplitude)
    }
}
