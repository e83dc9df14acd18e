import NIOCore
import Testing

@testable import DecoyMedia
@testable import DecoyRTSP

/// G.711 µ-law, the 8 kHz resampler and PCMU packets.
@Suite struct PCMUTests {
    @Test func knownCodes() {
        #expect(MuLaw.encode(0) == 0xFF)
        #expect(MuLaw.encode(-1) == 0x7F)
        #expect(MuLaw.encode(Int16.max) == 0x80)
        #expect(MuLaw.encode(Int16.min) == 0x00)
        #expect(MuLaw.encode(1000) == 0xCE)
        #expect(MuLaw.encode(-1000) == 0x4E)
        #expect(MuLaw.decode(0xFF) == 0 && MuLaw.decode(0x80) == 32124 && MuLaw.decode(0x00) == -32124)
    }

    /// Every code decodes to a value that encodes back to it (except the two zeros), and every
    /// 16-bit sample comes back within its segment's step.
    @Test func codesRoundTripAndTheErrorStaysWithinTheStep() {
        for code in UInt8.min...UInt8.max where code != 0x7F {
            #expect(MuLaw.encode(MuLaw.decode(code)) == code, "code \(code)")
        }
        for sample in stride(from: Int(Int16.min), through: Int(Int16.max), by: 7) {
            let back = Int(MuLaw.decode(MuLaw.encode(Int16(sample))))
            let magnitude = min(abs(sample), 32635)
            let step = max(8, 1 << (Int.bitWidth - (magnitude + 132).leadingZeroBitCount - 4))
            #expect(abs(back - (sample < 0 ? -magnitude : magnitude)) <= step, "sample \(sample) came back \(back)")
        }
    }

    @Test func eightKilohertzPassesUnchanged() {
        var resampler = PCMResampler(inputRate: 8000)
        #expect(resampler.resample([1, 2, 3]) == [1, 2, 3])
    }

    @Test func halvingTakesEverySecondSampleAcrossBlocks() {
        var resampler = PCMResampler(inputRate: 16000)
        #expect(resampler.resample([0, 10, 20, 30, 40]) == [0, 20, 40])
        #expect(resampler.resample([50, 60, 70]) == [60])
        #expect(resampler.resample([80, 90, 100, 110]) == [80, 100])
    }

    @Test func anyRateGivesEightThousandSamplesASecondWithoutSeams() {
        for rate in [16000, 22050, 44100, 48000] {
            var resampler = PCMResampler(inputRate: rate)
            let ramp = (0..<rate).map { Int16(truncatingIfNeeded: $0 * 30000 / rate) }
            var output: [Int16] = []
            var start = 0
            while start < rate {
                let block = rate / 50 + (start % 3)
                output += resampler.resample(Array(ramp[start..<min(rate, start + block)]))
                start += block
            }
            #expect(abs(output.count - 8000) <= 1, "\(rate) Hz gave \(output.count)")
            #expect(zip(output, output.dropFirst()).allSatisfy { $1 >= $0 }, "\(rate) Hz: a ramp stays a ramp")
            #expect(Int(output[4000]) - 15000 < 10 && Int(output[4000]) - 15000 > -10, "\(rate) Hz mid point")
        }
    }

    @Test func aBlockIsOnePacketAndOnlyTheFirstCarriesTheMarker() throws {
        var packetizer = PCMUPacketizer(ssrc: 0x11, initialSequence: 1)
        let block = [Int16](repeating: 0, count: 160)
        let first = packetizer.packetize(samples: block, timestamp: 8000)
        let second = packetizer.packetize(samples: block, timestamp: 8160)
        #expect(first.count == 1 && second.count == 1)
        #expect(Array(first[0].readableBytesView.prefix(12)) == [0x80, 0x80, 0, 1, 0, 0, 0x1F, 0x40, 0, 0, 0, 0x11])
        #expect(Array(second[0].readableBytesView.prefix(2)) == [0x80, 0x00])
        #expect(Array(second[0].readableBytesView.dropFirst(12)) == [UInt8](repeating: 0xFF, count: 160))
    }

    @Test func aLongBlockIsSplitWithTimestampsAdvancing() throws {
        var packetizer = PCMUPacketizer(ssrc: 1, initialSequence: 0, maximumPayload: 100)
        let packets = packetizer.packetize(samples: [Int16](repeating: 100, count: 250), timestamp: UInt32.max - 10)
        let headers = try packets.map { try #require(RTPHeader(parsing: $0)) }
        #expect(headers.map(\.timestamp) == [UInt32.max - 10, 89, 189])
        #expect(packets.map(\.readableBytes) == [112, 112, 62])
    }

    @Test func hubBlocksAreLittleEndianSamples() {
        var pcm = ByteBuffer()
        for sample: Int16 in [1, -2, 300] { pcm.writeInteger(sample, endianness: .little) }
        pcm.writeInteger(UInt8(9))
        #expect(PCMUPacketizer.samples(ofLittleEndianPCM: pcm) == [1, -2, 300])
    }
}
