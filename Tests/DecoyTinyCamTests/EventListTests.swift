import DecoyCore
import DecoyTinyCam
import Foundation
import Testing

/// 2020-09-13 12:26:40 UTC: before the harness clock (2020-09-29), so every event is in the past.
private let start: Int64 = 1_600_000_000_000
private let minute: Int64 = 60_000

private func times(_ events: [JSON]) -> [Int64] { events.compactMap { $0["time"]?.int } }
private func videos(_ events: [JSON]) -> [String] { events.compactMap { $0["video"]?.filePath } }

@Suite("get_cam_event_list")
struct EventListTests {
    @Test("events of every enabled camera, newest first, each with its clip's name")
    func newestFirst() async throws {
        let front = (0..<6).map { start + Int64($0) * minute }
        let door = (0..<4).map { start + 30_000 + Int64($0) * minute }
        try await withRecordings(layout: { folder in
            for time in front { try folder.addEvent(camera: "Front yard", time: time) }
            for time in door { try folder.addEvent(camera: "Doorbell", time: time, type: .person) }
        }) { (harness, _) async throws in
            let events = try await harness.events("")
            #expect(times(events) == (front + door).sorted(by: >))
            #expect(events.first?["video"]?.filePath == "/Front yard/2020-09-13 12.31.40 10sec motion.mp4")
            #expect(events.last?["video"]?.filePath == "/Front yard/2020-09-13 12.26.40 10sec motion.mp4")
        }
    }

    @Test("endtime is exclusive; -1, empty and absent mean now; a malformed endtime is 400")
    func endTime() async throws {
        let all = (0..<3).map { start + Int64($0) * minute }
        try await withRecordings(layout: { folder in
            for time in all { try folder.addEvent(camera: "Front yard", time: time) }
        }) { (harness, _) async throws in
            #expect(try await times(harness.events("endtime=\(all[1])")) == [all[0]])
            #expect(try await times(harness.events("endtime=\(all[1] + 1)")) == [all[1], all[0]])
            #expect(try await times(harness.events("endtime=\(all[0])")) == [])
            #expect(try await times(harness.events("endtime=0")) == [])
            for now in ["endtime=-1", "endtime=", ""] {
                #expect(try await times(harness.events(now)) == all.reversed(), "\(now)")
            }
            for bad in ["abc", "-2", "1.5", "%2B5", "99999999999999999999", "1e3"] {
                let response = await harness.send("/api/v1/get_cam_event_list?\(guestQuery)&endtime=\(bad)")
                #expect(response.code == 400, "endtime=\(bad)")
                #expect(response.text.hasPrefix("HTTP 400. endtime must be"), "endtime=\(bad): \(response.text)")
            }
        }
    }

    @Test("cameraId -1, empty, absent or undefined: all enabled cameras; a disabled camera is never listed")
    func allEnabledCameras() async throws {
        try await withRecordings(layout: { folder in
            try folder.addEvent(camera: "Front yard", time: start)
            try folder.addEvent(camera: "Doorbell", time: start + minute)
            try folder.addEvent(camera: "Garage", time: start + 2 * minute)
        }) { (harness, _) async throws in
            let enabled = [start + minute, start]
            for all in ["cameraId=-1", "cameraId=", "", "cameraId=undefined", "cameraId=-1&filter=undefined"] {
                #expect(try await times(harness.events(all)) == enabled, "\(all)")
            }
            #expect(try await times(harness.events("cameraId=\(TestCamera.frontYard)")) == [start])
            #expect(try await times(harness.events("cameraId=\(TestCamera.doorbell)")) == [start + minute])
            let disabled = await harness.send(
                "/api/v1/get_cam_event_list?\(guestQuery)&cameraId=\(TestCamera.garage)")
            #expect(disabled.code == 404)
            #expect(disabled.text == "HTTP 404. Camera 'Garage' is disabled.")
            let unknown = await harness.send("/api/v1/get_cam_event_list?\(guestQuery)&cameraId=12345")
            #expect(unknown.code == 404)
            #expect(unknown.text.hasPrefix("HTTP 404. No camera with id 12345"))
            #expect(await harness.send("/api/v1/get_cam_event_list?\(guestQuery)&cameraId=front").code == 400)
        }
    }

