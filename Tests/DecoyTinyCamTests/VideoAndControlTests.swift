import DecoyCore
import DecoyMedia
import DecoyTinyCam
import Testing

private let admin = "user=admin&pwd=admin"
private let native = PixelSize(width: 320, height: 240)

/// The embedded cameras (small) plus a disabled third one.
private let withDisabledCamera = DecoyConfig.testDefault.with {
    var garage = CameraConfig(name: "Garage", id: 77, enabled: false, ptzCapabilities: 230_911)
    garage.resolution = PixelSize(width: 320, height: 240)
    garage.fps = 10
    $0.cameras.append(garage)
}

@Suite("video.cgi and image.cgi")
struct VideoTests {
    @Test(
        "camera selection and option errors",
        arguments: [
            ("camera=0", 404), ("camera=999", 404), ("camera=3", 404), ("camera=-1", 404), ("camera=abc", 400),
            ("camera=1.5", 400), ("camera=%EF%BC%91", 400), ("cameraId=5", 404), ("cameraId=abc", 400),
            ("cameraId=77", 404),
            ("camera=3&cameraId=182399567", 200), ("fps=-1", 400), ("fps=abc", 400), ("fps=1.5", 400),
            ("compression=101", 400), ("compression=-1", 400), ("compression=x", 400), ("resolution=0x0", 400),
            ("resolution=99999x99999", 200), ("resolution=640*480", 400), ("resolution=15x15", 400),
            ("resolution=16x15", 400), ("resolution=321x240", 200), ("resolution=320x241", 200),
            ("resolution=640x480", 200), ("resolution=x240", 400), ("resolution=320x", 400),
            ("resolution=1000000x1", 400), ("resolution=9999999x9999999", 400),
            ("resolution=-320x240", 400), ("resolution=320x240x1", 400), ("resolution=16x16", 200),
            ("resolution=320x240", 200), ("fps=0&compression=0", 200), ("compression=100", 200),
        ])
    func options(query: String, status: Int) async throws {
        try await withHarness(withDisabledCamera) { harness in
            for path in ["/axis-cgi/mjpg/video.cgi", "/axis-cgi/jpg/image.cgi"] {
                let response = await harness.send("\(path)?\(admin)&\(query)")
                #expect(response.code == status, "\(path)?\(query): \(response.text)")
                if status != 200 {
                    #expect(response.text.hasPrefix("HTTP \(status). "), "\(path)?\(query)")
                    #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
                }
            }
        }
    }

    @Test("a disabled camera by number is 404 too")
    func disabledByNumber() async throws {
        try await withHarness(withDisabledCamera) { harness in
            let response = await harness.send("/axis-cgi/mjpg/video.cgi?\(admin)&camera=3")
            #expect(response.code == 404)
            #expect(response.text.contains("Garage"))
        }
    }

    @Test("the default stream: first camera, native size, quality 70, passthrough, native rate")
    func defaultStream() async throws {
        try await withHarness { harness in
            let response = await harness.send("/axis-cgi/mjpg/video.cgi?\(admin)")
            #expect(response.code == 200)
            #expect(response.header("Content-Type") == "multipart/x-mixed-replace; boundary=myboundary")
            #expect(response.header("Cache-Control") == "no-cache")
            let stream = try #require(response.stream)
            #expect(stream.camera.config.id == 182_399_567)
            #expect(stream.variant == FrameVariant(size: native, quality: 70, passthrough: true, followsNative: true))
            #expect(stream.framesPerSecond == nil)
        }
    }

