import DecoyCore
import DecoyFaults
import DecoyMedia
import NIOCore
import NIOHTTP1
import Testing

@testable import DecoyServer

/// Byte-exact: what each media fault makes of one part, one stream head and one snapshot.
@Suite struct MediaFaultBytes {
    /// SOI, an SOS with a 4-byte header, 130 bytes of entropy-coded data and EOI. In the data:
    /// byte 0 is 0x12, bytes 60–61 a stuffed FF 00, byte 122 is 0xAA.
    static let jpeg: [UInt8] = {
        var entropy = (0..<130).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }.map { $0 == 0xFF ? 0x01 : $0 }
        entropy[0] = 0x12
        entropy[60] = 0xFF
        entropy[61] = 0x00
        entropy[122] = 0xAA
        return [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x04, 0x01, 0x02] + entropy + [0xFF, 0xD9]
    }()

    static func frame(_ jpeg: [UInt8] = jpeg) -> EncodedFrame {
        jpeg.withUnsafeBytes {
            EncodedFrame(
                sequence: 7, timeMilliseconds: 0, framesPerSecond: 10,
                variant: FrameVariant(size: PixelSize(width: 8, height: 8), quality: 50),
                jpeg: $0, allocator: ByteBufferAllocator())
        }
    }

    static func bytes(_ media: MediaFault?) -> [UInt8] {
        StreamFaults.part(frame(), media: media, allocator: ByteBufferAllocator()).flatMap {
            Array($0.readableBytesView)
        }
    }

    static let trailer = Array("\r\n--myboundary\r\n".utf8)

    @Test func anUnfaultedPartIsTheSharedBufferItself() {
        let frame = Self.frame()
        let parts = StreamFaults.part(frame, media: nil, allocator: ByteBufferAllocator())
        #expect(parts.count == 1)
        #expect(parts[0] == frame.part)
        for media in [MediaFault.missingBoundary, .wrongBoundary, .chunked, .quotedBoundary, .duplicateFrames] {
            #expect(StreamFaults.part(frame, media: media, allocator: ByteBufferAllocator()) == [frame.part])
        }
    }

    @Test func truncatedJPEGKeepsTheFirstHalfWithItsOwnLength() {
        let half = Self.jpeg.count / 2
        #expect(
            Self.bytes(.truncatedJPEG)
                == Array("Content-Type: image/jpeg\r\nContent-Length: \(half)\r\n\r\n".utf8) + Self.jpeg.prefix(half)
                + Self.trailer)
        #expect(!Self.jpeg.prefix(half).suffix(2).elementsEqual([0xFF, 0xD9]))
    }

    @Test func corruptEntropyFlipsEvery61stDataByteButNeverAMarker() {
        // Data bytes 0, 61 and 122 are due: 0 flips (0x12 ^ 0x55), 61 follows FF, 122 would become FF.
        var expected = Self.jpeg
        expected[8] = 0x12 ^ 0x55
        #expect(JPEGDamage.corruptEntropy(Self.jpeg) == expected)
        #expect(
            Self.bytes(.corruptEntropy)
                == Array("Content-Type: image/jpeg\r\nContent-Length: \(Self.jpeg.count)\r\n\r\n".utf8) + expected
                + Self.trailer)
    }

    @Test func corruptEntropyOnARealJPEGKeepsEveryMarkerAndTheLength() throws {
        let noise = (0..<(64 * 48 * 3 / 2)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let image = I420Image(size: PixelSize(width: 64, height: 48), bytes: noise)
        let jpeg = try JPEGEncoder().encode(image, quality: 80)
        let damaged = JPEGDamage.corruptEntropy(jpeg)
        #expect(damaged.count == jpeg.count)
        #expect(damaged != jpeg)
        let markers = { (bytes: [UInt8]) in
            bytes.indices.dropLast().filter { bytes[$0] == 0xFF && bytes[$0 + 1] != 0x00 }.map {
                [bytes[$0], bytes[$0 + 1]]
            }
        }
        #expect(markers(damaged) == markers(jpeg))
        #expect(JPEGDamage.corruptEntropy([0xFF, 0xD8, 0xFF, 0xD9]) == [0xFF, 0xD8, 0xFF, 0xD9], "no SOS: untouched")
    }

    @Test(arguments: [64, -10]) func lyingContentLengthSaysMoreOrLessThanSent(by: Int) {
        #expect(
            Self.bytes(.lyingContentLength(by: by))
                == Array("Content-Type: image/jpeg\r\nContent-Length: \(Self.jpeg.count + by)\r\n\r\n".utf8) + Self.jpeg
                + Self.trailer)
    }

    @Test func lfOnlyUsesBareLineFeeds() {
        #expect(
            Self.bytes(.lfOnly)
                == Array("Content-Type: image/jpeg\nContent-Length: \(Self.jpeg.count)\n\n".utf8) + Self.jpeg
                + Array("\n--myboundary\n".utf8))
        #expect(MediaFault.lfOnly.preamble == "--myboundary\n")
    }

    @Test func headAndPreambleFaults() {
        let headers: [(name: String, value: String)] = [
            ("Content-Type", MJPEGFraming.contentType), ("Cache-Control", "no-cache"),
        ]
        let value = { (media: MediaFault) in media.streamHeaders(headers).first { $0.name == "Content-Type" }?.value }
        #expect(value(.wrongBoundary) == "multipart/x-mixed-replace; boundary=--myboundary")
        #expect(value(.quotedBoundary) == "multipart/x-mixed-replace; boundary=\"myboundary\"")
        #expect(value(.truncatedJPEG) == MJPEGFraming.contentType)
        #expect(MediaFault.chunked.streamHeaders(headers).last! == ("Transfer-Encoding", "chunked"))
        #expect(MediaFault.missingBoundary.preamble == nil)
        #expect(MediaFault.wrongBoundary.preamble == "--myboundary\r\n")
    }

    static func snapshot(_ media: MediaFault?, contentType: String = "image/jpeg") -> SnapshotFaults {
        SnapshotFaults(
            media, body: ByteBuffer(bytes: jpeg), headers: HTTPHeaders([("Content-Type", contentType)]), keepAlive: true
        )
    }

    @Test func snapshotFaults() {
        let truncated = Self.snapshot(.truncatedJPEG)
        #expect(Array(truncated.body.readableBytesView) == Array(Self.jpeg.prefix(Self.jpeg.count / 2)))
        #expect(truncated.contentLength == Self.jpeg.count / 2 && truncated.keepAlive)
        #expect(Array(Self.snapshot(.corruptEntropy).body.readableBytesView) == JPEGDamage.corruptEntropy(Self.jpeg))
        let lying = Self.snapshot(.lyingContentLength(by: 64))
        #expect(lying.contentLength == Self.jpeg.count + 64 && !lying.keepAlive)
        #expect(Array(lying.body.readableBytesView) == Self.jpeg)
        let chunked = Self.snapshot(.chunked)
        #expect(chunked.contentLength == nil && chunked.extraHeaders.map(\.0) == ["Transfer-Encoding"])
        let json = Self.snapshot(.truncatedJPEG, contentType: "application/json")
        #expect(json.contentLength == Self.jpeg.count && Array(json.body.readableBytesView) == Self.jpeg)
        #expect(Self.snapshot(.duplicateFrames).contentLength == Self.jpeg.count)
    }

    @Test func everyScenarioWordNamesItsFault() {
        for name in MediaFault.names { #expect(MediaFault(name: name)?.description.hasPrefix(name) == true) }
        #expect(MediaFault(name: "lyingContentLength", by: -3) == .lyingContentLength(by: -3))
        #expect(MediaFault(name: "truncated") == nil)
    }
}
