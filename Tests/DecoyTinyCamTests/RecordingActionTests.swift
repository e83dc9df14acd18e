import DecoyCore
import DecoyTinyCam
import Foundation
import Testing

private let front = FakeClip(camera: "Front yard", name: "2020-09-29 15.06.04 120sec person.mp4", hasThumbnail: true)
private let door = FakeClip(camera: "Doorbell", name: "2020-09-20 17.15.55 43sec person.mp4", hasThumbnail: true)

private func layOut(_ folder: RecordingFolder) throws {
    for clip in [front, door] { try folder.addClip(camera: clip.camera, name: clip.name) }
    try folder.addClip(camera: "Front yard", name: "2020-09-29 15.00.00 10sec motion.mp4", thumbnail: false)
}

private func action(_ name: String, _ raw: String) -> String {
    "/param.cgi?\(adminQuery)&action=\(name)&root.Filename=\(raw)"
}

extension Harness {
    /// The video paths `get_cam_event_list` lists (all cameras, or those of `filter`).
    func listedVideos(filter: String = "") async throws -> [String] {
        try await events("filter=\(filter)").compactMap { $0["video"]?.filePath }
    }

    func listedImages() async throws -> [String] {
        try await events("").compactMap { $0["image"]?.filePath }
    }

    func getFile(_ clientPath: String) async -> Int {
        await send("/api/v1/get_file?\(guestQuery)&file=\(percentEncoded(clientPath))").code
    }
}

@Suite("param.cgi delete, pin, unpin")
struct RecordingActionTests {
    @Test("pin renames clip and thumbnail to _pin, lists them so and filter=pin finds it; unpin restores")
    func pinAndUnpin() async throws {
        try await withRecordings(layout: layOut) { (harness, folder) async throws in
            let pinned = front.pinned(true)
            let response = await harness.send(action("pin", percentEncoded(front.clientPath)))
            #expect(response.code == 200)
            #expect(response.text == "")
            #expect(folder.bytes(camera: "Front yard", name: pinned.name) == front.videoBytes)
            #expect(folder.bytes(camera: "Front yard", name: pinned.thumbnailName) == front.thumbnailBytes)
            #expect(!folder.exists(camera: "Front yard", name: front.name))
            #expect(!folder.exists(camera: "Front yard", name: front.thumbnailName))
            #expect(try await harness.listedVideos().first == pinned.clientPath)
            #expect(try await harness.listedImages().first == pinned.thumbnailClientPath)
            #expect(try await harness.listedVideos(filter: "pin") == [pinned.clientPath])
            #expect(try await harness.listedVideos(filter: "person").first == pinned.clientPath)
            #expect(await harness.getFile(pinned.clientPath) == 200)
            #expect(await harness.getFile(pinned.thumbnailClientPath) == 200)
            #expect(await harness.getFile(front.clientPath) == 404)
            #expect(await harness.getFile(front.thumbnailClientPath) == 404)

            // Pinning again (the UI has rewritten its URLs to the _pin names) is fine and changes nothing.
            #expect(await harness.send(action("pin", percentEncoded(pinned.clientPath))).code == 200)
            #expect(folder.bytes(camera: "Front yard", name: pinned.name) == front.videoBytes)
            // The old name is gone.
            #expect(await harness.send(action("pin", percentEncoded(front.clientPath))).code == 404)

            #expect(await harness.send(action("unpin", percentEncoded(pinned.clientPath))).code == 200)
            #expect(folder.bytes(camera: "Front yard", name: front.name) == front.videoBytes)
            #expect(folder.bytes(camera: "Front yard", name: front.thumbnailName) == front.thumbnailBytes)
            #expect(!folder.exists(camera: "Front yard", name: pinned.name))
            #expect(!folder.exists(camera: "Front yard", name: pinned.thumbnailName))
            #expect(try await harness.listedVideos().first == front.clientPath)
            #expect(try await harness.listedVideos(filter: "pin") == [])
            #expect(await harness.getFile(front.clientPath) == 200)
            #expect(await harness.send(action("unpin", percentEncoded(front.clientPath))).code == 200)
        }
    }

