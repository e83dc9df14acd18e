import Testing

@testable import DecoyRTSP

@Suite struct RTSPURLTests {
    @Test func aFullURLIsTakenApart() throws {
        let url = try #require(
            RTSPURL("rtsp://admin:p%40ss%3Aw@192.168.1.5:8083/axis-media/media.amp?cameraId=2&x=%20"))
        #expect(url.scheme == "rtsp")
        #expect(url.user == "admin" && url.password == "p%40ss%3Aw", "decoded by the tinyCam API, like a query")
        #expect(url.host == "192.168.1.5" && url.port == 8083 && url.authority == "192.168.1.5:8083")
        #expect(url.path == "/axis-media/media.amp" && url.query == "cameraId=2&x=%20")
        #expect(url.pathAndQuery == "/axis-media/media.amp?cameraId=2&x=%20")
    }

    @Test func schemesHostsAndPaths() throws {
        let secure = try #require(RTSPURL("RTSPS://[::1]:322"))
        #expect(secure.scheme == "rtsps" && secure.host == "[::1]" && secure.port == 322 && secure.path == "/")
        let bare = try #require(RTSPURL("rtsp://camera"))
        #expect(bare.port == nil && bare.path == "/" && bare.query == nil && bare.user == nil)
        let userOnly = try #require(RTSPURL("rtsp://viewer@camera/x?"))
        #expect(userOnly.user == "viewer" && userOnly.password == nil && userOnly.query == "")
        let path = try #require(RTSPURL("/axis-media/media.amp?camera=1#fragment"))
        #expect(path.scheme == nil && path.host == nil && path.authority == nil && path.query == "camera=1")
    }

    @Test(arguments: [
        "*", "http://h/x", "rtsp://", "rtsp://:554/x", "rtsp://h:99999/x", "rtsp://h:x/y", "rtsp://[::1/x", "x",
    ])
    func notAnRTSPURL(target: String) {
        #expect(RTSPURL(target) == nil)
    }
}

@Suite struct RTSPPresentationTests {
    let axis = RTSPPresentation(
        scheme: "rtsp", authority: "192.168.0.90", path: "/axis-media/media.amp", query: "videocodec=h264")

    @Test func controlURLsAreSpelledTheAxisWay() {
        #expect(axis.contentBase == "rtsp://192.168.0.90/axis-media/media.amp/")
        #expect(axis.aggregateControl == "rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264")
        #expect(axis.trackControl(1) == "rtsp://192.168.0.90/axis-media/media.amp/stream=1?videocodec=h264")
        let plain = RTSPPresentation(scheme: "rtsps", authority: "h:8083", path: "/live/", query: nil)
        #expect(
            plain.aggregateControl == "rtsps://h:8083/live" && plain.trackControl(0) == "rtsps://h:8083/live/stream=0")
    }

    @Test func aTrackURLIsSplitFromItsPresentation() throws {
        let target = RTSPControlTarget(url: try #require(RTSPURL(axis.trackControl(1))), defaultAuthority: "unused")
        #expect(target.track == 1 && target.presentation == axis)
        let aggregate = RTSPControlTarget(url: try #require(RTSPURL(axis.aggregateControl)), defaultAuthority: "")
        #expect(aggregate.track == nil && aggregate.presentation == axis)
        let contentBase = RTSPControlTarget(url: try #require(RTSPURL(axis.contentBase)), defaultAuthority: "")
        #expect(contentBase.track == nil && contentBase.presentation.path == axis.path)
    }

    @Test func otherClientsTrackSpellingsAndBarePaths() throws {
        let live555 = RTSPControlTarget(url: try #require(RTSPURL("rtsp://h/cam/trackID=3")), defaultAuthority: "")
        #expect(live555.track == 3 && live555.presentation.path == "/cam")
        let bare = RTSPControlTarget(
            url: try #require(RTSPURL("/stream=0?cameraId=1")), defaultAuthority: "10.0.0.2:8083")
        #expect(bare.track == 0 && bare.presentation.path == "/")
        #expect(bare.presentation.aggregateControl == "rtsp://10.0.0.2:8083/?cameraId=1")
        let notATrack = RTSPControlTarget(url: try #require(RTSPURL("rtsp://h/cam/stream=x")), defaultAuthority: "")
        #expect(notATrack.track == nil && notATrack.presentation.path == "/cam/stream=x")
    }

    @Test func aTrackURLWithoutTheQueryStillBelongsToThePresentation() {
        let resolved = RTSPPresentation(
            scheme: "rtsp", authority: "192.168.0.90", path: "/axis-media/media.amp", query: nil)
        #expect(axis.includes(resolved))
        #expect(
            !axis.includes(RTSPPresentation(scheme: "rtsp", authority: "x", path: axis.path, query: "videocodec=jpeg")))
        #expect(!axis.includes(RTSPPresentation(scheme: "rtsp", authority: "x", path: "/other", query: nil)))
    }
}
