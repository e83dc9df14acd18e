import Foundation
import Testing

@testable import DecoyTestSupport

/// Home Assistant itself, with its Axis integration, in `.venv-ha` (made by `Tools/setup.sh --test`
/// or `--ha-venv`): 2025.4.4 with axis==64 where the machine has Python 3.13, else 2024.3.3 with
/// axis==58 on Debian's Python 3.11.
enum HomeAssistantVenv {
    static let venv = PythonVenv(
        name: ".venv-ha", setupOption: "--ha-venv",
        check:
            "import importlib.metadata as m, sys; import homeassistant, axis; "
            + "sys.exit((m.version('homeassistant'), m.version('axis')) not in "
            + "{('2025.4.4', '64'), ('2024.3.3', '58')})",
        suite: "HomeAssistantAxisTests")
    static let python = venv.python
    static let script = PythonVenv.tool("ha-axis.py")

    /// Whether the venv has Home Assistant and its `axis` pin, creating it first when it does not.
    static let ready = venv.prepare()

    /// The venv's `axis` version ("64" or "58"); nil when it cannot be read.
    static let axisVersion: String? = {
        guard
            let run = try? ChildProcess(python, ["-c", "import importlib.metadata as m; print(m.version('axis'))"])
                .wait(timeout: .seconds(60)), run.status == 0
        else { return nil }
        return run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }()
}

/// `Scenarios/home-assistant-axis.yaml` with Home Assistant's own Axis integration as the client
/// (`Tools/ha-axis.py`: Home Assistant's bootstrap, the integration's config flow, nothing mocked).
/// The integration takes events only from RTSP port 554, so Decoy listens on a loopback address of
/// its own (127.0.0.54) where it can have that port, which needs root.
@Suite(
    "Home Assistant's Axis integration against Decoy's axis profile",
    .enabled("needs .venv-ha with Home Assistant (Tools/setup.sh --ha-venv, from PyPI)") { HomeAssistantVenv.ready },
    .enabled("needs root: the integration dials RTSP port 554") { geteuid() == 0 })
struct HomeAssistantAxisTests {
    /// The states an entity went through, repeats folded, found by the end of its entity id.
    static func states(of suffix: String, in timeline: [[Any]]) -> [String] {
        var states: [String] = []
        for entry in timeline where entry.count == 3 {
            guard let id = entry[1] as? String, id.hasSuffix(suffix), let state = entry[2] as? String else { continue }
            if states.last != state { states.append(state) }
        }
        return states
    }

    @Test(
        "the device is set up and available, its sensors follow the scenario's motion and door, its light and siren turn on, it comes back after the event stream drops, and its stream options work"
    )
    func homeAssistantFollowsTheScenario() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reportPath = folder + "/home-assistant.json"
        let result = try await ChildProcess.run(
            try DecoyBinary.path(),
            [
                "run", packageRoot + "/Scenarios/home-assistant-axis.yaml", "--listen", "127.0.0.54:0", "--",
                HomeAssistantVenv.python, HomeAssistantVenv.script, "--seconds", "63", "--turn-on-after", "2",
                "--pick-stream-options", "--out", reportPath,
            ], timeout: .seconds(160))
        let output = result.stdoutText + "\n" + result.stderrText
        #expect(result.status == 0, "both expectations pass (subscribed, and again after the drop): \(output)")
        let data = try #require(FileManager.default.contents(atPath: reportPath), "no report: \(output)")
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["error"] == nil, "\(report)")
        let flow = report["flow"] as? [String: String] ?? [:]
        #expect(flow["type"] == "create_entry", "the config flow made an entry: \(flow)")
        #expect(report["entry"] as? String == "ConfigEntryState.LOADED", "\(report)")

        let timeline = report["timeline"] as? [[Any]] ?? []
        // Off at first (the Initialized values), on for the motion step, off after it; unavailable
        // when the stream is found dropped, and back (every property Initialized again) after.
        #expect(
            Self.states(of: "_vmd4_profile_1", in: timeline) == ["off", "on", "off", "unavailable", "off"],
            "\(timeline)")
        #expect(
            Self.states(of: "_door", in: timeline) == ["off", "on", "off", "unavailable", "off"], "\(timeline)")
        // Turned on through Home Assistant: the LED and the output change in Decoy, and the event
        // stream says so (the entities follow the stream, not the service call).
        #expect(Self.states(of: "_ir_light_0", in: timeline) == ["off", "on", "unavailable", "on"], "\(timeline)")
        #expect(Self.states(of: "_siren", in: timeline) == ["off", "on", "unavailable", "on"], "\(timeline)")

        let camera = report["camera"] as? [String: Any] ?? [:]
        #expect(camera["jpeg"] as? Bool == true, "the camera entity's snapshot is a whole JPEG: \(camera)")
        let source = camera["stream_source"] as? String ?? ""
        #expect(source.hasPrefix("rtsp://") && source.contains("127.0.0.54/axis-media/media.amp"), "\(camera)")

        // The options offer what streamprofile.cgi and param.cgi list; once MJPEG and view 2 are
        // picked, the stream source carries them and still plays H.264 (the URL's own videocodec
        // wins over the profile's, as on Axis firmware).
        let options = report["options"] as? [String: Any] ?? [:]
        let offered = options["offered"] as? [String: [String]] ?? [:]
        #expect(offered["stream_profile"] == ["No stream profile", "H.264", "MJPEG"], "\(options)")
        #expect(offered["video_source"] == ["No video source", "Front yard", "Doorbell"], "\(options)")
        let picked = options["camera"] as? [String: Any] ?? [:]
        #expect(
            (picked["stream_source"] as? String)?.hasSuffix(
                "/axis-media/media.amp?videocodec=h264&streamprofile=MJPEG&camera=2")
                == true, "\(options)")
        let probed = (picked["ffprobe"] as? [[String: Any]])?.first
        #expect(probed?["codec_name"] as? String == "h264" && probed?["width"] as? Int == 1280, "\(options)")

        let errors = report["errors"] as? [String] ?? []
        let integrationErrors = errors.filter { $0.hasPrefix("axis") || $0.hasPrefix("homeassistant.components.axis") }
        #expect(integrationErrors.isEmpty, "the integration logged no error: \(integrationErrors)")
    }
}