    @Test("a pin survives a restart: the index is rebuilt from the renamed files")
    func pinSurvivesRestart() async throws {
        let folder = try RecordingFolder()
        defer { folder.remove() }
        try layOut(folder)
        let state = URL(fileURLWithPath: folder.state)
        try await withHarness(.recordingsTest(), stateDirectory: state) { (harness) async throws in
            #expect(await harness.send(action("pin", percentEncoded(door.clientPath))).code == 200)
        }
        try await withHarness(.recordingsTest(), stateDirectory: state) { (harness) async throws in
            #expect(try await harness.listedVideos(filter: "pin") == [door.pinned(true).clientPath])
            #expect(await harness.getFile(door.pinned(true).thumbnailClientPath) == 200)
        }
    }

    @Test("delete removes clip and thumbnail and the event leaves the list")
    func delete() async throws {
        try await withRecordings(layout: layOut) { (harness, folder) async throws in
            #expect(try await harness.listedVideos().contains(front.clientPath))
            let response = await harness.send(action("delete", percentEncoded(front.clientPath)))
            #expect(response.code == 200)
            #expect(response.text == "")
            #expect(!folder.exists(camera: "Front yard", name: front.name))
            #expect(!folder.exists(camera: "Front yard", name: front.thumbnailName))
            #expect(folder.names(camera: "Front yard") == ["2020-09-29 15.00.00 10sec motion.mp4"])
            let bare = "/Front yard/2020-09-29 15.00.00 10sec motion.mp4"
            #expect(try await harness.listedVideos() == [bare, door.clientPath])
            #expect(await harness.getFile(front.clientPath) == 404)
            #expect(await harness.getFile(front.thumbnailClientPath) == 404)
            #expect(await harness.send(action("delete", percentEncoded(front.clientPath))).code == 404)
            // A clip without a thumbnail is deleted as well.
            #expect(await harness.send(action("delete", percentEncoded(bare))).code == 200)
            #expect(folder.names(camera: "Front yard") == [])
            #expect(try await harness.listedVideos() == [door.clientPath])
        }
    }

    @Test(
        "root.Filename still percent-encoded after one decoding (the web UI) works for pin, unpin and delete",
        arguments: [
            // The UI's value, encoded once more by the client: after one decoding it still has %20.
            "/Doorbell/2020-09-20%252017.15.55%252043sec%2520person",
            // Decoded once by the server, as the API document's example.
            "/Doorbell/2020-09-20%2017.15.55%2043sec%20person",
        ])
    func encodedFilename(stem: String) async throws {
        try await withRecordings(layout: layOut) { (harness, folder) async throws in
            #expect(await harness.send(action("pin", stem + ".mp4")).code == 200)
            #expect(folder.exists(camera: "Doorbell", name: door.pinned(true).name))
            #expect(folder.exists(camera: "Doorbell", name: door.pinned(true).thumbnailName))
            #expect(await harness.send(action("unpin", stem + "_pin.mp4")).code == 200)
            #expect(folder.exists(camera: "Doorbell", name: door.name))
            #expect(await harness.send(action("delete", stem + ".mp4")).code == 200)
            #expect(folder.names(camera: "Doorbell") == [])
            #expect(try await !harness.listedVideos().contains(door.clientPath))
        }
    }

    @Test("unknown file 404; missing root.Filename 400; guest 403 'Access denied.'; no credentials 401")
    func errors() async throws {
        try await withRecordings(layout: layOut) { (harness, folder) async throws in
            for name in ["delete", "pin", "unpin"] {
                let unknown = await harness.send(
                    action(name, "/Front%20yard/2020-09-29%2015.06.05%20120sec%20person.mp4"))
                #expect(unknown.code == 404, "\(name)")
                #expect(unknown.text == "HTTP 404. No such file.", "\(name)")
                for missing in ["/param.cgi?\(adminQuery)&action=\(name)", action(name, "")] {
                    let response = await harness.send(missing)
                    #expect(response.code == 400, "\(missing)")
                    #expect(response.text == "HTTP 400. action=\(name) needs root.Filename=<path of the recording>")
                }
                let guest = await harness.send(
                    "/param.cgi?\(guestQuery)&action=\(name)&root.Filename=\(percentEncoded(front.clientPath))")
                #expect(guest.code == 403, "\(name)")
                #expect(guest.text == "HTTP 403. Access denied.")
                let anonymous = await harness.send(
                    "/param.cgi?action=\(name)&root.Filename=\(percentEncoded(front.clientPath))")
                #expect(anonymous.code == 401, "\(name)")
            }
            #expect(folder.bytes(camera: "Front yard", name: front.name) == front.videoBytes)
            #expect(folder.bytes(camera: "Front yard", name: front.thumbnailName) == front.thumbnailBytes)
            #expect(try await harness.listedVideos().count == 3)
        }
    }
}

