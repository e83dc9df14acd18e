import CTurboJPEG
import NIOCore
import Testing

@testable import DecoyMedia
@testable import DecoyRTSP

/// RFC 2435 packets from real encoders' JPEGs, rebuilt by an independent receiver and decoded
/// to the very pixels the original decodes to.
@Suite struct JPEGPacketizerTests {
    static func decoyJPEG(width: Int = 640, height: Int = 480, quality: Int = 80) throws -> [UInt8] {
        try JPEGEncoder().encode(TestPictures.image(width: width, height: height), quality: quality)
    }

    static func frame(_ jpeg: [UInt8]) throws -> RTPJPEGFrame {
        try jpeg.withUnsafeBytes { bytes in try RTPJPEGFrame.parse(bytes) }
    }

    /// The packets of `jpeg` rebuilt into a JPEG that must decode to the same picture.
    static func expectRoundTrip(_ jpeg: [UInt8], maximumPayload: Int = 1400) throws {
        var packetizer = JPEGPacketizer(ssrc: 3, initialSequence: 0, maximumPayload: maximumPayload)
        let packets = try packetizer.packetize(jpeg: ByteBuffer(bytes: jpeg), timestamp: 4500)
        let rebuilt = RTPReceivers.jpeg(packets)
        let decoder = try JPEGDecoder()
        let original = try jpeg.withUnsafeBytes { try decoder.decodeToI420($0) }
        let received = try rebuilt.withUnsafeBytes { try decoder.decodeToI420($0) }
        #expect(received == original)
    }

    @Test func decoysOwnJPEGIsType1WithItsTablesAndScan() throws {
        let jpeg = try Self.decoyJPEG()
        let frame = try Self.frame(jpeg)
        #expect(frame.type == 1 && frame.width == 640 && frame.height == 480 && frame.restartInterval == 0)
        #expect(frame.quantizationTables.count == 128)
        #expect(frame.scan.upperBound == jpeg.count - 2, "EOI left out")
        let dqt = try #require(jpeg.indices.first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xDB })
        #expect(Array(jpeg[(dqt + 5)..<(dqt + 69)]) == Array(frame.quantizationTables.prefix(64)))
        #expect(Array(jpeg[frame.scan.lowerBound - 14..<frame.scan.lowerBound].prefix(2)) == [0xFF, 0xDA])
    }

