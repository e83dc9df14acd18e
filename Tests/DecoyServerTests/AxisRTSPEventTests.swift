import DecoyCore
import Foundation
import Testing

@testable import DecoyTestSupport

/// The Axis event stream over RTSP (`event=on`) as Home Assistant's Axis integration takes it: the
/// real `axis` library (`Tools/axis-rtsp-events.py`) subscribes with RTP over UDP, reads every
/// property's current state, and sees motion go on when Decoy is asked for it.
@Suite(
    "The axis library's RTSP event stream against Decoy's axis profile",
    .enabled("needs .venv-axis with axis==60 (Tools/setup.sh --axis-venv, from PyPI)") { AxisVenv.ready })
struct AxisRTSPEventTests {
    static let script = PythonVenv.tool("axis-rtsp-events.py")

    /// The library's report after `seconds`, asking for motion `motionAfter` seconds after it plays.
    static func subscribe(
        port: Int, seconds: Int, motionAfter: Double? = nil
    ) async throws -> (
        ProcessResult, [[String: Any]], [String]
    ) {
        var arguments = [
            script, "--http-port", String(port), "--rtsp-port", String(port), "--seconds", String(seconds),
        ]
        if let motionAfter { arguments += ["--motion-after", String(motionAfter)] }
        let result = try await ChildProcess.run(AxisVenv.python, arguments, timeout: .seconds(seconds + 40))
        let report = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [String: Any] ?? [:]
        return (result, report["events"] as? [[String: Any]] ?? [], report["signals"] as? [String] ?? [])
    }

    @Test("every property arrives Initialized, then motion from createmotion.cgi as Changed")
    func theLibrarySeesInitializedThenMotion() async throws {
        try await withServer({ $0.server.profile = .axis }) { server in
            let (result, events, signals) = try await Self.subscribe(port: server.port, seconds: 3, motionAfter: 1)
            #expect(signals.first == "playing", "\(signals) \(result.stderrText)")
            #expect(
                !result.stderrText.contains("Traceback"),
                "the library's parser took every document: \(result.stderrText)")
            let initialized = events.filter { $0["operation"] as? String == "Initialized" }
            let ids = Set(initialized.compactMap { $0["id"] as? String })
            #expect(ids.isSuperset(of: ["Camera1Profile1", "Camera2Profile1"]), "the VMD profiles: \(ids)")
            let light = initialized.first { $0["topic"] as? String == "tns1:Device/tnsaxis:Light/Status" }
            #expect(light != nil, "the LED's state: \(initialized)")
            let vmd = try #require(initialized.first { $0["id"] as? String == "Camera1Profile1" })
            #expect(vmd["tripped"] as? Bool == false, "no motion at first")
            let changed = events.filter { $0["operation"] as? String == "Changed" }
            #expect(
                changed.contains { $0["id"] as? String == "Camera1Profile1" && $0["tripped"] as? Bool == true },
                "motion on: \(changed)")
        }
    }

    /// The metadata track is the axis profile's: the tinycam profile refuses `event=on` with 400.
    @Test func theTinyCamProfileRefusesEventStreams() async throws {
        try await withServer { server in
            let (_, events, signals) = try await Self.subscribe(port: server.port, seconds: 1)
            #expect(events.isEmpty)
            #expect(!signals.contains("playing"), "\(signals)")
            let log = server.runtime.services.logs.access.text
            #expect(
                log.contains("\"DESCRIBE rtsp://127.0.0.1/axis-media/media.amp?video=0&audio=0&event=on\" 400"),
                "\(log)")
        }
    }
}
