import DecoyCore
import DecoyTinyCam
import Foundation
import Testing

@testable import DecoyTestSupport

/// The `axis` Python library (axis==60, what Home Assistant's Axis integration runs) and the
/// `websockets` library (15.0.1, the event WebSocket's client) in `.venv-axis`, made by
/// `Tools/setup.sh --test` or `--axis-venv`.
enum AxisVenv {
    static let venv = PythonVenv(
        name: ".venv-axis", setupOption: "--axis-venv",
        check:
            "import importlib.metadata as m, sys; import axis, websockets; "
            + "sys.exit(m.version('axis') != '60' or m.version('websockets') != '15.0.1')",
        suite: "AxisLibraryTests and AxisEventSocketTests")
    static let python = venv.python
    static let script = PythonVenv.tool("axis-client.py")

    /// Whether the venv has axis==60 and websockets==15.0.1, creating it first when it does not.
    static let ready = venv.prepare()
}

/// An `axis` library to run `Tools/axis-client.py` with: `.venv-axis`'s axis==60 always, and the
/// version Home Assistant's own integration pins (`.venv-ha`'s axis==64) when that venv has it, so
/// Decoy answers what the integration really runs. (Beside Home Assistant 2024.3 the pin is
/// axis==58, whose module layout the script does not follow; the integration test covers it.)
struct AxisLibrary: Sendable, CustomTestStringConvertible {
    let label: String
    let python: String

    var testDescription: String { label }

    static var all: [AxisLibrary] {
        let pinned = HomeAssistantVenv.ready ? HomeAssistantVenv.axisVersion : nil
        return [AxisLibrary(label: "axis==60", python: AxisVenv.python)]
            + (pinned.map { Int($0) ?? 0 >= 60 } == true
                ? [AxisLibrary(label: "axis==\(pinned ?? "") (Home Assistant's pin)", python: HomeAssistantVenv.python)]
                : [])
    }
}

@Suite(
    "The axis library (Home Assistant's Axis integration) against Decoy's axis profile",
    .enabled("needs .venv-axis with axis==60 (Tools/setup.sh --axis-venv, from PyPI)") { AxisVenv.ready })
struct AxisLibraryTests {
    private func runClient(
        _ library: AxisLibrary, port: Int, _ extra: [String] = []
    ) async throws -> (ProcessResult, [String: Any]) {
        let result = try await ChildProcess.run(
            library.python, [AxisVenv.script, "--port", String(port)] + extra, timeout: .seconds(60))
        let object = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [String: Any] ?? [:]
        return (result, object)
    }