    @Test func packetsCarryHeadersOffsetsAndTablesOnlyFirst() throws {
        let jpeg = try Self.decoyJPEG()
        let frame = try Self.frame(jpeg)
        var packetizer = JPEGPacketizer(ssrc: 0xCAFE, initialSequence: 7)
        let packets = try packetizer.packetize(jpeg: ByteBuffer(bytes: jpeg), timestamp: 90000)
        var offset = 0
        for (index, packet) in packets.enumerated() {
            let (header, payload) = try #require(RTPHeader.parse(packet))
            let bytes = Array(payload.readableBytesView)
            #expect(header.payloadType == 26 && header.timestamp == 90000 && header.sequence == UInt16(7 + index))
            #expect(header.marker == (index == packets.count - 1))
            #expect(bytes.count <= 1400)
            #expect(
                Array(bytes[0..<8]) == [
                    0, UInt8(offset >> 16), UInt8(offset >> 8 & 0xFF), UInt8(offset & 0xFF), 1, 255, 80, 60,
                ])
            let headerSize = index == 0 ? 8 + 4 + 128 : 8
            if index == 0 { #expect(Array(bytes[8..<12]) == [0, 0, 0, 128]) }
            #expect(
                Array(bytes[headerSize...])
                    == Array(jpeg[(frame.scan.lowerBound + offset)...].prefix(bytes.count - headerSize)))
            offset += bytes.count - headerSize
        }
        #expect(offset == frame.scan.count)
        #expect(packetizer.stream.packetCount == UInt32(packets.count))
    }

    @Test(arguments: [300, 1400, 60000])
    func decoysJPEGRoundTripsAtAnyPayloadLimit(limit: Int) throws {
        try Self.expectRoundTrip(try Self.decoyJPEG(), maximumPayload: limit)
    }

    @Test func aFourTwoTwoWebcamStyleJPEGIsType0AndRoundTrips() throws {
        let jpeg = TestPictures.jpeg(width: 320, height: 240, subsampling: TJSAMP_422)
        #expect(try Self.frame(jpeg).type == 0)
        try Self.expectRoundTrip(jpeg)
    }

    @Test func restartMarkersMakeType65WithARestartHeaderInEveryPacket() throws {
        let jpeg = JPEGFixtures.restartMarkers420
        let frame = try Self.frame(jpeg)
        #expect(frame.type == 65 && frame.restartInterval == 2 && frame.width == 32 && frame.height == 32)
        #expect(frame.quantizationTables.prefix(64) == frame.quantizationTables.suffix(64), "one table serves both")
        var packetizer = JPEGPacketizer(ssrc: 1, initialSequence: 0, maximumPayload: 256)
        let packets = try packetizer.packetize(jpeg: ByteBuffer(bytes: jpeg), timestamp: 0)
        #expect(packets.count > 1)
        for packet in packets {
            let payload = try #require(RTPHeader.parse(packet)).payload
            #expect(
                Array(payload.readableBytesView[payload.readerIndex + 4..<payload.readerIndex + 12]) == [
                    65, 255, 4, 4, 0, 2, 0xFF, 0xFF,
                ])
        }
        try Self.expectRoundTrip(jpeg, maximumPayload: 256)
    }

    @Test func sizesTravelInEighthsUpTo2040() {
        #expect(RTPJPEGHeader.eighths(640) == 80)
        #expect(RTPJPEGHeader.eighths(642) == 81, "a partial block counts")
        #expect(RTPJPEGHeader.eighths(2040) == 255)
        #expect(RTPJPEGHeader.eighths(2048) == 0, "too large: the SDP says the size")
    }

    @Test func whatRTPJPEGCannotCarryIsRefusedWithAReason() throws {
        let gray = TestPictures.jpeg(width: 64, height: 64, subsampling: TJSAMP_GRAY)
        let full = TestPictures.jpeg(width: 64, height: 64, subsampling: TJSAMP_444)
        var progressive = try Self.decoyJPEG(width: 64, height: 64)
        let sof = try #require(progressive.indices.first { progressive[$0] == 0xFF && progressive[$0 + 1] == 0xC0 })
        progressive[sof + 1] = 0xC2
        var optimised = try Self.decoyJPEG(width: 64, height: 64)
        let dht = try #require(optimised.indices.first { optimised[$0] == 0xFF && optimised[$0 + 1] == 0xC4 })
        optimised[dht + 4 + 1 + 16] ^= 0x01
        let cases: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "no SOI"), (gray, "three components"), (full, "4:2:2 and 4:2:0"),
            (progressive, "baseline"), (optimised, "Huffman"), ([0xFF, 0xD8, 0xFF, 0xD9], "no scan"),
            ([0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00], "past the end"), ([0xFF, 0xD8, 0x00, 0x00], "no JPEG marker"),
        ]
        for (bytes, words) in cases {
            #expect(throws: RTPJPEGError.self) { try Self.frame(bytes) }
            do {
                _ = try Self.frame(bytes)
            } catch let error as RTPJPEGError {
                #expect(error.reason.contains(words), "\(error.reason)")
            }
        }
    }

    @Test func aRefusedPictureSendsNothingAndKeepsTheSequence() throws {
        var packetizer = JPEGPacketizer(ssrc: 1, initialSequence: 5)
        #expect(throws: RTPJPEGError.self) {
            try packetizer.packetize(jpeg: ByteBuffer(bytes: [0xFF, 0xD8]), timestamp: 0)
        }
        #expect(packetizer.stream.nextSequence == 5 && packetizer.stream.packetCount == 0)
    }

    /// Seeded corruptions of a valid JPEG: every one is either packetized or refused, never a crash.
    @Test func corruptedJPEGsNeverCrashTheParser() throws {
        let jpeg = try Self.decoyJPEG(width: 64, height: 48)
        var random = SplitMix64(seed: 2435)
        var packetizer = JPEGPacketizer(ssrc: 1, initialSequence: 0)
        var refused = 0
        for _ in 0..<2000 {
            var bytes = Array(jpeg.prefix(random.int(in: 0...jpeg.count)))
            for _ in 0..<random.int(in: 0...4) where !bytes.isEmpty {
                bytes[random.int(in: 0...(bytes.count - 1))] = UInt8(truncatingIfNeeded: random.next())
            }
            do {
                _ = try packetizer.packetize(jpeg: ByteBuffer(bytes: bytes), timestamp: 0)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 0 && refused < 2000)
    }
}
