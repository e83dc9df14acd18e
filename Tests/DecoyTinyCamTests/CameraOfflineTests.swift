import DecoyCore
import DecoyTinyCam
import Testing

private let admin = "user=admin&pwd=admin"

@Suite("An offline camera")
struct CameraOfflineTests {
    @Test("image.cgi and video.cgi answer 503 while it is offline, 200 once it is online again")
    func snapshotsAndStreams() async throws {
        try await withHarness { harness in
            let name = harness.doorbell.config.name
            harness.doorbell.setHealth(.offline)
            for path in ["/axis-cgi/jpg/image.cgi", "/axis-cgi/mjpg/video.cgi"] {
                let response = await harness.send("\(path)?\(admin)&camera=2")
                #expect(response.code == 503, "\(path): \(response.text)")
                #expect(response.text.hasPrefix("HTTP 503. Camera '\(name)' is offline."), "\(path): \(response.text)")
                #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
            }
            // The other camera is not affected; a bad parameter still says what is wrong.
            #expect(await harness.send("/axis-cgi/jpg/image.cgi?\(admin)&camera=1").code == 200)
            #expect(await harness.send("/axis-cgi/jpg/image.cgi?\(admin)&camera=2&fps=x").code == 400)

            harness.doorbell.setHealth(.live)
            let back = await harness.send("/axis-cgi/jpg/image.cgi?\(admin)&camera=2")
            #expect(back.code == 200, "\(back.text)")
            #expect(back.header("Content-Type") == "image/jpeg")
        }
    }

    @Test("get_cam_list still lists it")
    func stillListed() async throws {
        try await withHarness { harness in
            harness.doorbell.setHealth(.offline)
            let response = await harness.send("/api/v1/get_cam_list?\(admin)")
            #expect(response.code == 200)
            #expect(response.text.contains(harness.doorbell.config.name), "\(response.text)")
        }
    }

    @Test("frozen, black and no signal still answer pictures")
    func otherStatesServe() async throws {
        try await withHarness { harness in
            for health in [CameraHealth.frozen, .black, .noSignal] {
                harness.frontYard.setHealth(health)
                #expect(await harness.send("/axis-cgi/jpg/image.cgi?\(admin)").code == 200, "\(health)")
            }
        }
    }
}