    @Test(
        "initialises over Digest, reads brand, serial and image sizes, and pans camera 1 through a POST form",
        arguments: AxisLibrary.all)
    func initialise(library: AxisLibrary) async throws {
        try await withServer({ $0.server.profile = .axis }) { server in
            let camera = server.runtime.services.cameras.cameras[0]
            let panBefore = camera.viewport.pan
            let (result, device) = try await runClient(library, port: server.port, ["--ptz"])
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

    @Test(
        "the library speaks Digest only: behind a Basic-only challenge it learns nothing (each API is unauthorised)",
        arguments: AxisLibrary.all)
    func digestOnly(library: AxisLibrary) async throws {
        try await withServer({
            $0.server.profile = .axis
            $0.server.authChallenge = .basic
        }) { server in
            let (result, device) = try await runClient(library, port: server.port)
            #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderrText)")
            #expect(device["apis"] as? [String] == [])
            #expect(device["basic_device_info"] as? Bool == false)
            #expect(device["serial_number"] as? String == "")
            #expect(device["brand"] is NSNull)
        }
    }

    private func axisWithPorts(_ config: inout DecoyConfig) {
        config.server.profile = .axis
        config.cameras[0].ptzCapabilities |= PTZCapabilities([.ledOn, .ledOff, .ledAuto]).rawValue
        config.cameras[0].io = CameraIOConfig(inputs: ["Door"], outputs: ["Siren"])
    }

    @Test(
        "user groups say admin for admin and viewer for guest; ports, lights, VMD, view areas and event topics load",
        arguments: AxisLibrary.all)
    func features(library: AxisLibrary) async throws {
        try await withServer(axisWithPorts) { server in
            let (result, device) = try await runClient(library, port: server.port, ["--features"])
            #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderrText)")
            #expect(device["privileges"] as? String == "viewer:operator:admin:ptz")
            #expect(device["users"] as? [String: String] == ["admin": "viewer:operator:admin:ptz", "guest": "viewer"])
            let ports = device["ports"] as? [String: [String: String]]
            #expect(ports?["0"] == ["name": "Door", "direction": "input", "state": "open"])
            #expect(ports?["1"] == ["name": "Siren", "direction": "output", "state": "open"])
            #expect((device["lights"] as? [String: [String: Bool]])?["led0"] == ["on": false, "auto": false])
            #expect(device["applications"] as? [String: String] == ["vmd": "Running"])
            #expect(device["vmd_profiles"] as? [String] == ["Profile 1@1", "Profile 1@2"])
            #expect(device["view_areas"] as? [String] == ["1", "2"])
            let topics = device["event_instances"] as? [String] ?? []
            for topic in [
                "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1", "tns1:VideoSource/MotionAlarm",
                "tns1:Device/tnsaxis:Light/Status", "tns1:Device/tnsaxis:IO/Port", "tns1:Device/Trigger/Relay",
                "tns1:PTZController/tnsaxis:Move/Channel_1",
                "tnsaxis:CameraApplicationPlatform/ObjectAnalytics/Device1Scenario1",
            ] {
                #expect(topics.contains(topic), "\(topic) in \(topics)")
            }

            let (guestRun, guest) = try await runClient(
                library, port: server.port, ["--features", "--user", "guest", "--password", "guest"])
            #expect(guestRun.status == 0, "\(guestRun.stdoutText)\n\(guestRun.stderrText)")
            #expect(guest["privileges"] as? String == "viewer")
            #expect(guest["users"] as? [String: String] == [:], "pwdgrp.cgi is for admins")
        }
    }

    @Test(
        "the light control API turns on the LED tinyCam's lightcontrol.cgi sets, image.cgi shows it; closing an output activates it",
        arguments: AxisLibrary.all
    )
    func lightAndPort(library: AxisLibrary) async throws {
        try await withServer(axisWithPorts) { server in
            let camera = server.runtime.services.cameras.cameras[0]
            #expect(camera.led == .off)
            let dark = try await ServerIntegration.PTZPicture.snapshot(server.port)
            let (result, device) = try await runClient(
                library, port: server.port, ["--light-on", "led0", "--close-port", "1"])
            #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderrText)")
            #expect(device["light_status"] as? Bool == true)
            #expect(camera.led == .on, "the same LED the picture draws and L1:-100 sets")
            // image.cgi's picture shows it (within a few frames: the newest frame may predate the command).
            #expect(
                try await poll(timeout: .seconds(5)) {
                    try await ServerIntegration.PTZPicture.snapshot(server.port).meanY > dark.meanY + 5
                }, "the picture brightens as with L1:-100")
            #expect(device["port_state"] as? String == "closed")
            #expect(camera.io.isActive(.output(0)))
        }
    }

    @Test(
        "the library's metadata parser reads Decoy's tt:MetadataStream documents: topic, id, state, operation",
        arguments: AxisLibrary.all)
    func metadataDocuments(library: AxisLibrary) async throws {
        try await withServer({ $0.server.profile = .axis }) { server in
            let events = server.runtime.services.axisEvents
            var subscription = AxisEventSubscription(catalog: events.catalog, filter: .all)
            let now = server.runtime.services.clock.nowMilliseconds()
            var notes = subscription.start(at: now)
            server.runtime.services.cameras.cameras[0].activity.begin(
                .person, origin: .api, durationMilliseconds: 60_000)
            notes += subscription.changes(at: now + 1)
            let documents = notes.map { AxisMetadataXML.document($0, producer: events.producer) }
            let file = TestServer.temporaryFolder() + "/documents.json"
            defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
            try JSONSerialization.data(withJSONObject: documents).write(to: URL(fileURLWithPath: file))
            let result = try await ChildProcess.run(
                library.python, [AxisVenv.script, "--port", "0", "--decode-events", file], timeout: .seconds(60))
            #expect(result.status == 0, "\(result.stderrText)")
            let decoded = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [[String: Any]] ?? []
            #expect(decoded.count == documents.count)
            func find(_ topic: String, _ operation: String) -> [String: Any]? {
                decoded.first { $0["topic"] as? String == topic && $0["operation"] as? String == operation }
            }
            let vmdInitial = find("tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1", "Initialized")
            #expect(vmdInitial?["topic_base"] as? String == "tnsaxis:CameraApplicationPlatform/VMD")
            #expect(vmdInitial?["group"] as? String == "motion")
            #expect(vmdInitial?["id"] as? String == "Camera1Profile1")
            #expect(vmdInitial?["tripped"] as? Bool == false)
            let vmdChanged = find("tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1", "Changed")
            #expect(vmdChanged?["tripped"] as? Bool == true)
            let person = find("tnsaxis:CameraApplicationPlatform/ObjectAnalytics/Device1Scenario1", "Changed")
            #expect(person?["group"] as? String == "motion")
            #expect(person?["tripped"] as? Bool == true)
            let ptz = find("tns1:PTZController/tnsaxis:Move/Channel_1", "Initialized")
            #expect(ptz?["group"] as? String == "ptz")
            #expect(ptz?["id"] as? String == "1")
            #expect(ptz?["tripped"] as? Bool == false)
        }
    }
}