    @Test("count: 100 when absent, 0 gives [], anything but 0…100000 is 400")
    func count() async throws {
        let all = (0..<150).map { start + Int64($0) * minute }
        try await withRecordings(layout: { folder in
            for time in all { try folder.addEvent(camera: "Front yard", time: time, thumbnail: false) }
        }) { (harness, _) async throws in
            let newest = Array(all.reversed())
            #expect(try await times(harness.events("")) == Array(newest.prefix(100)))
            #expect(try await times(harness.events("count=")) == Array(newest.prefix(100)))
            #expect(try await times(harness.events("count=7")) == Array(newest.prefix(7)))
            #expect(try await times(harness.events("count=150")) == newest)
            #expect(try await times(harness.events("count=100000")) == newest)
            let none = await harness.send("/api/v1/get_cam_event_list?\(guestQuery)&count=0")
            #expect(none.code == 200)
            #expect(none.text == #"{"data":[]}"#)
            for bad in ["-1", "abc", "1.5", "%2B5", "100001", "0x10", "%205"] {
                let response = await harness.send("/api/v1/get_cam_event_list?\(guestQuery)&count=\(bad)")
                #expect(response.code == 400, "count=\(bad)")
                #expect(response.text.hasPrefix("HTTP 400. count must be"), "count=\(bad): \(response.text)")
            }
        }
    }

    @Test("type=cloud: 400 on a camera without cloud access; only events marked cloud, per cloudShare")
    func cloud() async throws {
        let all = (0..<40).map { start + Int64($0) * minute }
        let layout = { (folder: RecordingFolder) in
            for time in all {
                try folder.addEvent(camera: "Doorbell", time: time)
                try folder.addEvent(camera: "Front yard", time: time + 1000)
            }
        }
        var firstRun: [Int64] = []
        try await withRecordings(layout: layout) { (harness, _) async throws in
            let refused = await harness.send(
                "/api/v1/get_cam_event_list?\(guestQuery)&type=cloud&cameraId=\(TestCamera.frontYard)")
            #expect(refused.code == 400)
            #expect(refused.text == "HTTP 400. camera 'Front yard' has no cloud access (type=cloud)")
            #expect(await harness.send("/api/v1/get_cam_event_list?\(guestQuery)&type=remote").code == 400)

            let cloud = times(try await harness.events("type=cloud&cameraId=\(TestCamera.doorbell)"))
            // cloudShare 50 by default: some, not all, and only Doorbell's.
            #expect(!cloud.isEmpty && cloud.count < all.count, "\(cloud.count) of \(all.count) in the cloud")
            #expect(Set(cloud).isSubset(of: all))
            #expect(cloud == cloud.sorted(by: >))
            #expect(try await times(harness.events("type=cloud&cameraId=-1")) == cloud)
            #expect(try await times(harness.events("type=cloud")) == cloud)
            let local = times(try await harness.events("type=local&cameraId=\(TestCamera.doorbell)"))
            #expect(local == all.reversed())
            firstRun = cloud
        }
        // The marks are a function of the time: the same after a restart.
        try await withRecordings(layout: layout) { (harness, _) async throws in
            #expect(try await times(harness.events("type=cloud&cameraId=\(TestCamera.doorbell)")) == firstRun)
        }
        for (share, expected) in [(100, Array(all.reversed())), (0, [])] {
            let config = DecoyConfig.recordingsTest().with { $0.cameras[1].cloudShare = share }
            try await withRecordings(config, layout: layout) { (harness, _) async throws in
                let cloud = times(try await harness.events("type=cloud&cameraId=\(TestCamera.doorbell)"))
                #expect(cloud == expected, "cloudShare \(share)")
                #expect(try await times(harness.events("type=cloud")) == expected, "cloudShare \(share)")
            }
        }
    }

