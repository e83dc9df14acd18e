import Foundation

/// A synthetic sound as a pure function of the sample index: the same index always gives the same
/// sample, so a camera's sound is deterministic for its seed and clock, any block can be rendered
/// on its own, and tests can check a signal without running anything in real time.
///
/// The index counts samples since the Unix epoch at the signal's rate (the audio hub derives it
/// from the injected clock), which is what lets `MarkerSignal` beep exactly on whole seconds.
public protocol AudioSignal: Sendable {
    /// The sample rate the signal is defined for, in Hz.
    var sampleRate: Int { get }
    /// Sample number `index` as signed 16-bit PCM.
    func sample(at index: Int64) -> Int16
}

extension AudioSignal {
    /// Fills `samples` with the samples starting at `index`.
    public func render(into samples: inout [Int16], startingAt index: Int64) {
        for offset in samples.indices { samples[offset] = sample(at: index + Int64(offset)) }
    }

    /// `count` samples starting at `index` (for tests and tools; the hub reuses one buffer).
    public func samples(_ count: Int, startingAt index: Int64) -> [Int16] {
        var samples = [Int16](repeating: 0, count: count)
        render(into: &samples, startingAt: index)
        return samples
    }
}

/// Levels in dBFS as defined by AES17: 0 dBFS is the RMS of a full-scale sine, so a sine of level
/// L has peak `32767 * 10^(L/20)` and any signal of level L has RMS `32767 / √2 * 10^(L/20)`.
public enum AudioLevel {
    /// Quietest level accepted: below it a 16-bit sample rounds to silence anyway.
    public static let minimumDBFS = -96.0

    /// The peak amplitude of a sine at `dBFS`.
    public static func sinePeak(dBFS: Double) -> Double { 32767 * pow(10, dBFS / 20) }

    /// The RMS of any signal at `dBFS`.
    public static func rms(dBFS: Double) -> Double { sinePeak(dBFS: dBFS) / 2.squareRoot() }

    /// The level in dBFS of samples with this RMS (−∞ for silence).
    public static func dBFS(rms: Double) -> Double { 20 * log10(rms * 2.squareRoot() / 32767) }

    /// Rounds and clips to 16 bits.
    static func clipped(_ value: Double) -> Int16 { Int16(max(-32768, min(32767, value.rounded()))) }
}

/// A sine tone.
public struct ToneSignal: AudioSignal, Equatable {
    public let sampleRate: Int
    public let frequency: Double
    public let levelDBFS: Double
    private let peak: Double

    public init(sampleRate: Int, frequency: Double, levelDBFS: Double) {
        self.sampleRate = sampleRate
        self.frequency = frequency
        self.levelDBFS = levelDBFS
        self.peak = AudioLevel.sinePeak(dBFS: levelDBFS)
    }

    public func sample(at index: Int64) -> Int16 {
        AudioLevel.clipped(peak * sin(2 * Double.pi * cycles(at: index)))
    }

    /// The fractional number of cycles at `index`, computed from whole seconds and the samples
    /// within the second so that indices near today's epoch (about 10^13) keep their precision.
    func cycles(at index: Int64) -> Double {
        let rate = Int64(sampleRate)
        let seconds = Double(index / rate) * frequency
        let within = Double(index % rate) * frequency / Double(rate)
        let total = seconds.truncatingRemainder(dividingBy: 1) + within
        return total - total.rounded(.down)
    }
}

/// Digital silence.
public struct SilenceSignal: AudioSignal, Equatable {
    public let sampleRate: Int

    public init(sampleRate: Int) { self.sampleRate = sampleRate }

    public func sample(at index: Int64) -> Int16 { 0 }
}
