import NIOCore
import Testing

@testable import DecoyRTSP

/// Answers byte for byte as an Axis camera (gst-rtsp-server) writes them.
@Suite struct RTSPResponseTests {
    static let server = "GStreamer RTSP server"
    static let date = "Wed, 03 Jun 2015 14:23:42 GMT"
    static let session = RTSPSessionHeader(id: "Bk48Ak7wjcWaAgRD", timeoutSeconds: 60)

    private func text(_ response: RTSPResponse) -> String {
        String(buffer: response.encoded(server: Self.server, date: Self.date))
    }

    @Test func options() {
        #expect(
            text(.options(cseq: "1")) == "RTSP/1.0 200 OK\r\nCSeq: 1\r\n"
                + "Public: OPTIONS, DESCRIBE, GET_PARAMETER, PAUSE, PLAY, SETUP, SET_PARAMETER, TEARDOWN\r\n"
                + "Server: GStreamer RTSP server\r\nDate: Wed, 03 Jun 2015 14:23:42 GMT\r\n\r\n")
    }

    @Test func describeCarriesTheSDPWithItsLengthLast() {
        let sdp = "v=0\r\n"
        #expect(
            text(.describe(cseq: "3", contentBase: "rtsp://192.168.0.3/axis-media/media.amp/", sdp: sdp))
                == "RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Type: application/sdp\r\n"
                + "Content-Base: rtsp://192.168.0.3/axis-media/media.amp/\r\nServer: GStreamer RTSP server\r\n"
                + "Date: Wed, 03 Jun 2015 14:23:42 GMT\r\nContent-Length: 5\r\n\r\nv=0\r\n")
    }

    @Test func setup() {
        let transport = "RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=1A2B3C4D;mode=\"PLAY\""
        #expect(
            text(.setup(cseq: "4", transport: transport, session: Self.session))
                == "RTSP/1.0 200 OK\r\nCSeq: 4\r\nTransport: \(transport)\r\nServer: GStreamer RTSP server\r\n"
                + "Session: Bk48Ak7wjcWaAgRD;timeout=60\r\nDate: Wed, 03 Jun 2015 14:23:42 GMT\r\n\r\n")
    }

    @Test func playMatchesAnAxisCameraHeaderForHeader() {
        let info = RTPInfoEntry(
            url: "rtsp://192.168.0.3/axis-media/media.amp/stream=0?resolution=176x144&fps=1", sequence: 10176,
            rtpTime: 2_419_713_327)
        #expect(
            text(.play(cseq: "5", rtpInfo: [info], session: Self.session))
                == "RTSP/1.0 200 OK\r\nCSeq: 5\r\n"
                + "RTP-Info: url=rtsp://192.168.0.3/axis-media/media.amp/stream=0?resolution=176x144&fps=1;seq=10176;rtptime=2419713327\r\n"
                + "Range: npt=now-\r\nServer: GStreamer RTSP server\r\nSession: Bk48Ak7wjcWaAgRD;timeout=60\r\n"
                + "Date: Wed, 03 Jun 2015 14:23:42 GMT\r\n\r\n")
    }

    @Test func playWithTwoTracksListsBoth() {
        let response = RTSPResponse.play(
            cseq: "6",
            rtpInfo: [
                RTPInfoEntry(url: "rtsp://h/a/stream=0", sequence: 1, rtpTime: 2),
                RTPInfoEntry(url: "rtsp://h/a/stream=1", sequence: 65535, rtpTime: 4_294_967_295),
            ], session: Self.session)
        #expect(
            response.headers["RTP-Info"]
                == "url=rtsp://h/a/stream=0;seq=1;rtptime=2,url=rtsp://h/a/stream=1;seq=65535;rtptime=4294967295")
    }

    @Test func teardownSaysTheConnectionCloses() {
        #expect(
            text(.teardown(cseq: "7", session: Self.session))
                == "RTSP/1.0 200 OK\r\nCSeq: 7\r\nServer: GStreamer RTSP server\r\n"
                + "Session: Bk48Ak7wjcWaAgRD;timeout=60\r\nConnection: close\r\nDate: Wed, 03 Jun 2015 14:23:42 GMT\r\n\r\n"
        )
    }

    @Test func unauthorizedCarriesEveryChallengeInOrder() {
        let digest = "Digest realm=\"AXIS_ACCC8E000000\", nonce=\"abc\", algorithm=MD5, qop=\"auth\""
        #expect(
            text(.unauthorized(cseq: "2", challenges: [digest, "Basic realm=\"AXIS_ACCC8E000000\""]))
                == "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: \(digest)\r\n"
                + "WWW-Authenticate: Basic realm=\"AXIS_ACCC8E000000\"\r\nServer: GStreamer RTSP server\r\n"
                + "Date: Wed, 03 Jun 2015 14:23:42 GMT\r\n\r\n")
    }

    @Test(arguments: [
        (RTSPStatus.badRequest, "400 Bad Request"), (.forbidden, "403 Forbidden"), (.notFound, "404 Not Found"),
        (.sessionNotFound, "454 Session Not Found"), (.methodNotValidInThisState, "455 Method Not Valid in This State"),
        (.aggregateOperationNotAllowed, "459 Aggregate operation not allowed"),
        (.onlyAggregateOperationAllowed, "460 Only aggregate operation allowed"),
        (.unsupportedTransport, "461 Unsupported transport"), (.internalServerError, "500 Internal Server Error"),
        (.notImplemented, "501 Not Implemented"), (.serviceUnavailable, "503 Service Unavailable"),
        (.versionNotSupported, "505 RTSP Version not supported"), (.optionNotSupported, "551 Option not supported"),
    ])
    func errorsCarryTheirStatusLineAndCSeqButNoSession(status: RTSPStatus, line: String) {
        #expect(
            text(.error(status, cseq: "8"))
                == "RTSP/1.0 \(line)\r\nCSeq: 8\r\nServer: GStreamer RTSP server\r\nDate: Wed, 03 Jun 2015 14:23:42 GMT\r\n\r\n"
        )
    }

    @Test func anAnswerToARequestWithoutCSeqHasNone() {
        #expect(!text(.error(.badRequest, cseq: nil)).contains("CSeq"))
    }

    @Test func methodNotAllowedListsWhatIsAllowed() {
        #expect(RTSPResponse.methodNotAllowed(cseq: "1").headers["Allow"] == RTSPMethod.publicHeaderValue)
    }
}

