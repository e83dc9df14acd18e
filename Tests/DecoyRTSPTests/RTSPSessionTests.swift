import Testing

@testable import DecoyMedia
@testable import DecoyRTSP

/// The session state machine: every method in every state, aggregate control, expiry.
@Suite struct RTSPSessionTests {
    static let presentation = RTSPPresentation(
        scheme: "rtsp", authority: "h", path: "/axis-media/media.amp", query: "camera=1&audio=1")
    static let aggregate = RTSPControlTarget(presentation: presentation, track: nil)
    static func track(_ index: Int) -> RTSPControlTarget { RTSPControlTarget(presentation: presentation, track: index) }
    static let tcp = "RTP/AVP/TCP;unicast;interleaved=0-1"

    /// A session with tracks 0 (and 1 if `tracks` is 2) set up over TCP, in Ready, at t = 1000 ms.
    static func ready(tracks: Int = 1) throws -> RTSPSession {
        var (session, _) = try RTSPSession.start(
            id: "abc", target: track(0), trackCount: tracks, transportHeader: tcp, atMilliseconds: 1000
        ).get()
        if tracks == 2 {
            _ = try session.setup(
                target: track(1), trackCount: 2, transportHeader: "RTP/AVP/TCP;unicast;interleaved=2-3",
                atMilliseconds: 1000
            ).get()
        }
        return session
    }

    static func playing(tracks: Int = 1) throws -> RTSPSession {
        var session = try ready(tracks: tracks)
        #expect(session.play(target: aggregate, atMilliseconds: 1000) == .ok)
        return session
    }

