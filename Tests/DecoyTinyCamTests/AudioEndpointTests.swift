import DecoyCore
import DecoyTinyCam
import Testing

private let path = "/axis-cgi/audio/receive.wav"

extension TinyCamResponse {
    /// The audio request of a `receive.wav` answer.
    fileprivate var audio: AudioStreamRequest? {
        if case .audio(let request) = body { return request }
        return nil
    }
}

@Suite("receive.wav")
struct AudioEndpointTests {
    @Test("an admin gets an endless WAV of the camera named by camera or cameraId")
    func admin() async throws {
        try await withHarness { harness in
            for (query, camera) in [
                ("", harness.frontYard), ("?camera=2", harness.doorbell),
                ("?cameraId=182399567", harness.frontYard), ("?camera=2&cameraId=182399567", harness.frontYard),
            ] {
                let response = await harness.send(path + query, basic: "admin", "admin")
                #expect(response.code == 200, "\(query): \(response.text)")
                #expect(response.header("Content-Type") == "audio/wav")
                #expect(response.header("Cache-Control") == "no-cache")
                #expect(response.header("Content-Length") == nil)
                #expect(response.bodyLength == nil)
                #expect(response.audio?.camera === camera)
                #expect(response.audio?.hub === camera.audio)
                #expect(response.audio?.hub.sampleRate == 8000)
            }
        }
    }

    @Test("a guest is refused, no credentials are challenged")
    func access() async throws {
        try await withHarness { harness in
            let guest = await harness.send(path, basic: "guest", "guest")
            #expect(guest.code == 403)
            #expect(guest.text == "HTTP 403. Access denied.")
            let anonymous = await harness.send(path)
            #expect(anonymous.code == 401)
            #expect(anonymous.header("WWW-Authenticate") != nil)
            let token = await harness.send(path + "?token=\(harness.token())")
            #expect(token.code == 200)
        }
    }

    @Test("a camera without audioListening, an unknown or disabled camera is 404; a malformed one 400")
    func errors() async throws {
        let config = DecoyConfig.testDefault.with {
            $0.cameras[1].audioListening = false
            $0.cameras.append(CameraConfig(name: "Off", id: 77, enabled: false))
        }
        try await withHarness(config) { harness in
            #expect(harness.doorbell.audio == nil)
            for (query, code) in [
                ("?camera=2", 404), ("?cameraId=1455317736", 404), ("?camera=9", 404),
                ("?cameraId=5", 404), ("?camera=3", 404), ("?camera=x", 400), ("?cameraId=-x", 400),
                ("?camera=%zz", 400),
            ] {
                let response = await harness.send(path + query, basic: "admin", "admin")
                #expect(response.code == code, "\(query): \(response.text)")
                #expect(response.audio == nil)
            }
            let off = await harness.send(path + "?camera=2", basic: "admin", "admin")
            #expect(off.text.contains("audioListening"))
        }
    }

    @Test("the configured rate is the stream's rate")
    func rate() async throws {
        let config = DecoyConfig.testDefault.with { $0.cameras[0].audio = AudioConfig(source: .tone, rate: 44100) }
        try await withHarness(config) { harness in
            let response = await harness.send(path, basic: "admin", "admin")
            #expect(response.audio?.hub.sampleRate == 44100)
            #expect(response.audio?.hub.samplesPerBlock == 882)
        }
    }

    @Test("receive.wav is an admin endpoint in the access table")
    func accessTable() async throws {
        try await withHarness { harness in
            #expect(harness.api.accessTable.first { $0.path == path }?.role == .admin)
        }
    }
}