    @Test("filter: each detection type, pin, empty and undefined (all); anything else is 400")
    func filter() async throws {
        // Three events of each type, the middle one pinned, a minute apart; then a legacy clip.
        let events = EventType.allCases.flatMap { type in [false, true, false].map { (type: type, pinned: $0) } }
            .enumerated().map {
                (time: start + Int64($0.offset) * minute, type: $0.element.type, pinned: $0.element.pinned)
            }
        let legacy = start + Int64(events.count) * minute
        let all = events.map(\.time) + [legacy]
        try await withRecordings(layout: { folder in
            for event in events {
                try folder.addEvent(camera: "Front yard", time: event.time, type: event.type, pinned: event.pinned)
            }
            try folder.addClip(
                camera: "Doorbell",
                name: RecordingName(
                    stamp: LocalStamp(utcMilliseconds: legacy, offsetSeconds: 0), seconds: nil, type: nil
                ).videoFileName)
        }) { (harness, _) async throws in
            for type in EventType.allCases {
                let listed = try await harness.events("filter=\(type.rawValue)")
                let expected = events.filter { $0.type == type }.map(\.time).reversed()
                #expect(times(listed) == Array(expected), "filter=\(type.rawValue)")
                #expect(listed.allSatisfy { $0["motion"]?.string == type.rawValue })
            }
            let pins = try await harness.events("filter=pin")
            #expect(times(pins) == events.filter(\.pinned).map(\.time).reversed())
            #expect(videos(pins).allSatisfy { $0.hasSuffix("_pin.mp4") })
            for everything in ["filter=", "filter=undefined", ""] {
                #expect(try await times(harness.events(everything)) == all.reversed(), "\(everything)")
            }
            for bad in ["fish", "Person", "pinned", "motion,person", "%20person"] {
                let response = await harness.send("/api/v1/get_cam_event_list?\(guestQuery)&filter=\(bad)")
                #expect(response.code == 400, "filter=\(bad)")
                #expect(response.text.hasPrefix("HTTP 400. filter must be empty or one of pin"), "\(response.text)")
            }
        }
    }

    /// The `get_cam_event_list` example of the tinyCam API document, verbatim.
    static let documentExample = """
        {
        	"data": [{
        		"time": 1601381164000,
        		"duration": 120000,
        		"motion": "person",
        		"video": "\\/api\\/v1\\/get_file?file=\\/Front%20yard\\/2020-09-29%2015.06.04%20120sec%20person.mp4",
        		"image": "\\/api\\/v1\\/get_file?file=\\/Front%20yard\\/2020-09-29%2015.06.04%20120sec%20person.mp4.jpg"
        	}, {
        		"time": 1601380363000,
        		"duration": 58000,
        		"motion": "person",
        		"video": "\\/api\\/v1\\/get_file?file=\\/Front%20yard\\/2020-09-29%2014.52.43%2058sec%20person.mp4",
        		"image": "\\/api\\/v1\\/get_file?file=\\/Front%20yard\\/2020-09-29%2014.52.43%2058sec%20person.mp4.jpg"
        	}, {
        		"time": 1601379016000,
        		"duration": 54000,
        		"motion": "person",
        		"video": "\\/api\\/v1\\/get_file?file=\\/Front%20yard\\/2020-09-29%2014.30.16%2054sec%20person.mp4",
        		"image": "\\/api\\/v1\\/get_file?file=\\/Front%20yard\\/2020-09-29%2014.30.16%2054sec%20person.mp4.jpg"
        	}]
        }
        """

