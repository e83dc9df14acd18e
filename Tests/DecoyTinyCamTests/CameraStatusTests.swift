import DecoyCore
import DecoyMedia
import Testing

@testable import DecoyTinyCam

/// `get_status?cameraId=`: the documented `motion` plus Decoy's `health` and, for capture-device
/// sound, `audio`.
struct CameraStatusTests {
    func status(_ harness: Harness, _ camera: Int64) async -> JSON? {
        await harness.send("/api/v1/get_status?\(adminQuery)&cameraId=\(camera)").json?["data"]
    }

    @Test("a camera's status names its picture's health and follows it")
    func health() async throws {
        try await withHarness(.testDefault) { (harness) async throws in
            #expect(await status(harness, TestCamera.doorbell)?["health"]?.string == "live")
            harness.doorbell.setHealth(.frozen)
            #expect(await status(harness, TestCamera.doorbell)?["health"]?.string == "frozen")
            #expect(await status(harness, TestCamera.frontYard)?["health"]?.string == "live")
            #expect(await status(harness, TestCamera.doorbell)?["motion"]?.bool == false, "motion stays")
        }
    }

    @Test("an alsa camera's status carries its device's counters; synthetic sound has no audio key")
    func audioDevice() async throws {
        let config = DecoyConfig.testDefault.with {
            $0.cameras[1].audio = AudioConfig(source: .alsa, rate: 8000)
            $0.cameras[1].audio.device = "hw:9,0"
        }
        try await withHarness(config) { (harness) async throws in
            let audio = await status(harness, TestCamera.doorbell)?["audio"]
            #expect(audio?["device"]?.string == "hw:9,0")
            #expect(audio?["open"]?.bool == false, "nobody listened yet: the device is not open")
            #expect(audio?["xruns"]?.int == 0)
            #expect(audio?["reopens"]?.int == 0)
            #expect(audio?["underruns"]?.int == 0)
            #expect(await status(harness, TestCamera.frontYard)?["audio"] == nil)
        }
    }
}