@Suite("createmotion.cgi")
struct CreateMotionTests {
    /// `events.triggerDuration` 5 s, so the test sees the configured value, not the default.
    static let config = DecoyConfig.recordingsTest().with { $0.events.triggerDurationSeconds = 5 }

    func motion(_ harness: Harness, _ camera: Int64) async -> Bool? {
        await harness.send("/api/v1/get_status?\(adminQuery)&cameraId=\(camera)").json?["data"]?["motion"]?.bool
    }

    func motionCameras(_ harness: Harness) async throws -> [String] {
        let list = await harness.send("/api/v1/get_status?\(adminQuery)").json?["data"]?["motionCameras"]?.items
        return try #require(list).compactMap(\.string)
    }

    @Test("cameraId= flags the camera in get_status and motionCameras until events.triggerDuration has passed")
    func byCameraID() async throws {
        try await withHarness(Self.config) { (harness) async throws in
            #expect(await motion(harness, TestCamera.doorbell) == false)
            #expect(try await motionCameras(harness) == [])
            let response = await harness.send(
                "/axis-cgi/motion/createmotion.cgi?\(adminQuery)&cameraId=\(TestCamera.doorbell)")
            #expect(response.code == 200)
            #expect(response.text == "")
            #expect(await motion(harness, TestCamera.doorbell) == true)
            #expect(await motion(harness, TestCamera.frontYard) == false)
            #expect(try await motionCameras(harness) == ["Doorbell"])
            harness.clock.advance(by: 4999)
            #expect(await motion(harness, TestCamera.doorbell) == true)
            harness.clock.advance(by: 1)
            #expect(await motion(harness, TestCamera.doorbell) == false)
            #expect(try await motionCameras(harness) == [])
        }
    }

    @Test("camera=N (1-based) works too; both cameras can be in motion at once")
    func byIndex() async throws {
        try await withHarness(Self.config) { (harness) async throws in
            #expect(await harness.send("/axis-cgi/motion/createmotion.cgi?\(adminQuery)&camera=1").code == 200)
            harness.clock.advance(by: 2000)
            #expect(await harness.send("/axis-cgi/motion/createmotion.cgi?\(adminQuery)&camera=2").code == 200)
            #expect(try await motionCameras(harness) == ["Front yard", "Doorbell"])
            harness.clock.advance(by: 3000)
            #expect(try await motionCameras(harness) == ["Doorbell"])
            harness.clock.advance(by: 2000)
            #expect(try await motionCameras(harness) == [])
        }
    }

    @Test("admin only; unknown or disabled camera 404, malformed 400")
    func errors() async throws {
        try await withHarness(Self.config) { (harness) async throws in
            let guest = await harness.send(
                "/axis-cgi/motion/createmotion.cgi?\(guestQuery)&cameraId=\(TestCamera.doorbell)")
            #expect(guest.code == 403)
            #expect(guest.text == "HTTP 403. Access denied.")
            #expect(await harness.send("/axis-cgi/motion/createmotion.cgi?cameraId=\(TestCamera.doorbell)").code == 401)
            for query in ["cameraId=999", "camera=9", "cameraId=\(TestCamera.garage)", "camera=3"] {
                let response = await harness.send("/axis-cgi/motion/createmotion.cgi?\(adminQuery)&\(query)")
                #expect(response.code == 404, "\(query)")
                #expect(response.text.hasPrefix("HTTP 404. "), "\(query)")
            }
            for query in ["cameraId=door", "camera=x"] {
                #expect(await harness.send("/axis-cgi/motion/createmotion.cgi?\(adminQuery)&\(query)").code == 400)
            }
            #expect(try await motionCameras(harness) == [])
        }
    }
}
