import DecoyMedia
import Foundation
import Testing

/// 2020-09-29 12:06:04 UTC as a sample index at 8 kHz: a realistic, whole-second position.
private let epochSecond: Int64 = 1_601_381_164 * 8000

/// Sign changes in `samples` (a sine of f Hz has 2 f per second).
private func zeroCrossings(_ samples: [Int16]) -> Int {
    zip(samples, samples.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
}

/// Level in dBFS (AES17) of `samples`.
private func level(_ samples: [Int16]) -> Double {
    let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
    return AudioLevel.dBFS(rms: (sum / Double(samples.count)).squareRoot())
}

/// Goertzel power of `frequency` in `samples`, normalised by length.
private func power(of frequency: Double, in samples: [Int16], rate: Int) -> Double {
    let coefficient = 2 * cos(2 * Double.pi * frequency / Double(rate))
    var (previous, beforePrevious) = (0.0, 0.0)
    for sample in samples {
        let value = Double(sample) + coefficient * previous - beforePrevious
        beforePrevious = previous
        previous = value
    }
    let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
    return power / Double(samples.count * samples.count)
}

@Suite("Audio signals")
struct AudioSignalTests {
    @Test("a tone has its frequency and level at every rate", arguments: [8000, 16000, 22050, 44100, 48000])
    func tone(rate: Int) {
        let signal = ToneSignal(sampleRate: rate, frequency: 440, levelDBFS: -20)
        let second = signal.samples(rate, startingAt: epochSecond / 8000 * Int64(rate))
        #expect(abs(zeroCrossings(second) - 880) <= 2)
        #expect(abs(level(second) - -20) < 0.05)
    }

    @Test("a tone's level follows the setting; 0 dBFS peaks at full scale")
    func toneLevels() {
        let loud = ToneSignal(sampleRate: 8000, frequency: 1000, levelDBFS: 0).samples(8000, startingAt: epochSecond)
        let quiet = ToneSignal(sampleRate: 8000, frequency: 1000, levelDBFS: -40).samples(8000, startingAt: 0)
        #expect(loud.max() ?? 0 >= 32700)
        #expect(abs(level(loud) - 0) < 0.05)
        #expect(abs(level(quiet) - -40) < 0.1)
    }

    @Test("a tone stays continuous across whole seconds of the epoch")
    func toneContinuity() {
        let signal = ToneSignal(sampleRate: 8000, frequency: 440.5, levelDBFS: -6)
        let around = signal.samples(16, startingAt: epochSecond - 8)
        let peak = AudioLevel.sinePeak(dBFS: -6)
        let largestStep = zip(around, around.dropFirst()).map { abs(Int($1) - Int($0)) }.max() ?? 0
        // A sine's largest step per sample is peak × 2π f / rate; a phase jump would exceed it.
        #expect(Double(largestStep) <= peak * 2 * Double.pi * 440.5 / 8000 + 2)
    }

    @Test("silence is zero")
    func silence() {
        #expect(SilenceSignal(sampleRate: 8000).samples(800, startingAt: epochSecond).allSatisfy { $0 == 0 })
    }

    @Test("noise has its level, no tone, and depends only on seed and index")
    func noise() {
        let signal = NoiseSignal(sampleRate: 8000, seed: 42, levelDBFS: -20)
        let second = signal.samples(8000, startingAt: epochSecond)
        #expect(abs(level(second) - -20) < 0.3)
        let mean = second.reduce(0.0) { $0 + Double($1) } / Double(second.count)
        #expect(abs(mean) < 100)
        #expect(
            second == NoiseSignal(sampleRate: 8000, seed: 42, levelDBFS: -20).samples(8000, startingAt: epochSecond))
        #expect(
            second != NoiseSignal(sampleRate: 8000, seed: 43, levelDBFS: -20).samples(8000, startingAt: epochSecond))
        #expect(Array(second[100..<200]) == signal.samples(100, startingAt: epochSecond + 100))
    }

    @Test("the marker beeps higher for 50 ms at each whole second and plays the tone between")
    func markerPositions() {
        let signal = MarkerSignal(sampleRate: 8000, frequency: 440, levelDBFS: -20)
        #expect(signal.beepSamples == 400)
        let twoSeconds = signal.samples(16000, startingAt: epochSecond - 4000)
        for start in [4000, 12000] {
            let beep = Array(twoSeconds[start..<(start + 400)])
            #expect(power(of: 1760, in: beep, rate: 8000) > 100 * power(of: 440, in: beep, rate: 8000))
            #expect(abs(level(beep) - MarkerSignal.beepLevelDBFS) < 0.1)
            #expect(signal.isBeep(at: epochSecond - 4000 + Int64(start)))
            #expect(!signal.isBeep(at: epochSecond - 4000 + Int64(start) - 1))
            #expect(!signal.isBeep(at: epochSecond - 4000 + Int64(start) + 400))
        }
        let between = Array(twoSeconds[4400..<12000])
        #expect(power(of: 440, in: between, rate: 8000) > 100 * power(of: 1760, in: between, rate: 8000))
        #expect(abs(level(between) - -20) < 0.1)
    }

    @Test("a signal rendered in blocks equals the signal rendered at once")
    func blockwise() {
        let signal = MarkerSignal(sampleRate: 16000, frequency: 500, levelDBFS: -10)
        let whole = signal.samples(3200, startingAt: epochSecond * 2 - 160)
        var blocks: [Int16] = []
        var block = [Int16](repeating: 0, count: 320)
        for offset in stride(from: 0, to: 3200, by: 320) {
            signal.render(into: &block, startingAt: epochSecond * 2 - 160 + Int64(offset))
            blocks += block
        }
        #expect(blocks == whole)
    }

    @Test(
        "the streaming WAV header is byte-exact",
        arguments: [
            (8000, [0x40, 0x1F, 0, 0], [0x80, 0x3E, 0, 0]),
            (44100, [0x44, 0xAC, 0, 0], [0x88, 0x58, 0x01, 0]),
        ])
    func wavHeader(rate: Int, rateBytes: [UInt8], byteRateBytes: [UInt8]) {
        let expected: [UInt8] =
            Array("RIFF".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0, 1, 0, 1, 0]
            + rateBytes + byteRateBytes + [2, 0, 16, 0] + Array("data".utf8) + [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(WAVHeader.streaming(sampleRate: rate) == expected)
        #expect(expected.count == WAVHeader.size)
    }

    @Test("a signal source plays its signal at the position asked")
    func signalSource() throws {
        let signal = ToneSignal(sampleRate: 8000, frequency: 300, levelDBFS: -12)
        let source = SignalAudioSource(signal)
        try source.start()
        var block = [Int16](repeating: 0, count: 160)
        source.read(into: &block, at: epochSecond + 77)
        #expect(block == signal.samples(160, startingAt: epochSecond + 77))
        #expect(source.sampleRate == 8000)
    }
}
