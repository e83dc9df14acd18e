import NIOCore
import Testing

@testable import DecoyRTSP

/// The same-port decision: RTSP request lines go to RTSP, everything else to HTTP, as early as
/// the bytes allow.
@Suite struct RTSPSnifferTests {
    private func verdict(_ text: String) -> RTSPSniffer.Verdict {
        RTSPSniffer.firstBytesLookLikeRTSP(Array(text.utf8))
    }

    @Test func everyMethodWithAnRTSPOrRTSPSURLIsRTSP() {
        for method in RTSPSniffer.methods {
            #expect(verdict("\(method) rtsp://host/axis-media/media.amp RTSP/1.0\r\n") == .rtsp, "\(method)")
            #expect(verdict("\(method) rtsps://host:8083/x RTSP/1.0\r\n") == .rtsp, "\(method) rtsps")
        }
    }

    @Test func theSchemeIsCaseInsensitiveButTheMethodIsNot() {
        #expect(verdict("DESCRIBE RTSP://host/x RTSP/1.0\r\n") == .rtsp)
        #expect(verdict("DESCRIBE Rtsps://host/x RTSP/1.0\r\n") == .rtsp)
        #expect(verdict("describe rtsp://host/x RTSP/1.0\r\n") == .http)
    }

    @Test func itDecidesAtTheLastByteOfTheSchemeNotLater() {
        #expect(verdict("OPTIONS rtsp:/") == .needMoreBytes)
        #expect(verdict("OPTIONS rtsp://") == .rtsp)
        #expect(verdict("SET_PARAMETER rtsps:/") == .needMoreBytes)
        #expect(verdict("SET_PARAMETER rtsps://") == .rtsp)
        #expect(RTSPSniffer.bytesNeeded == "SET_PARAMETER rtsps://".utf8.count)
    }

    @Test func everyPrefixOfAnRTSPLineWaitsAndNothingLongerIsNeeded() {
        let line = "GET_PARAMETER rtsp://10.0.0.1:554/axis-media/media.amp RTSP/1.0\r\n"
        let bytes = Array(line.utf8)
        let decidedAt = "GET_PARAMETER rtsp://".utf8.count
        for length in 0..<decidedAt {
            #expect(RTSPSniffer.firstBytesLookLikeRTSP(Array(bytes.prefix(length))) == .needMoreBytes)
        }
        for length in decidedAt...bytes.count {
            #expect(RTSPSniffer.firstBytesLookLikeRTSP(Array(bytes.prefix(length))) == .rtsp)
        }
    }

    /// Each HTTP request is decided by the byte given, never after it.
    @Test(arguments: [
        ("GET / HTTP/1.1\r\n", 4), ("GET /axis-cgi/mjpg/video.cgi HTTP/1.1\r\n", 4), ("POST /api HTTP/1.1\r\n", 2),
        ("PUT /x HTTP/1.1\r\n", 2), ("HEAD / HTTP/1.0\r\n", 1), ("DELETE /x HTTP/1.1\r\n", 3),
        ("PATCH /x HTTP/1.1\r\n", 3), ("TRACE / HTTP/1.1\r\n", 2), ("CONNECT a:1 HTTP/1.1\r\n", 1),
        ("OPTIONS * HTTP/1.1\r\n", 9), ("OPTIONS / HTTP/1.1\r\n", 9), ("PLAY /x HTTP/1.1\r\n", 6),
        ("\u{16}\u{03}\u{01}", 1), ("", 0),
    ])
    func httpIsDecidedEarly(request: String, decidingByte: Int) {
        let bytes = Array(request.utf8)
        for length in 0..<decidingByte {
            #expect(
                RTSPSniffer.firstBytesLookLikeRTSP(Array(bytes.prefix(length))) == .needMoreBytes, "\(length) bytes")
        }
        for length in decidingByte...bytes.count where length > 0 {
            #expect(RTSPSniffer.firstBytesLookLikeRTSP(Array(bytes.prefix(length))) == .http, "\(length) bytes")
        }
    }

    @Test func aTargetThatIsNotAnRTSPURLIsHTTPEvenWithAnRTSPMethod() {
        #expect(verdict("DESCRIBE /axis-media/media.amp RTSP/1.0\r\n") == .http)
        #expect(verdict("DESCRIBE http://host/ RTSP/1.0\r\n") == .http)
        #expect(verdict("DESCRIBE  rtsp://host/ RTSP/1.0\r\n") == .http, "two spaces")
    }

    @Test func aByteBufferIsReadWithoutBeingConsumed() {
        let buffer = ByteBuffer(string: "PLAY rtsp://h/x RTSP/1.0\r\n")
        #expect(RTSPSniffer.firstBytesLookLikeRTSP(buffer) == .rtsp)
        #expect(buffer.readableBytes == 26)
    }
}