    @Test(
        "stream options map to the variant and rate",
        arguments: [
            ("camera=2&fps=5&compression=80&resolution=160x120", 1_455_317_736, "160x120", 20, 5),
            ("cameraId=1455317736&compression=0", 1_455_317_736, "320x240", 100, nil),
            ("camera=1&compression=100", 182_399_567, "320x240", 1, nil), ("fps=0", 182_399_567, "320x240", 70, nil),
            ("fps=9", 182_399_567, "320x240", 70, 9), ("fps=10", 182_399_567, "320x240", 70, 10),
            ("fps=60", 182_399_567, "320x240", 70, 60), ("resolution=16x16", 182_399_567, "16x16", 70, nil),
            ("resolution=320x16", 182_399_567, "320x16", 70, nil),
            ("camera=&fps=&compression=&resolution=", 182_399_567, "320x240", 70, nil),
        ] as [(String, Int64, String, Int, Int?)])
    func streamOptions(query: String, id: Int64, size: String, quality: Int, fps: Int?) async throws {
        try await withHarness { harness in
            let stream = try #require(await harness.send("/axis-cgi/mjpg/video.cgi?\(admin)&\(query)").stream)
            #expect(stream.camera.config.id == id)
            #expect(stream.variant.size.description == size)
            #expect(stream.variant.quality == quality)
            #expect(stream.framesPerSecond == fps)
        }
    }

    @Test(
        "a stream without resolution, or with one fitted to exactly the native size, follows the native size",
        arguments: [
            ("", true), ("resolution=640x480", true), ("resolution=320x240", false), ("resolution=1920x1080", false),
            ("resolution=160x120", false), ("compression=50", true),
        ])
    func followsNative(query: String, follows: Bool) async throws {
        try await withHarness { harness in
            let stream = try #require(await harness.send("/axis-cgi/mjpg/video.cgi?\(admin)&\(query)").stream)
            #expect(stream.variant.followsNative == follows)
        }
    }

    @Test("cameraId wins over camera")
    func cameraIdWins() async throws {
        try await withHarness { harness in
            let stream = try #require(
                await harness.send("/axis-cgi/mjpg/video.cgi?\(admin)&camera=1&cameraId=1455317736").stream)
            #expect(stream.camera.config.name == "Doorbell")
        }
    }

    @Test(
        "a size larger than the camera is fitted inside it in the asked ratio, even sides, never upscaled",
        arguments: [
            ("1920x1080", "320x180"), ("640x480", "320x240"), ("3840x2160", "320x180"), ("321x240", "320x238"),
            ("320x241", "318x240"), ("1000x100", "320x32"), ("100x1000", "24x240"), ("99999x99999", "240x240"),
            ("4000x16", "320x16"),
        ])
    func fittedSize(asked: String, served: String) async throws {
        try await withHarness { harness in
            let response = await harness.send("/axis-cgi/jpg/image.cgi?\(admin)&resolution=\(asked)")
            #expect(response.code == 200, "\(asked): \(response.text)")
            let size = try JPEGDecoder().decodeI420(response.bytes).size
            #expect(size == PixelSize(parsing: served), "\(asked)")
        }
    }

    @Test("image.cgi returns a JPEG of the asked size")
    func snapshot() async throws {
        try await withHarness { harness in
            let decoder = try JPEGDecoder()
            for (query, size) in [
                ("", native), ("&resolution=160x120", PixelSize(width: 160, height: 120)),
                ("&camera=2&resolution=100x30&compression=90", PixelSize(width: 100, height: 30)),
            ] {
                let response = await harness.send("/axis-cgi/jpg/image.cgi?\(admin)\(query)")
                #expect(response.code == 200)
                #expect(response.header("Content-Type") == "image/jpeg")
                #expect(response.header("Cache-Control") == "no-cache")
                let jpeg = response.bytes
                #expect(Array(jpeg.prefix(2)) == [0xFF, 0xD8])
                #expect(try decoder.decodeI420(jpeg).size == size, "\(query)")
            }
        }
    }

    @Test("guests may watch")
    func guestsWatch() async throws {
        try await withHarness { harness in
            #expect(await harness.send("/axis-cgi/jpg/image.cgi?user=guest&pwd=guest").code == 200)
            #expect(await harness.send("/axis-cgi/mjpg/video.cgi?user=guest&pwd=guest").stream != nil)
        }
    }
}

