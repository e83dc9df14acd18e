import NIOCore
import Testing

@testable import DecoyMedia
@testable import DecoyRTSP

/// Sender reports out, receiver reports in.
@Suite struct RTCPTests {
    @Test func ntpTimeFromUnixMilliseconds() {
        let zero = NTPTimestamp(unixMilliseconds: 0)
        #expect(zero.seconds == 2_208_988_800 && zero.fraction == 0)
        let half = NTPTimestamp(unixMilliseconds: 1_500)
        #expect(half.seconds == 2_208_988_801 && half.fraction == 0x8000_0000)
        let late = NTPTimestamp(unixMilliseconds: 1_700_000_000_250)
        #expect(
            late.seconds == UInt32(truncatingIfNeeded: 1_700_000_000 + 2_208_988_800) && late.fraction == 0x4000_0000)
        #expect(half.middle == (2_208_988_801 & 0xFFFF) << 16 | 0x8000)
    }

    @Test func aSenderReportWithItsCNAMEIsByteExact() {
        let report = RTCPSenderReport(
            ssrc: 0x0102_0304, ntp: NTPTimestamp(unixMilliseconds: 1_500), rtpTimestamp: 0x0A0B_0C0D, packetCount: 5,
            octetCount: 6000, cname: "decoy")
        #expect(
            Array(report.encoded().readableBytesView) == [
                0x80, 200, 0, 6, 1, 2, 3, 4, 0x83, 0xAA, 0x7E, 0x81, 0x80, 0, 0, 0, 0x0A, 0x0B, 0x0C, 0x0D, 0, 0, 0, 5,
                0, 0, 0x17, 0x70,
                0x81, 202, 0, 3, 1, 2, 3, 4, 1, 5, 0x64, 0x65, 0x63, 0x6F, 0x79, 0,
            ])
    }

    @Test(arguments: ["", "abc", "abcd", "abcdefgh", String(repeating: "x", count: 300)])
    func theSDESIsPaddedToWordsAndItsLengthIsRight(cname: String) throws {
        let packet = RTCPSenderReport(
            ssrc: 1, ntp: NTPTimestamp(unixMilliseconds: 0), rtpTimestamp: 0, packetCount: 0, octetCount: 0,
            cname: cname
        ).encoded()
        #expect(packet.readableBytes % 4 == 0)
        let summary = try #require(RTCPPacketSummary(packet))
        #expect(summary.packetTypes == [200, 202] && summary.senderReports == 1)
        let name = Array(packet.readableBytesView.dropFirst(28 + 10).prefix(min(255, cname.utf8.count)))
        #expect(name == Array(cname.utf8.prefix(255)))
    }

    @Test func aReportOfAStreamTakesItsCountsAndTheClock() {
        var packetizer = H264Packetizer(ssrc: 77, initialSequence: 0)
        _ = packetizer.packetize(nalUnits: [[0x65, 1, 2, 3]], timestamp: 0)
        let clock = RTPClock(rate: 90000, offset: 10)
        let report = RTCPSenderReport(stream: packetizer.stream, clock: clock, atMilliseconds: 2000, cname: "c")
        #expect(report.ssrc == 77 && report.packetCount == 1 && report.octetCount == 4)
        #expect(report.rtpTimestamp == 180_010 && report.ntp == NTPTimestamp(unixMilliseconds: 2000))
    }

    @Test func receiverReportsFromRealClientsAreRecognised() throws {
        // An RR with no report blocks, then an SDES (what ffmpeg sends), and one with three blocks.
        let empty = ByteBuffer(bytes: [128, 201, 0, 1, 27, 117, 249, 76, 0x81, 202, 0, 2, 27, 117, 249, 76, 1, 0, 0, 0])
        let summary = try #require(RTCPPacketSummary(empty))
        #expect(summary.receiverReports == 1 && summary.packetTypes == [201, 202] && !summary.bye)
        var blocks: [UInt8] = [131, 201, 0, 19, 27, 117, 249, 76]
        for _ in 0..<3 { blocks += [UInt8](repeating: 1, count: 24) }
        #expect(try #require(RTCPPacketSummary(ByteBuffer(bytes: blocks))).receiverReports == 1)
        let bye = ByteBuffer(bytes: [128, 201, 0, 1, 1, 2, 3, 4, 129, 203, 0, 1, 1, 2, 3, 4])
        #expect(try #require(RTCPPacketSummary(bye)).bye)
    }

    @Test(arguments: [
        [UInt8](), [128, 201, 0], [0x40, 201, 0, 1, 0, 0, 0, 0], [128, 202, 0, 1, 0, 0, 0, 0],
        [0xA0, 201, 0, 1, 0, 0, 0, 0], [128, 201, 0, 5, 0, 0, 0, 0], [128, 201, 0, 1, 0, 0, 0, 0, 128],
        [0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    ])
    func garbageIsNotRTCP(bytes: [UInt8]) {
        #expect(RTCPPacketSummary(ByteBuffer(bytes: bytes)) == nil)
    }

    @Test func randomBytesNeverCrashTheReader() {
        var random = SplitMix64(seed: 3550)
        var accepted = 0
        for _ in 0..<20000 {
            var bytes = (0..<random.int(in: 0...64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if !bytes.isEmpty, random.int(in: 0...1) == 0 { bytes[0] = 0x80 | bytes[0] & 0x1F }
            if RTCPPacketSummary(ByteBuffer(bytes: bytes)) != nil { accepted += 1 }
        }
        #expect(accepted < 20000)
    }
}
