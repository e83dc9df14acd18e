import NIOCore
import Testing

@testable import DecoyMedia
@testable import DecoyRTSP

/// RFC 6184 packets: single NAL units, FU-A, markers, and a receiver getting every NAL back.
@Suite struct H264PacketizerTests {
    static let sps: [UInt8] = [0x67, 0x42, 0xC0, 0x1E, 0x95, 0xA0, 0x50, 0x7E]
    static let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]

    static func idr(_ size: Int, seed: UInt64 = 1) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return [0x65] + (1..<size).map { _ in UInt8(truncatingIfNeeded: random.next() | 1) }
    }

    @Test func aSmallNALUnitIsOnePacketWithTheMarker() {
        var packetizer = H264Packetizer(ssrc: 0x0102_0304, initialSequence: 0xFFFE)
        let packets = packetizer.packetize(nalUnits: [[0x41, 0x9A, 0x02]], timestamp: 0xA0B0_C0D0)
        #expect(packets.count == 1)
        #expect(
            Array(packets[0].readableBytesView) == [
                0x80, 0xE0, 0xFF, 0xFE, 0xA0, 0xB0, 0xC0, 0xD0, 0x01, 0x02, 0x03, 0x04, 0x41, 0x9A, 0x02,
            ])
        #expect(packetizer.stream.nextSequence == 0xFFFF)
    }

    @Test func anIDRAccessUnitSendsSPSAndPPSAloneAndMarksOnlyItsLastPacket() throws {
        var packetizer = H264Packetizer(ssrc: 7, initialSequence: 100)
        let packets = packetizer.packetize(
            nalUnits: [Self.sps[...], Self.pps[...], Self.idr(500)[...]], timestamp: 9000)
        let headers = try packets.map { try #require(RTPHeader(parsing: $0)) }
        #expect(headers.map(\.sequence) == [100, 101, 102])
        #expect(headers.map(\.marker) == [false, false, true])
        #expect(headers.allSatisfy { $0.timestamp == 9000 && $0.payloadType == 96 && $0.ssrc == 7 })
        #expect(RTPReceivers.h264AccessUnits(packets) == [[Self.sps, Self.pps, Self.idr(500)]])
    }

    @Test func aLargeNALUnitIsCutIntoFUAFragments() throws {
        var packetizer = H264Packetizer(ssrc: 7, initialSequence: 0)
        let nal: [UInt8] = [0x65] + [UInt8](repeating: 0xAB, count: 2999)
        let packets = packetizer.packetize(nalUnits: [nal], timestamp: 0)
        #expect(packets.map(\.readableBytes) == [12 + 1400, 12 + 1400, 12 + 2 + 203])
        let payloads = packets.map { Array($0.readableBytesView.dropFirst(12)) }
        #expect(payloads.map { $0[0] } == [0x7C, 0x7C, 0x7C], "FU indicator: NRI 3, type 28")
        #expect(payloads.map { $0[1] } == [0x85, 0x05, 0x45], "FU header: start, middle, end of type 5")
        #expect(try packets.map { try #require(RTPHeader(parsing: $0)).marker } == [false, false, true])
        #expect(RTPReceivers.h264AccessUnits(packets) == [[nal]])
    }

    @Test func theMTUBoundaryIsExact() {
        var packetizer = H264Packetizer(ssrc: 1, initialSequence: 0, maximumPayload: 100)
        #expect(packetizer.packetize(nalUnits: [[UInt8](repeating: 0x41, count: 100)], timestamp: 0).count == 1)
        let over = packetizer.packetize(nalUnits: [[UInt8](repeating: 0x41, count: 101)], timestamp: 0)
        #expect(over.count == 2 && over.allSatisfy { $0.readableBytes <= 12 + 100 })
        #expect(packetizer.stream.packetCount == 3)
        #expect(packetizer.stream.octetCount == 100 + (2 + 98) + (2 + 2), "payload bytes, FU headers included")
    }

    @Test func annexBIsSplitOnThreeAndFourByteStartCodes() {
        let stream: [UInt8] =
            [0xFF, 0x00, 0x00, 0x00, 0x01] + Self.sps + [0x00, 0x00, 0x01] + Self.pps + [0x00, 0x00, 0x00, 0x01]
            + [0x00, 0x00, 0x01] + [0x65, 0x88, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00]
        let units = AnnexB.nalUnits(in: stream).map { Array(stream[$0]) }
        #expect(units == [Self.sps, Self.pps, [0x65, 0x88, 0x00, 0x00, 0x03, 0x01]])
        #expect(AnnexB.nalUnits(in: [UInt8]()).isEmpty)
        #expect(AnnexB.nalUnits(in: [0x00, 0x00, 0x01]).isEmpty)
        #expect(AnnexB.nalUnits(in: [0x65, 0x01, 0x02]).isEmpty, "no start code, no NAL unit")
    }

    @Test func anAnnexBBufferGivesThePacketsItsNALUnitsGive() {
        let idr = Self.idr(3000)
        let stream = [0, 0, 0, 1] + Self.sps + [0, 0, 0, 1] + Self.pps + [0, 0, 0, 1] + idr
        var fromBytes = H264Packetizer(ssrc: 5, initialSequence: 10)
        var fromUnits = H264Packetizer(ssrc: 5, initialSequence: 10)
        #expect(
            fromBytes.packetize(annexB: ByteBuffer(bytes: stream), timestamp: 3)
                == fromUnits.packetize(nalUnits: [Self.sps, Self.pps, idr], timestamp: 3))
    }

    /// Seeded random access units of random NAL sizes around the MTU: the receiver gets every
    /// NAL unit back, one access unit per marker, sequence numbers without a gap across the wrap.
    @Test(arguments: [UInt64(1), 2, 3])
    func randomAccessUnitsRoundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var packetizer = H264Packetizer(ssrc: 9, initialSequence: 65500, maximumPayload: random.int(in: 16...1500))
        var sent: [[[UInt8]]] = []
        var packets: [ByteBuffer] = []
        for frame in 0..<40 {
            let units = (0..<random.int(in: 1...4)).map { index in
                [UInt8(index == 0 ? 0x65 : 0x41)]
                    + (0..<random.int(in: 0...4000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            sent.append(units)
            packets += packetizer.packetize(nalUnits: units, timestamp: UInt32(frame * 3000))
        }
        #expect(RTPReceivers.h264AccessUnits(packets) == sent)
        let sequences = try packets.map { try #require(RTPHeader(parsing: $0)).sequence }
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
        #expect(packets.allSatisfy { $0.readableBytes <= 12 + packetizer.maximumPayload })
    }

    @Test func emptyNALUnitsAreSkipped() {
        var packetizer = H264Packetizer(ssrc: 1, initialSequence: 0)
        #expect(packetizer.packetize(nalUnits: [[UInt8]](), timestamp: 0).isEmpty)
        let packets = packetizer.packetize(nalUnits: [[0x41, 1], []], timestamp: 0)
        #expect(packets.count == 1 && RTPHeader(parsing: packets[0])?.marker == true)
    }
}

@Suite struct RTPHeaderAndClockTests {
    @Test func aHeaderIsWrittenAndParsedBack() throws {
        let header = RTPHeader(marker: true, payloadType: 26, sequence: 513, timestamp: 0xDEAD_BEEF, ssrc: 42)
        var buffer = ByteBuffer()
        header.write(to: &buffer)
        buffer.writeBytes([1, 2, 3])
        #expect(
            Array(buffer.readableBytesView.prefix(12)) == [0x80, 0x9A, 0x02, 0x01, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 42])
        let parsed = try #require(RTPHeader.parse(buffer))
        #expect(parsed.header == header && Array(parsed.payload.readableBytesView) == [1, 2, 3])
    }

    @Test func csrcsExtensionsAndPaddingAreSkippedAndGarbageRefused() throws {
        let packet = ByteBuffer(bytes: [
            0xB1, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 9, 9, 9, 9, 0xBE, 0xDE, 0, 1, 7, 7, 7, 7, 0xAA, 0, 2,
        ])
        let parsed = try #require(RTPHeader.parse(packet))
        #expect(Array(parsed.payload.readableBytesView) == [0xAA])
        #expect(RTPHeader.parse(ByteBuffer(bytes: [0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])) == nil, "version 1")
        #expect(RTPHeader.parse(ByteBuffer(bytes: [0x80, 0, 0])) == nil)
        #expect(
            RTPHeader.parse(ByteBuffer(bytes: [0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF])) == nil, "padding too long"
        )
        #expect(RTPHeader.parse(ByteBuffer(bytes: [0x8F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])) == nil, "CSRCs missing")
    }

    @Test func videoTimestampsAre90kHzFromMilliseconds() {
        let clock = RTPClock(rate: RTPClock.videoRate, offset: 1000)
        #expect(clock.timestamp(atMilliseconds: 0) == 1000)
        #expect(clock.timestamp(atMilliseconds: 1) == 1090)
        #expect(clock.timestamp(atMilliseconds: 33) == 1000 + 2970)
        #expect(
            clock.timestamp(atMilliseconds: 1_700_000_000_000)
                == UInt32(truncatingIfNeeded: 1_700_000_000_000 * 90 + 1000))
    }

    @Test func audioTimestampsAre8kHzFromMillisecondsOrSamplePositions() {
        let clock = RTPClock(rate: RTPClock.audioRate, offset: UInt32.max)
        #expect(clock.timestamp(atMilliseconds: 20) == 159, "wraps")
        #expect(clock.timestamp(samplePosition: 160, sampleRate: 8000) == 159)
        #expect(clock.timestamp(samplePosition: 48000, sampleRate: 48000) == 7999)
        #expect(
            clock.timestamp(samplePosition: 44100 * 3600, sampleRate: 44100)
                == clock.timestamp(atMilliseconds: 3_600_000))
    }
}