@Suite("ptz.cgi and lightcontrol.cgi")
struct ControlTests {
    private func ptz(_ harness: Harness, _ query: String) async -> TinyCamResponse {
        await harness.send("/axis-cgi/com/ptz.cgi?\(admin)&\(query)")
    }

    @Test("each continuous command moves its axis over the camera's clock")
    func continuousCommands() async throws {
        try await withHarness { harness in
            let ok = await ptz(harness, "continuouspantiltmove=100,-100&continuouszoommove=100")
            #expect(ok.code == 200)
            #expect(ok.text == "")
            harness.clock.advance(by: 1000)
            var view = harness.frontYard.viewport
            #expect(view.pan == 0.5)
            #expect(view.tilt == -0.5)
            #expect(view.zoom == 1.75)
            #expect(await ptz(harness, "continuouspantiltmove=0,0&continuouszoommove=0").code == 200)
            harness.clock.advance(by: 1000)
            #expect(harness.frontYard.viewport == view)

            #expect(await ptz(harness, "continuousfocusmove=100&continuousirismove=-100").code == 200)
            harness.clock.advance(by: 1000)
            view = harness.frontYard.viewport
            #expect(view.focus == 0.75)
            #expect(view.iris == 0.25)

            #expect(await ptz(harness, "move=home").code == 200)
            #expect(harness.frontYard.viewport == .home)
        }
    }

    @Test("the document's double-m spellings of focus and iris are accepted")
    func doubleMSpellings() async throws {
        try await withHarness { harness in
            #expect(await ptz(harness, "continuousfocusmmove=-100&continuousirismmove=100").code == 200)
            harness.clock.advance(by: 1000)
            #expect(harness.frontYard.viewport.focus == 0.25)
            #expect(harness.frontYard.viewport.iris == 0.75)
        }
    }

    @Test("camera and cameraId pick the camera")
    func cameraSelection() async throws {
        let config = DecoyConfig.testDefault.with { $0.cameras[1].ptzCapabilities = 230_911 }
        try await withHarness(config) { harness in
            #expect(await ptz(harness, "camera=2&continuouszoommove=100").code == 200)
            #expect(await ptz(harness, "cameraId=182399567&continuouspantiltmove=-100,0").code == 200)
            harness.clock.advance(by: 1000)
            #expect(harness.doorbell.viewport.zoom == 1.75)
            #expect(harness.doorbell.viewport.pan == 0)
            #expect(harness.frontYard.viewport.pan == -0.5)
            #expect(harness.frontYard.viewport.zoom == 1)
        }
    }

    @Test(
        "malformed or out-of-range values are 400 and change nothing",
        arguments: [
            "continuouspantiltmove=101,0", "continuouspantiltmove=0,-101", "continuouspantiltmove=100",
            "continuouspantiltmove=a,b", "continuouspantiltmove=1,2,3", "continuouspantiltmove=,",
            "continuouspantiltmove=",
            "continuouszoommove=-101", "continuouszoommove=1.5", "continuouszoommove=", "continuousfocusmove=200",
            "continuousirismmove=x", "continuousfocusmove=1&continuousfocusmmove=1",
            "continuousirismove=1&continuousirismmove=1", "gotoserverpresetno=0", "gotoserverpresetno=101",
            "setserverpresetno=-1", "setserverpresetno=one", "move=up", "move=", "move=HOME",
            "continuouspantiltmove=100,0&move=up", "camera=1", "", "foo=bar",
        ])
    func badValues(_ query: String) async throws {
        try await withHarness { harness in
            let response = await ptz(harness, query)
            #expect(response.code == 400, "\(query)")
            #expect(response.text.hasPrefix("HTTP 400. "), "\(response.text)")
            harness.clock.advance(by: 1000)
            #expect(harness.frontYard.viewport == .home)
        }
    }

