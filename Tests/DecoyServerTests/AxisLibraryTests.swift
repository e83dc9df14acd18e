import DecoyCore
import Foundation
import Testing

@testable import DecoyTestSupport

/// The `axis` Python library (axis==60, what Home Assistant's Axis integration runs) in
/// `.venv-axis`, made by `Tools/setup.sh --test` or `--axis-venv`.
enum AxisVenv {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let python = root + "/.venv-axis/bin/python"
    static let script = root + "/Tools/axis-client.py"

    /// Whether the venv has axis==60, creating it first when it does not. Only a venv that cannot
    /// be created (PyPI unreachable) makes the tests skip, and that is said loudly.
    static let ready: Bool = {
        if hasLibrary() { return true }
        let setup = try? ChildProcess("/bin/bash", [root + "/Tools/setup.sh", "--axis-venv"]).wait(
            timeout: .seconds(600))
        if hasLibrary() { return true }
        let why = setup.map { $0.stderrText } ?? "Tools/setup.sh could not be started"
        FileHandle.standardError.write(
            Data(
                """
                ********************************************************************************
                SKIPPING AxisLibraryTests: .venv-axis with axis==60 could not be created (no network to PyPI?).
                Run Tools/setup.sh --axis-venv once with network access. Its output:
                \(why)
                ********************************************************************************

                """.utf8))
        return false
    }()

    private static func hasLibrary() -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python),
            let check = try? ChildProcess(
                python, ["-c", "import importlib.metadata as m, sys; import axis; sys.exit(m.version('axis') != '60')"])
        else { return false }
        return check.wait(timeout: .seconds(60)).status == 0
    }
}

@Suite(
    "The axis library (Home Assistant's Axis integration) against Decoy's axis profile",
    .enabled("needs .venv-axis with axis==60 (Tools/setup.sh --axis-venv, from PyPI)") { AxisVenv.ready })
struct AxisLibraryTests {
    private func runClient(port: Int, _ extra: [String] = []) async throws -> (ProcessResult, [String: Any]) {
        let result = try await ChildProcess.run(
            AxisVenv.python, [AxisVenv.script, "--port", String(port)] + extra, timeout: .seconds(60))
        let object = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [String: Any] ?? [:]
        return (result, object)
    }

    @Test("initialises over Digest, reads brand, serial and image sizes, and pans camera 1 through a POST form")
    func initialise() async throws {
        try await withServer({ $0.server.profile = .axis }) { server in
            let camera = server.runtime.services.cameras.cameras[0]
            let panBefore = camera.viewport.pan
            let (result, device) = try await runClient(port: server.port, ["--ptz"])
            #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderrText)")
            let serial = server.runtime.services.config.axisDeviceID
            #expect(
                device["apis"] as? [String] == [
                    "api-discovery", "basic-device-info", "event-streaming-over-websocket", "io-port-management",
                    "light-control", "param-cgi", "stream-profiles", "view-area",
                ])
            #expect(device["basic_device_info"] as? Bool == true)
            #expect(device["serial_number"] as? String == serial)
            #expect(device["properties_serial_number"] as? String == serial)
            #expect(device["brand"] as? String == "AXIS")
            #expect(device["product_number"] as? String == "Decoy")
            #expect(device["product_type"] as? String == "Network Camera")
            #expect(device["firmware_version"] as? String == "10.12.0")
            #expect(device["api_http_version"] as? Int == 3)
            #expect(device["image_formats"] as? String == "jpeg,mjpeg")
            #expect(device["image_resolutions"] as? [String] == ["320x240", "320x180", "160x120", "160x90"])
            let images = device["images"] as? [String: [String: Any]]
            #expect(images?["0"]?["name"] as? String == "Test cam")
            #expect(images?["0"]?["resolution"] as? String == "320x240")
            #expect(images?["0"]?["fps"] as? Int == 15)
            #expect(images?["1"]?["name"] as? String == "Second cam")
            #expect(images?["1"]?["fps"] as? Int == 10)
            #expect(device["ptz_supported"] as? Bool == true)
            #expect(device["ptz_cameras"] as? Int == 2)
            #expect(device["ptz_continuous_pan"] as? [String: Bool] == ["1": true])
            #expect(device["stream_profiles"] as? [String] == ["H.264", "MJPEG"])
            #expect(device["ptz_control"] as? String == "ok")
            #expect(camera.viewport.pan > panBefore, "the library's continuouspantiltmove=100,0 POST moved camera 1")
            let access = server.runtime.services.logs.access.text
            #expect(access.contains("admin \"POST /axis-cgi/com/ptz.cgi\" 204"), "\(access)")
        }
    }

    @Test("the library speaks Digest only: behind a Basic-only challenge it learns nothing (each API is unauthorised)")
    func digestOnly() async throws {
        try await withServer({
            $0.server.profile = .axis
            $0.server.authChallenge = .basic
        }) { server in
            let (result, device) = try await runClient(port: server.port)
            #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderrText)")
            #expect(device["apis"] as? [String] == [])
            #expect(device["basic_device_info"] as? Bool == false)
            #expect(device["serial_number"] as? String == "")
            #expect(device["brand"] is NSNull)
        }
    }
}
