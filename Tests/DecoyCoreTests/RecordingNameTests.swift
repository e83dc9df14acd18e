import DecoyCore
import Testing

@Suite("Recording names and local stamps")
struct RecordingNameTests {
    @Test("the API document's names parse and print back exactly")
    func documentNames() throws {
        for text in [
            "2020-09-29 15.06.04 120sec person.mp4", "2020-09-03 18.27.40 136sec motion.mp4",
            "2020-09-20 17.15.55 43sec person_pin.mp4", "2016-10-21 10.03.33.mp4", "2016-10-21 10.03.33_pin.mp4",
        ] {
            let name = try #require(RecordingName(videoFileName: text), "\(text)")
            #expect(name.videoFileName == text)
            #expect(name.thumbnailFileName == text + ".jpg")
        }
        let name = try #require(RecordingName(videoFileName: "2020-09-29 15.06.04 120sec person.mp4"))
        #expect(name.stamp == LocalStamp(year: 2020, month: 9, day: 29, hour: 15, minute: 6, second: 4))
        #expect(name.seconds == 120 && name.type == .person && !name.pinned)
        #expect(name.pinned(true).videoFileName == "2020-09-29 15.06.04 120sec person_pin.mp4")
        let legacy = try #require(RecordingName(videoFileName: "2016-10-21 10.03.33.mp4"))
        #expect(legacy.seconds == nil && legacy.type == nil)
    }

    @Test(
        "anything else is not a recording",
        arguments: [
            "2020-09-29 15.06.04 120sec person.mp4.jpg", "2020-09-29 15.06.04 120sec robot.mp4",
            "2020-09-29 15.06.04 sec person.mp4", "2020-09-29 15.06.04 -5sec person.mp4", "2020-13-29 15.06.04.mp4",
            "2020-02-30 15.06.04.mp4", "2020-09-29 25.06.04.mp4", "2020-09-29 15:06:04.mp4", "notes.txt", ".mp4",
            "2020-09-29 15.06.04  120sec person.mp4", "2020-09-29 15.06.04 120sec person extra.mp4",
            "2020-09-29 15.06.04 99999999sec person.mp4", "x020-09-29 15.06.04.mp4", "2020-09-29 15.06.04.MP4",
        ])
    func rejected(text: String) {
        #expect(RecordingName(videoFileName: text) == nil)
    }

    @Test("local stamps convert both ways, across zones, leap days and the epoch")
    func stamps() {
        // The API document: 1601381164000 is 12:06:04 UTC, named 15.06.04 at UTC+3.
        let moscow = LocalStamp(utcMilliseconds: 1_601_381_164_000, offsetSeconds: 3 * 3600)
        #expect(moscow.description == "2020-09-29 15.06.04")
        #expect(moscow.utcMilliseconds(offsetSeconds: 3 * 3600) == 1_601_381_164_000)
        for milliseconds: Int64 in [0, 951_782_400_000, 1_709_164_800_999, 4_102_444_800_000, -86_400_000] {
            for offset in [0, 3600, -5 * 3600, 5 * 3600 + 1800] {
                let stamp = LocalStamp(utcMilliseconds: milliseconds, offsetSeconds: offset)
                let back = stamp.utcMilliseconds(offsetSeconds: offset)
                #expect(back == milliseconds - ((milliseconds % 1000) + 1000) % 1000, "\(milliseconds) \(offset)")
                #expect(LocalStamp(parsing: Substring(stamp.description)) == stamp)
            }
        }
        #expect(LocalStamp(utcMilliseconds: 951_782_400_000, offsetSeconds: 0).description == "2000-02-29 00.00.00")
        #expect(
            LocalStamp(utcMilliseconds: 999, offsetSeconds: 0) < LocalStamp(utcMilliseconds: 1000, offsetSeconds: 0))
    }
}

@Suite("Camera activity")
struct CameraActivityTests {
    @Test("events flag the camera while they last, by the injected clock, and show their object")
    func flags() {
        let clock = ManualClock()
        let activity = CameraActivity(cameraID: 7, clock: clock)
        #expect(!activity.isActiveNow)
        let ring = activity.begin(.person, origin: .api, durationMilliseconds: 4000, showObject: true)
        #expect(activity.isActiveNow)
        #expect(activity.sceneObjects(at: clock.nowMilliseconds() + 100).map(\.kind) == [.person])
        clock.advance(by: 3999)
        #expect(activity.isActiveNow)
        clock.advance(by: 1)
        #expect(!activity.isActiveNow)
        #expect(activity.sceneObjects(at: clock.nowMilliseconds()).isEmpty)
        activity.end(ring)
        let open = activity.begin(.audio, origin: .detector, showObject: true)
        clock.advance(by: 60_000)
        #expect(activity.active(at: clock.nowMilliseconds()).map(\.type) == [.audio])
        #expect(activity.sceneObjects(at: clock.nowMilliseconds()).isEmpty, "audio shows nothing")
        activity.end(open)
        #expect(!activity.isActiveNow)
    }

    @Test("ending all events of one origin leaves the others")
    func endAll() {
        let clock = ManualClock()
        let activity = CameraActivity(cameraID: 7, clock: clock)
        activity.begin(.motion, origin: .detector)
        activity.begin(.face, origin: .api)
        activity.endAll(origin: .detector)
        #expect(activity.active(at: clock.nowMilliseconds()).map(\.type) == [.face])
        activity.endAll()
        #expect(!activity.isActiveNow)
    }
}
