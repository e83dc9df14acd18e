import DecoyControl
import DecoyCore
import DecoyMedia
import DecoyScenario
import DecoyServer
import Foundation
import Logging

@testable import DecoyTestSupport

/// A sandbox with the control API, both on ephemeral loopback ports, and a state folder for
/// recordings: what `decoy serve --control` runs, with cameras made for the browser checks.
final class WebHarness: Sendable {
    let sandbox: Sandbox
    let control: ControlServer
    let folder: String

    /// Front yard moves (PTZ, LED, presets) and shows nothing that moves by itself, so only a PTZ
    /// command changes its picture; Doorbell records its events with short rolls; `extraCameras`
    /// more plain cameras fill a grid.
    static func config(profile: ServerProfile = .tinycam, extraCameras: Int = 0) -> DecoyConfig {
        var config = DecoyConfig()
        config.server.profile = profile
        config.server.listen = ListenAddress(host: "127.0.0.1", port: 0)
        config.events.triggerDurationSeconds = 2
        for index in config.cameras.indices {
            config.cameras[index].resolution = PixelSize(width: 640, height: 360)
            config.cameras[index].fps = 10
        }
        config.cameras[1].recording.enabled = true
        config.cameras[1].recording.preRollSeconds = 1
        config.cameras[1].recording.postRollSeconds = 1
        for number in 0..<extraCameras {
            config.cameras.append(
                CameraConfig(
                    name: "Grid \(number + 1)", id: Int64(900_000 + number),
                    resolution: PixelSize(width: 640, height: 360),
                    fps: 10))
        }
        return config
    }

    private init(sandbox: Sandbox, control: ControlServer, folder: String) {
        self.sandbox = sandbox
        self.control = control
        self.folder = folder
    }

    static func start(_ config: DecoyConfig = config()) async throws -> WebHarness {
        let folder = NSTemporaryDirectory() + "decoy-web-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let metrics = ControlMetrics()
        let logger = Logger(label: "test.web")
        let sandbox = try await Sandbox.start(
            config: config, options: .init(stateDirectory: folder, networkThreads: 1, mediaThreads: 1),
            outer: { MetricsResponder($0, metrics: metrics) }, logger: logger)
        let control = try await ControlServer.start(
            listen: ListenAddress(host: "127.0.0.1", port: 0),
            router: ControlRouter(sandbox: sandbox, metrics: metrics), logger: logger)
        return WebHarness(sandbox: sandbox, control: control, folder: folder)
    }

    /// Runs `body` on a fresh harness and always shuts it down.
    static func with(_ config: DecoyConfig = config(), _ body: (WebHarness) async throws -> Void) async throws {
        let harness = try await start(config)
        var failure: (any Error)?
        do { try await body(harness) } catch { failure = error }
        await harness.stop()
        if let failure { throw failure }
    }

    func stop() async {
        await control.stop()
        await sandbox.runtime.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    var tinyCam: String { "http://127.0.0.1:\(sandbox.runtime.port)" }
}