/// What is refused before anything is looked up.
@Suite struct RTSPRequestRefusalTests {
    private func request(_ method: RTSPMethod, _ headers: RTSPHeaders) -> RTSPRequest {
        RTSPRequest(method: method, target: "rtsp://h/x", headers: headers)
    }

    @Test func aWellFormedRequestGoesOn() {
        for method in RTSPMethod.served { #expect(request(method, [("CSeq", "1")]).refusal == nil) }
    }

    @Test func noCSeqIsABadRequestWithoutCSeq() {
        #expect(request(.options, []).refusal == .error(.badRequest, cseq: nil))
        #expect(request(.options, [("CSeq", "one")]).refusal == .error(.badRequest, cseq: "one"))
        #expect(request(.options, [("CSeq", "")]).refusal?.status == .badRequest)
    }

    @Test func unknownMethodsAre501AndPublishingIs405() {
        #expect(request(.other("REDIRECT"), [("CSeq", "2")]).refusal == .error(.notImplemented, cseq: "2"))
        #expect(request(.announce, [("CSeq", "3")]).refusal == .methodNotAllowed(cseq: "3"))
        #expect(request(.record, [("CSeq", "3")]).refusal?.status == .methodNotAllowed)
    }

    @Test func requiredOptionsAre551AndListed() {
        let refusal = request(.setup, [("CSeq", "4"), ("Require", "play.basic, com.example"), ("Proxy-Require", "x")])
            .refusal
        #expect(refusal == .optionNotSupported(cseq: "4", options: ["play.basic", "com.example", "x"]))
        #expect(refusal?.headers["Unsupported"] == "play.basic, com.example, x")
    }
}
