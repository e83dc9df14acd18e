import NIOCore
import Testing

@testable import DecoyRTSP

/// Reading requests and interleaved frames from a connection's bytes, however they are split.
@Suite struct RTSPMessageReaderTests {
    static let describe =
        "DESCRIBE rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264 RTSP/1.0\r\nCSeq: 2\r\n"
        + "Accept: application/sdp\r\nUser-Agent: LibVLC/3.0.18 (LIVE555 Streaming Media v2016.11.28)\r\n\r\n"

    /// Every event `bytes` give when appended in `chunks`-sized pieces.
    static func events(_ bytes: [UInt8], chunk: Int = .max, limits: RTSPReadLimits = .standard) -> [RTSPReadEvent] {
        var reader = RTSPMessageReader(limits: limits)
        var events: [RTSPReadEvent] = []
        var start = 0
        repeat {
            let end = min(bytes.count, start + max(1, min(chunk, bytes.count)))
            reader.append(contentsOf: bytes[start..<end])
            while let event = reader.next() { events.append(event) }
            start = end
        } while start < bytes.count
        return events
    }

    static func events(_ text: String, chunk: Int = .max) -> [RTSPReadEvent] { events(Array(text.utf8), chunk: chunk) }

    static func onlyError(_ events: [RTSPReadEvent]) -> RTSPReadError? {
        guard events.count == 1, case .failed(let error) = events[0] else { return nil }
        return error
    }