    @Test("Doorbell cannot pan: 400 naming the capability")
    func doorbellCannotPan() async throws {
        try await withHarness { harness in
            let response = await ptz(harness, "camera=2&continuouspantiltmove=100,0")
            #expect(response.code == 400)
            #expect(response.text == "HTTP 400. camera 'Doorbell' has no pan/tilt capability")
            #expect(await ptz(harness, "cameraId=1455317736&move=home").code == 400)
            #expect(await ptz(harness, "camera=2&setserverpresetno=1").code == 400)
        }
    }

    @Test("a preset saves the position and goto returns to it")
    func presetRoundTrip() async throws {
        try await withHarness { harness in
            #expect(await ptz(harness, "continuouspantiltmove=100,100").code == 200)
            harness.clock.advance(by: 1000)
            #expect(await ptz(harness, "continuouspantiltmove=0,0&setserverpresetno=3").code == 200)
            let saved = harness.frontYard.viewport
            #expect(saved.pan == 0.5 && saved.tilt == 0.5)
            #expect(await ptz(harness, "move=home").code == 200)
            #expect(harness.frontYard.viewport == .home)
            #expect(await ptz(harness, "gotoserverpresetno=3").code == 200)
            #expect(harness.frontYard.viewport == saved)
            // Presets belong to their camera.
            let config = harness.services.cameras.presets
            #expect(config.preset(3, camera: harness.doorbell.config.id) == nil)
        }
    }

    @Test("goto of an unset preset answers 200 and does not move (the web UI sends keys 1..9 blindly)")
    func gotoUnset() async throws {
        try await withHarness { harness in
            #expect(await ptz(harness, "continuouspantiltmove=100,0").code == 200)
            harness.clock.advance(by: 500)
            #expect(await ptz(harness, "continuouspantiltmove=0,0").code == 200)
            let before = harness.frontYard.viewport
            #expect(before != .home)
            let response = await ptz(harness, "gotoserverpresetno=9")
            #expect(response.code == 200)
            #expect(response.text.isEmpty)
            harness.clock.advance(by: 2000)
            #expect(harness.frontYard.viewport == before)
            let outcome = try harness.frontYard.apply([.gotoPreset(9)])
            #expect(outcome.unsetPresets == [9])
        }
    }

    @Test("lightcontrol actions set the LED")
    func lightActions() async throws {
        try await withHarness { harness in
            for (action, mode) in [("L1:-100", LEDMode.on), ("L1:-50", .auto), ("L1:-0", .off)] {
                let response = await harness.send("/axis-cgi/io/lightcontrol.cgi?\(admin)&action=\(action)")
                #expect(response.code == 200, "\(action)")
                #expect(response.text == "")
                #expect(harness.frontYard.led == mode, "\(action)")
            }
        }
    }

    @Test("Doorbell turns its LED on but not off", arguments: [("L1:-100", 200), ("L1:-0", 400), ("L1:-50", 400)])
    func doorbellLight(action: String, status: Int) async throws {
        try await withHarness { harness in
            let response = await harness.send("/axis-cgi/io/lightcontrol.cgi?\(admin)&camera=2&action=\(action)")
            #expect(response.code == status)
            #expect(harness.doorbell.led == (status == 200 ? .on : .off))
        }
    }

    @Test(
        "bad or missing light actions are 400",
        arguments: ["action=L1:100", "action=L1:-1", "action=on", "action=", "action=l1:-100", "", "camera=1"])
    func badLightActions(_ query: String) async throws {
        try await withHarness { harness in
            let response = await harness.send("/axis-cgi/io/lightcontrol.cgi?\(admin)&\(query)")
            #expect(response.code == 400, "\(query)")
            #expect(response.text.hasPrefix("HTTP 400. "))
            #expect(harness.frontYard.led == .off)
        }
    }
}
