import DecoyCore
import DecoyTinyCam
import Testing

/// `/axis-media/media.amp`, what RTSP's DESCRIBE and SETUP ask the API: reachable only over RTSP,
/// with `video.cgi`'s checks and clear 400s for its own parameters.
@Suite struct MediaEndpointTests {
    static func rtsp(_ harness: Harness, _ query: String, profile: ServerProfile = .tinycam) async -> TinyCamResponse {
        await harness.api.handle(
            TinyCamRequest(
                method: "DESCRIBE", target: "rtsp://127.0.0.1:8083/axis-media/media.amp?\(query)",
                headers: [("Authorization", basicHeader("admin", "admin"))], clientAddress: "192.0.2.10", wire: .rtsp))
    }

    @Test func badParametersAreSaidPlainly() async throws {
        try await withHarness(DecoyConfig.testDefault.with { $0.server.profile = .axis }) { harness in
            let cases: [(String, String)] = [
                ("videocodec=mpeg4", "videocodec must be h264 or jpeg, got 'mpeg4'"),
                ("audio=2", "audio must be 0 or 1, got '2'"),
                ("video=no", "video must be 0 or 1, got 'no'"),
                ("event=maybe", "event must be on or off, got 'maybe'"),
                ("video=0", "nothing to stream: video=0 without audio=1 or event=on"),
                ("resolution=big", "resolution must be WIDTHxHEIGHT"),
            ]
            for (query, message) in cases {
                let response = await Self.rtsp(harness, query)
                #expect(response.code == 400, "\(query)")
                #expect(response.text.contains(message), "\(query): \(response.text)")
            }
            let events = await Self.rtsp(harness, "video=0&event=on")
            guard case .rtspMedia(let media) = events.body else {
                Issue.record("an event-only stream is served: \(events.text)")
                return
            }
            #expect(media.tracks == [.metadata])
        }
    }

    /// `streamprofile=` (axis profile): the profile's parameters where the URL has none, the URL's
    /// own winning, and an unknown profile refused with the names of those there are.
    @Test func streamProfilesApplyUnderTheURLsOwnParameters() async throws {
        try await withHarness(DecoyConfig.testDefault.with { $0.server.profile = .axis }) { harness in
            func codec(_ query: String) async -> RTSPMediaRequest.Codec? {
                guard case .rtspMedia(let media) = await Self.rtsp(harness, query, profile: .axis).body else {
                    return nil
                }
                return media.codec
            }
            #expect(await codec("camera=1&streamprofile=MJPEG") == .jpeg)
            #expect(await codec("camera=1&streamprofile=H.264") == .h264)
            #expect(await codec("camera=1&videocodec=h264&streamprofile=MJPEG") == .h264, "the URL's own wins")
            let unknown = await Self.rtsp(harness, "camera=1&streamprofile=Quality", profile: .axis)
            #expect(unknown.code == 400)
            #expect(
                unknown.text.contains(
                    "streamprofile 'Quality' does not exist; this camera has 'H.264' and 'MJPEG' (streamprofile.cgi lists them)"
                ), "\(unknown.text)")
        }
        try await withHarness { harness in
            let ignored = await Self.rtsp(harness, "camera=1&streamprofile=Quality")
            #expect(ignored.code == 200, "the tinycam profile has no stream profiles: \(ignored.text)")
        }
    }

    @Test func theMediaURLIsNoHTTPPage() async throws {
        try await withHarness { harness in
            let response = await harness.send("/axis-media/media.amp?camera=1", basic: "admin", "admin")
            #expect(response.code == 404)
            let overRTSP = await Self.rtsp(harness, "camera=1&event=on")
            #expect(overRTSP.code == 400, "event streams are the axis profile's")
            #expect(overRTSP.text.contains("needs the axis profile"), "\(overRTSP.text)")
        }
    }
}