    @Test("the API document's example, byte for byte without its whitespace (names in Europe/Moscow time)")
    func documentShape() async throws {
        #expect(LocalTimeZone(identifier: "Europe/Moscow").utcOffsetSeconds(atMilliseconds: 1_601_381_164_000) == 10800)
        try await withRecordings(
            .recordingsTest(timeZone: "Europe/Moscow"),
            layout: { folder in
                try folder.addClip(camera: "Front yard", name: "2020-09-29 15.06.04 120sec person.mp4")
                try folder.addClip(camera: "Front yard", name: "2020-09-29 14.52.43 58sec person.mp4")
                try folder.addClip(camera: "Front yard", name: "2020-09-29 14.30.16 54sec person.mp4")
                try folder.addClip(camera: "Front yard", name: "2020-09-29 14.00.00 10sec motion.mp4")
                try folder.addClip(camera: "Doorbell", name: "2020-09-29 15.00.00 10sec person.mp4")
            }
        ) { (harness, _) async throws in
            let query =
                "/api/v1/get_cam_event_list?\(guestQuery)&cameraId=182399567&endtime=-1&count=15&type=local&filter=person"
            let response = await harness.send(query)
            #expect(response.code == 200)
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
            #expect(response.text == compactJSON(Self.documentExample))
            let one = await harness.send(
                "/api/v1/get_cam_event_list?\(guestQuery)&cameraId=182399567&count=1&filter=person")
            #expect(
                one.text
                    == #"{"data":[{"time":1601381164000,"duration":120000,"motion":"person","video":"\/api\/v1\/get_file?file=\/Front%20yard\/2020-09-29%2015.06.04%20120sec%20person.mp4","image":"\/api\/v1\/get_file?file=\/Front%20yard\/2020-09-29%2015.06.04%20120sec%20person.mp4.jpg"}]}"#
            )
        }
    }

    @Test("an event without thumbnail has no image; a legacy name has no motion and duration 0")
    func optionalFields() async throws {
        try await withRecordings(layout: { folder in
            try folder.addClip(camera: "Front yard", name: "2020-09-13 12.26.40 43sec vehicle.mp4", thumbnail: false)
            try folder.addClip(camera: "Doorbell", name: "2016-10-21 10.03.33.mp4")
            try folder.addClip(camera: "Doorbell", name: "2016-10-21 10.03.34_pin.mp4", thumbnail: false)
        }) { (harness, _) async throws in
            let events = try await harness.events("")
            try #require(events.count == 3)
            #expect(events[0].keys == ["time", "duration", "motion", "video"])
            #expect(events[0]["motion"]?.string == "vehicle")
            #expect(events[0]["duration"]?.int == 43000)
            #expect(events[1].keys == ["time", "duration", "video"])
            #expect(events[1]["time"]?.int == 1_477_044_214_000)
            #expect(events[1]["video"]?.filePath == "/Doorbell/2016-10-21 10.03.34_pin.mp4")
            #expect(events[2].keys == ["time", "duration", "video", "image"])
            #expect(events[2]["time"]?.int == 1_477_044_213_000)
            #expect(events[2]["duration"]?.int == 0)
            #expect(events[2]["image"]?.filePath == "/Doorbell/2016-10-21 10.03.33.mp4.jpg")
            #expect(try await times(harness.events("filter=pin")) == [1_477_044_214_000])
            #expect(try await times(harness.events("filter=motion")) == [])
        }
    }

    @Test("time: the clip's modification time when it falls in the name's second, else the name's second")
    func exactTimes() async throws {
        try await withRecordings(layout: { folder in
            try folder.addEvent(camera: "Front yard", time: start + 123, exact: true)
            try folder.addClip(
                camera: "Front yard", name: "2020-09-13 12.27.40 10sec person.mp4",
                modifiedMilliseconds: start + minute + 1000)
            try folder.addClip(
                camera: "Front yard", name: "2020-09-13 12.28.40 10sec pet.mp4",
                modifiedMilliseconds: start + 2 * minute - 1)
        }) { (harness, _) async throws in
            #expect(try await times(harness.events("")) == [start + 2 * minute, start + minute, start + 123])
        }
    }

    @Test("camera names with &, +, %, #, ?, = and non-ASCII letters round-trip through video and image → get_file")
    func specialNamesRoundTrip() async throws {
        let names = ["A&B", "1+1=2", "100% sure", "Gate #2", "Why?", "Двор", "Café ünï 日本", "semi;colon", "tab\there"]
        try await withRecordings(
            .recordingsTest(extraCameras: names),
            layout: { folder in
                for (offset, camera) in names.enumerated() {
                    try folder.addEvent(camera: camera, time: start + Int64(offset) * minute)
                }
            }
        ) { (harness, folder) async throws in
            let events = try await harness.events("")
            try #require(events.count == names.count)
            let allowed = plainQueryBytes.union([UInt8(ascii: "%")])
            for (offset, camera) in names.reversed().enumerated() {
                let clip = FakeClip(
                    camera: camera,
                    name: RecordingName(
                        stamp: LocalStamp(
                            utcMilliseconds: start + Int64(names.count - 1 - offset) * minute, offsetSeconds: 0),
                        seconds: 10, type: .motion
                    ).videoFileName, hasThumbnail: true)
                let event = events[offset]
                for (key, path, type, bytes) in [
                    ("video", clip.clientPath, "video/mp4", clip.videoBytes),
                    ("image", clip.thumbnailClientPath, "image/jpeg", clip.thumbnailBytes),
                ] {
                    let url = try #require(event[key]?.string)
                    #expect(url.hasPrefix(EventURL.prefix))
                    #expect(url.dropFirst(EventURL.prefix.count).utf8.allSatisfy(allowed.contains), "\(url)")
                    #expect(event[key]?.filePath == path)
                    let response = await harness.send(url + "&" + guestQuery)
                    #expect(response.code == 200, "\(camera): \(url) → \(response.text)")
                    #expect(response.header("Content-Type") == type)
                    #expect(response.servedFile?.path == harness.recordingsRoot + path)
                    #expect(response.servedFile?.length == Int64(bytes.count))
                    let name = String(path.split(separator: "/").last!)
                    #expect(folder.bytes(camera: camera, name: name) == bytes)
                }
            }
        }
    }
}