    @Test func aDescribeIsReadWithItsHeadersInOrder() throws {
        let events = Self.events(Self.describe)
        guard case .request(let request) = try #require(events.first), events.count == 1 else {
            Issue.record("events: \(events)")
            return
        }
        #expect(request.method == .describe)
        #expect(request.target == "rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264")
        #expect(request.cseq == "2")
        #expect(request.headers.fields.map(\.name) == ["CSeq", "Accept", "User-Agent"])
        #expect(request.headers["accept"] == "application/sdp")
        #expect(request.body.isEmpty)
    }

    @Test func aBodyIsReadByContentLength() {
        let text =
            "SET_PARAMETER rtsp://h/x RTSP/1.0\r\nCSeq: 9\r\nContent-Length: 11\r\n\r\nbarparam: 1OPTIONS * RTSP/1.0\r\nCSeq: 10\r\n\r\n"
        let events = Self.events(text)
        #expect(events.count == 2)
        guard case .request(let first) = events[0], case .request(let second) = events[1] else { return }
        #expect(first.method == .setParameter)
        #expect(first.body == Array("barparam: 1".utf8))
        #expect(second.method == .options && second.target == "*" && second.cseq == "10")
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let text = (1...5).map { "OPTIONS rtsp://h/x RTSP/1.0\r\nCSeq: \($0)\r\n\r\n" }.joined()
        let cseqs = Self.events(text).compactMap { event -> String? in
            if case .request(let request) = event { return request.cseq }
            return nil
        }
        #expect(cseqs == ["1", "2", "3", "4", "5"])
    }

    @Test func byteAtATimeGivesWhatOneReadGives() {
        let frame: [UInt8] = [0x24, 1, 0, 4, 0x80, 0xC9, 0, 1]
        let bytes =
            Array(Self.describe.utf8) + frame
            + Array("PLAY rtsp://h/x RTSP/1.0\r\nCSeq: 3\r\nSession: abc\r\n\r\n".utf8)
        let whole = Self.events(bytes)
        #expect(whole.count == 3)
        for chunk in [1, 2, 3, 7, 64] { #expect(Self.events(bytes, chunk: chunk) == whole, "chunks of \(chunk)") }
    }

    @Test func interleavedFramesBetweenRequestsAreReturnedAsFrames() {
        var bytes: [UInt8] = [0x24, 0, 0, 3, 1, 2, 3]
        bytes += Array("GET_PARAMETER rtsp://h/x RTSP/1.0\r\nCSeq: 4\r\n\r\n".utf8)
        bytes += [0x24, 1, 0, 0]
        let events = Self.events(bytes)
        #expect(events.count == 3)
        #expect(events.first == .interleaved(InterleavedFrame(channel: 0, payload: ByteBuffer(bytes: [1, 2, 3]))))
        #expect(events.last == .interleaved(InterleavedFrame(channel: 1, payload: ByteBuffer())))
    }

    @Test func bareLineFeedsFoldedHeadersAndBlankLinesBetweenRequestsAreTolerated() {
        let text =
            "\r\n\r\nSETUP rtsp://h/x/stream=0 RTSP/1.0\nCSeq: 3\nTransport: RTP/AVP/TCP;\n\tunicast;interleaved=0-1\n\n"
        guard case .request(let request) = Self.events(text).first else {
            Issue.record("no request")
            return
        }
        #expect(request.headers["Transport"] == "RTP/AVP/TCP; unicast;interleaved=0-1")
    }

    @Test func theSessionIDIsReadWithoutItsTimeout() {
        let request = RTSPRequest(method: .play, target: "*", headers: [("Session", " 1234ABCD ;timeout=60")])
        #expect(request.sessionID == "1234ABCD")
        #expect(RTSPRequest(method: .play, target: "*", headers: [("Session", ";timeout=60")]).sessionID == nil)
    }

    @Test func anUnknownMethodIsARequestNotAFramingError() {
        guard case .request(let request) = Self.events("REDIRECT rtsp://h/x RTSP/1.0\r\nCSeq: 1\r\n\r\n").first else {
            Issue.record("no request")
            return
        }
        #expect(request.method == .other("REDIRECT"))
    }

    @Test func aRequestLineOverTheLimitIs414AtTheFirstByteTooMany() {
        let limit = RTSPReadLimits.standard.requestLineBytes
        let exact = "DESCRIBE rtsp://h/" + String(repeating: "a", count: limit - 27) + " RTSP/1.0"
        #expect(exact.utf8.count == limit)
        #expect(Self.onlyError(Self.events(exact + "\r\nCSeq: 1\r\n\r\n")) == nil)
        var reader = RTSPMessageReader()
        reader.append(
            contentsOf: Array(("DESCRIBE rtsp://h/" + String(repeating: "a", count: limit)).utf8).prefix(limit))
        #expect(reader.next() == nil, "exactly the limit, no line end yet")
        reader.append(contentsOf: [UInt8(ascii: "\r")])
        #expect(reader.next() == nil, "a CR may still end the line")
        reader.append(contentsOf: [UInt8(ascii: "a")])
        guard case .failed(let error) = reader.next() else {
            Issue.record("no error")
            return
        }
        #expect(error.kind == .requestLineTooLong && error.status.code == 414 && error.cseq == nil)
    }

    @Test func headersOverTheByteLimitAre400WithTheCSeqEchoed() throws {
        let huge =
            "OPTIONS rtsp://h/x RTSP/1.0\r\nCSeq: 7\r\nX-Big: " + String(repeating: "b", count: 20000) + "\r\n\r\n"
        let error = try #require(Self.onlyError(Self.events(huge)))
        #expect(error.kind == .headersTooLarge && error.status == .badRequest && error.cseq == "7")
    }

    @Test func moreThanAHundredFieldsAre400() throws {
        let fields = (0..<101).map { "X-\($0): v\r\n" }.joined()
        let error = try #require(Self.onlyError(Self.events("OPTIONS * RTSP/1.0\r\nCSeq: 5\r\n" + fields + "\r\n")))
        #expect(error.kind == .tooManyHeaderFields && error.cseq == "5")
        let hundred = (0..<99).map { "X-\($0): v\r\n" }.joined()
        #expect(Self.onlyError(Self.events("OPTIONS * RTSP/1.0\r\nCSeq: 5\r\n" + hundred + "\r\n")) == nil)
    }

    @Test(arguments: [
        ("DESCRIBE rtsp://h/x HTTP/1.1\r\n\r\n", RTSPReadError.Kind.malformedRequestLine, 400),
        ("DESCRIBE rtsp://h/x RTSP/2.0\r\nCSeq: 3\r\n\r\n", .unsupportedVersion, 505),
        ("DESCRIBE rtsp://h/x\r\n\r\n", .malformedRequestLine, 400),
        ("DESCRIBE http://h/x RTSP/1.0\r\n\r\n", .malformedRequestLine, 400),
        ("DESC(RIBE rtsp://h/x RTSP/1.0\r\n\r\n", .malformedRequestLine, 400),
        ("DESCRIBE rtsp://h/\u{7F} RTSP/1.0\r\n\r\n", .malformedRequestLine, 400),
        ("OPTIONS * RTSP/1.0\r\nCSeq 1\r\n\r\n", .malformedHeader, 400),
        ("OPTIONS * RTSP/1.0\r\n CSeq: 1\r\n\r\n", .malformedHeader, 400),
        ("OPTIONS * RTSP/1.0\r\nCSeq: 1\u{01}\r\n\r\n", .malformedHeader, 400),
        ("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: -1\r\n\r\n", .invalidContentLength, 400),
        ("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", .invalidContentLength, 400),
        ("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 65537\r\n\r\n", .bodyTooLarge, 413),
    ])
    func malformedHeadsGetTheirStatus(text: String, kind: RTSPReadError.Kind, code: Int) throws {
        let error = try #require(Self.onlyError(Self.events(text)))
        #expect(error.kind == kind)
        #expect(error.status.code == code)
        #expect(!error.reason.isEmpty)
    }

    @Test func theCSeqIsFoundEvenWhenTheRequestLineIsBad() throws {
        let error = try #require(Self.onlyError(Self.events("DESCRIBE rtsp://h/x RTSP/2.0\r\nCSeq: 12\r\n\r\n")))
        #expect(error.cseq == "12")
        #expect(error.response.cseq == "12" && error.response.status == .versionNotSupported)
    }

    @Test func binaryGarbageFailsAtItsFirstBadByte() throws {
        var reader = RTSPMessageReader()
        reader.append(contentsOf: [UInt8(ascii: "O"), 0x00] + [UInt8](repeating: 0x41, count: 5000))
        guard case .failed(let error) = reader.next() else {
            Issue.record("no error")
            return
        }
        #expect(error.kind == .malformedRequestLine)
        #expect(reader.bufferedByteCount == 0 && reader.hasFailed)
        reader.append(contentsOf: Array(Self.describe.utf8))
        #expect(reader.next() == nil && reader.bufferedByteCount == 0, "nothing is read after a failure")
    }

    @Test func aRequestWithoutItsEndIsWaitedForNotInvented() {
        #expect(Self.events("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n").isEmpty)
        #expect(Self.events("SET_PARAMETER * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 10\r\n\r\nabc").isEmpty)
        #expect(Self.events([0x24, 0, 0, 10, 1, 2]).isEmpty)
    }
}