    @Test func withoutASessionOnlySessionMethodsAreRefused() {
        for method in [RTSPMethod.play, .pause, .teardown] {
            #expect(RTSPSession.refusalWithoutSession(method, body: []) == .sessionNotFound)
        }
        for method in [RTSPMethod.options, .describe, .setup, .getParameter, .setParameter] {
            #expect(RTSPSession.refusalWithoutSession(method, body: []) == nil)
        }
        #expect(
            RTSPSession.refusalWithoutSession(.getParameter, body: Array("position\r\n".utf8))
                == .parameterNotUnderstood)
    }

    @Test func setupStartsAReadySessionWithItsTrack() throws {
        let session = try Self.ready()
        #expect(session.phase == .ready)
        #expect(session.tracks == [0: RTSPTransportChoice(delivery: .tcp(rtpChannel: 0, rtcpChannel: 1))])
        #expect(session.header.value == "abc;timeout=60")
        #expect(session.channelsInUse == [0, 1])
    }

    @Test func setupOfTheAggregateIsTrackZeroOnlyForASingleTrackPresentation() throws {
        let single = try RTSPSession.start(
            id: "a", target: Self.aggregate, trackCount: 1, transportHeader: Self.tcp, atMilliseconds: 0
        ).get()
        #expect(single.track == 0)
        let several = RTSPSession.start(
            id: "a", target: Self.aggregate, trackCount: 2, transportHeader: Self.tcp, atMilliseconds: 0)
        #expect(several.map(\.track) == .failure(.aggregateOperationNotAllowed))
    }

    @Test func setupRefusals() throws {
        let missing = RTSPSession.start(
            id: "a", target: Self.track(2), trackCount: 2, transportHeader: Self.tcp, atMilliseconds: 0)
        #expect(missing.map(\.track) == .failure(.notFound))
        let noTransport = RTSPSession.start(
            id: "a", target: Self.track(0), trackCount: 1, transportHeader: nil, atMilliseconds: 0)
        #expect(noTransport.map(\.track) == .failure(.unsupportedTransport))
        var session = try Self.ready(tracks: 1)
        let other = RTSPControlTarget(
            presentation: RTSPPresentation(scheme: "rtsp", authority: "h", path: "/other", query: nil), track: 0)
        #expect(
            session.setup(target: other, trackCount: 1, transportHeader: Self.tcp, atMilliseconds: 0)
                == .failure(.aggregateOperationNotAllowed))
        var playing = try Self.playing()
        #expect(
            playing.setup(target: Self.track(0), trackCount: 1, transportHeader: Self.tcp, atMilliseconds: 0)
                == .failure(.methodNotValidInThisState))
    }

    @Test func aSecondTrackGetsFreeChannelsAndASetupAgainReplacesItsTransport() throws {
        var session = try Self.ready(tracks: 2)
        #expect(session.channelsInUse == [0, 1, 2, 3])
        let again = session.setup(
            target: Self.track(1), trackCount: 2, transportHeader: "RTP/AVP/TCP;interleaved=2-3", atMilliseconds: 0)
        #expect(again == .success(1))
        #expect(session.tracks[1] == RTSPTransportChoice(delivery: .tcp(rtpChannel: 2, rtcpChannel: 3)))
        _ = session.setup(
            target: Self.track(1), trackCount: 2, transportHeader: "RTP/AVP/TCP;interleaved=0-1", atMilliseconds: 0)
        #expect(session.tracks[1] == RTSPTransportChoice(delivery: .tcp(rtpChannel: 2, rtcpChannel: 3)), "0-1 is taken")
    }

    @Test func playPauseTeardownFollowTheStateTable() throws {
        var session = try Self.ready()
        #expect(
            session.pause(target: Self.aggregate, atMilliseconds: 0) == .methodNotValidInThisState, "PAUSE in Ready")
        #expect(session.play(target: Self.aggregate, atMilliseconds: 0) == .ok)
        #expect(session.phase == .playing)
        #expect(session.play(target: Self.aggregate, atMilliseconds: 0) == .ok, "PLAY while playing")
        #expect(session.pause(target: Self.aggregate, atMilliseconds: 0) == .ok)
        #expect(session.phase == .ready)
        #expect(session.teardown(target: Self.aggregate, atMilliseconds: 0) == .ok)
        #expect(session.phase == .ended)
        #expect(session.play(target: Self.aggregate, atMilliseconds: 0) == .sessionNotFound)
        #expect(session.keepAlive(.getParameter, body: [], atMilliseconds: 0) == .sessionNotFound)
        #expect(
            session.setup(target: Self.track(0), trackCount: 1, transportHeader: Self.tcp, atMilliseconds: 0)
                == .failure(.sessionNotFound))
        var playing = try Self.playing()
        #expect(playing.teardown(target: Self.aggregate, atMilliseconds: 0) == .ok && playing.phase == .ended)
    }

    @Test func trackURLsControlOnlyASingleTrackSession() throws {
        var single = try Self.ready()
        #expect(single.play(target: Self.track(0), atMilliseconds: 0) == .ok)
        var two = try Self.ready(tracks: 2)
        #expect(two.play(target: Self.track(0), atMilliseconds: 0) == .onlyAggregateOperationAllowed)
        #expect(two.teardown(target: Self.track(1), atMilliseconds: 0) == .onlyAggregateOperationAllowed)
        #expect(two.phase == .ready)
        #expect(
            single.pause(target: Self.track(1), atMilliseconds: 0) == .onlyAggregateOperationAllowed, "not its track")
        let elsewhere = RTSPControlTarget(
            presentation: RTSPPresentation(scheme: "rtsp", authority: "h", path: "/elsewhere", query: nil), track: nil)
        #expect(two.play(target: elsewhere, atMilliseconds: 0) == .notFound)
    }

    @Test func keepAlivesAnswer200Or451() throws {
        var session = try Self.playing()
        #expect(session.keepAlive(.getParameter, body: [], atMilliseconds: 0) == .ok)
        #expect(session.keepAlive(.options, body: [], atMilliseconds: 0) == .ok)
        #expect(session.keepAlive(.setParameter, body: [0x41], atMilliseconds: 0) == .parameterNotUnderstood)
    }

    @Test func aSessionExpiresTimeoutPlusGraceAfterItsLastActivity() throws {
        var session = try Self.playing()
        #expect(session.expiresAtMilliseconds == 1000 + 65000)
        #expect(!session.hasExpired(atMilliseconds: 65999))
        #expect(session.hasExpired(atMilliseconds: 66000))
        session.touch(atMilliseconds: 30000)
        #expect(session.expiresAtMilliseconds == 95000)
        session.touch(atMilliseconds: 20000)
        #expect(session.lastActivityMilliseconds == 30000, "a late touch never moves activity back")
        _ = session.keepAlive(.getParameter, body: [], atMilliseconds: 40000)
        _ = session.pause(target: Self.aggregate, atMilliseconds: 50000)
        #expect(session.expiresAtMilliseconds == 115_000, "every request naming the session keeps it alive")
    }

    @Test func aShorterTimeoutIsWrittenAndKept() throws {
        let session = try RTSPSession.start(
            id: "s", target: Self.track(0), trackCount: 1, transportHeader: Self.tcp, timeoutSeconds: 10,
            atMilliseconds: 0
        ).get().session
        #expect(session.header.value == "s;timeout=10")
        #expect(session.expiresAtMilliseconds == 15000)
    }

    @Test func sessionIDsAreSixteenLettersOrDigitsAndFollowTheSeed() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let ids = (0..<100).map { _ in RTSPSessionID.generate(using: &first) }
        #expect(ids == (0..<100).map { _ in RTSPSessionID.generate(using: &second) })
        #expect(Set(ids).count == 100)
        for id in ids {
            #expect(id.count == 16)
            #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
    }
}
