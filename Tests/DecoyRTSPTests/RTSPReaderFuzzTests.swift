import NIOCore
import Testing

@testable import DecoyMedia
@testable import DecoyRTSP

/// Hostile and random input to the request reader: it never crashes, never holds more than its
/// limits allow, and ends every bad stream with one error carrying the right status.
@Suite struct RTSPReaderFuzzTests {
    static let limits = RTSPReadLimits.standard

    /// Feeds `bytes` in seeded random chunks and checks the invariants after every step.
    @discardableResult
    static func feed(_ bytes: [UInt8], random: inout SplitMix64, maximumChunk: Int = 512) -> [RTSPReadEvent] {
        var reader = RTSPMessageReader(limits: limits)
        var events: [RTSPReadEvent] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + random.int(in: 1...maximumChunk))
            reader.append(contentsOf: bytes[start..<end])
            while let event = reader.next() { events.append(event) }
            #expect(reader.bufferedByteCount <= limits.maximumRequestBytes + maximumChunk)
            start = end
        }
        let failures = events.indices.filter {
            if case .failed = events[$0] { return true }
            return false
        }
        #expect(failures.count <= 1)
        #expect(failures.allSatisfy { $0 == events.count - 1 }, "nothing follows an error")
        return events
    }

    static func validRequest(_ random: inout SplitMix64, cseq: Int) -> [UInt8] {
        let methods = ["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER", "FOO"]
        let body = (0..<(random.int(in: 0...3) == 0 ? random.int(in: 1...200) : 0)).map { _ in UInt8(ascii: "b") }
        var text =
            "\(methods[random.int(in: 0...(methods.count - 1))]) rtsp://h/axis-media/media.amp?camera=1 RTSP/1.0\r\n"
        text += "CSeq: \(cseq)\r\n"
        for index in 0..<random.int(in: 0...6) { text += "X-Header-\(index): value \(random.next())\r\n" }
        if !body.isEmpty { text += "Content-Length: \(body.count)\r\n" }
        return Array((text + "\r\n").utf8) + body
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func validStreamsReadTheSameInAnyChunking(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        var requests = 0
        var frames = 0
        for cseq in 1...60 {
            if random.int(in: 0...2) == 0 {
                let length = random.int(in: 0...2000)
                bytes += [0x24, UInt8(random.int(in: 0...3)), UInt8(length >> 8), UInt8(length & 0xFF)]
                bytes += (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                frames += 1
            }
            bytes += Self.validRequest(&random, cseq: cseq)
            requests += 1
        }
        let whole = RTSPMessageReaderTests.events(bytes)
        #expect(whole.count == requests + frames)
        #expect(Self.feed(bytes, random: &random) == whole)
        #expect(Self.feed(bytes, random: &random, maximumChunk: 3) == whole)
    }

    @Test(arguments: [UInt64(21), 22, 23, 24, 25])
    func randomBytesEndInOneErrorOrWaitNeverACrash(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let bytes = (0..<random.int(in: 0...3000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let events = Self.feed(bytes, random: &random)
            for case .failed(let error) in events { #expect([400, 413, 414, 505].contains(error.status.code)) }
        }
    }

    /// A valid stream with seeded corruptions (a byte changed, a line cut, a header repeated).
    @Test(arguments: [UInt64(31), 32, 33])
    func corruptedRequestsNeverCrash(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for round in 0..<300 {
            var bytes = (1...5).flatMap { Self.validRequest(&random, cseq: $0 + round) }
            for _ in 0..<random.int(in: 1...5) {
                let at = random.int(in: 0...(bytes.count - 1))
                switch random.int(in: 0...3) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + random.int(in: 1...40)))
                case 2:
                    bytes.insert(
                        contentsOf: [UInt8](repeating: UInt8(ascii: "A"), count: random.int(in: 1...20000)), at: at)
                default: bytes.insert(contentsOf: Array("\r\n".utf8), at: at)
                }
                if bytes.isEmpty { bytes = [0x24] }
            }
            Self.feed(bytes, random: &random)
        }
    }

    @Test func slowlorisByteAtATimeIsLinearAndBounded() {
        var random = SplitMix64(seed: 41)
        let head = "DESCRIBE rtsp://h/x RTSP/1.0\r\nCSeq: 1\r\n" + String(repeating: "X-Slow: 1\r\n", count: 99)
        let events = Self.feed(Array(head.utf8), random: &random, maximumChunk: 1)
        #expect(events.isEmpty, "an unfinished head is waited for")
        let endless = Array(
            ("DESCRIBE rtsp://h/x RTSP/1.0\r\nCSeq: 1\r\nX-Long: " + String(repeating: "z", count: 20000)).utf8)
        let last = Self.feed(endless, random: &random, maximumChunk: 1).last
        guard case .failed(let error) = last else {
            Issue.record("an endless header must fail")
            return
        }
        #expect(error.kind == .headersTooLarge && error.cseq == "1")
    }

    @Test func hugeAndMissingHeaders() {
        var random = SplitMix64(seed: 51)
        let noCSeq = Self.feed(Array("PLAY rtsp://h/x RTSP/1.0\r\n\r\n".utf8), random: &random)
        guard case .request(let request) = noCSeq.first else {
            Issue.record("a request without CSeq is still a request")
            return
        }
        #expect(request.refusal == .error(.badRequest, cseq: nil))
        let huge = Array(
            ("OPTIONS * RTSP/1.0\r\nCSeq: 2\r\nX: " + String(repeating: "h", count: 1 << 20) + "\r\n\r\n").utf8)
        guard case .failed(let error) = Self.feed(huge, random: &random, maximumChunk: 65536).last else {
            Issue.record("a 1 MiB header must fail")
            return
        }
        #expect(error.status == .badRequest && error.cseq == "2")
    }

    @Test func interleavedDataBeforePlayIsReadAndLeftToTheServerToIgnore() {
        var random = SplitMix64(seed: 61)
        var bytes: [UInt8] = []
        for channel in 0..<4 { bytes += [0x24, UInt8(channel), 0xFF, 0xFF] + [UInt8](repeating: 0xEE, count: 65535) }
        bytes += Array("PLAY rtsp://h/x RTSP/1.0\r\nCSeq: 5\r\nSession: s\r\n\r\n".utf8)
        let events = Self.feed(bytes, random: &random, maximumChunk: 4096)
        #expect(events.count == 5)
        guard case .request(let play) = events.last else {
            Issue.record("PLAY after the frames")
            return
        }
        #expect(play.method == .play && play.sessionID == "s")
    }
}
