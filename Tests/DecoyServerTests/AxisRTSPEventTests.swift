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

    /// The library's report after `seconds`, asking for motion `motionAfter` seconds after it plays
    /// (then it ends as soon as that motion has gone on and off).
    static func subscribe(
        port: Int, seconds: Int, motionAfter: Double? = nil
    ) async throws -> (
        ProcessResult, [[String: Any]], [String]
    ) {
        var arguments = [
            script, "--http-port", String(port), "--rtsp-port", String(port), "--seconds", String(seconds),
        ]
        if let motionAfter { arguments += ["--motion-after", String(motionAfter), "--until-motion-off"] }
        let result = try await ChildProcess.run(AxisVenv.python, arguments, timeout: .seconds(seconds + 40))
        let report = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [String: Any] ?? [:]
        return (result, report["events"] as? [[String: Any]] ?? [], report["signals"] as? [String] ?? [])
    }

    @Test("every property arrives Initialized, then motion from createmotion.cgi as Changed, on and then off")
    func theLibrarySeesInitializedThenMotion() async throws {
        try await withServer({
            $0.server.profile = .axis
            $0.events.triggerDurationSeconds = 1
        }) { server in
            let (result, events, signals) = try await Self.subscribe(port: server.port, seconds: 15, motionAfter: 1)
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
            let motion = changed.filter { $0["id"] as? String == "Camera1Profile1" }.compactMap {
                $0["tripped"] as? Bool
            }
            #expect(motion == [true, false], "motion on, then off a second later: \(changed)")
        }
    }

    /// The metadata track is the axis profile's: the tinycam profile refuses `event=on` with 400.
    @Test func theTinyCamProfileRefusesEventStreams() async throws {
        try await withServer { server in
            let (_, events, signals) = try await Self.subscribe(port: server.port, seconds: 5)
            #expect(events.isEmpty)
            #expect(!signals.contains("playing"), "\(signals)")
            let log = server.runtime.services.logs.access.text
            #expect(
                log.contains("\"DESCRIBE rtsp://127.0.0.1/axis-media/media.amp?video=0&audio=0&event=on\" 400"),
                "\(log)")
        }
    }
}

extension AxisRTSPEventTests {
    /// `Scenarios/axis-event-stream.yaml` through `decoy run`: a client that subscribes again as
    /// soon as the server closes its stream passes; the `axis` library alone (it notices at its
    /// next keep-alive and retries 15 s later) fails on the resubscription.
    @Test(arguments: [true, false]) func theEventStreamScenario(resubscribes: Bool) async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = folder + "/client.sh"
        let run =
            "\"\(AxisVenv.python)\" \"\(Self.script)\" --http-port \"${DECOY_URL##*:}\" --rtsp-port \"${DECOY_URL##*:}\""
            + " --user \"$DECOY_ADMIN_USER\" --password \"$DECOY_ADMIN_PASSWORD\""
        let body =
            resubscribes
            ? "end=$(( $(date +%s) + 22 ))\nwhile [ \"$(date +%s)\" -lt \"$end\" ]; do\n  \(run) --seconds 21 --exit-on-close >/dev/null || true\ndone\n"
            : "\(run) --seconds 21 >/dev/null || true\n"
        try ("#!/bin/sh\n" + body).write(toFile: client, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: client)
        let decoy = try DecoyBinary.path()
        let result = try await ChildProcess.run(
            decoy, ["run", packageRoot + "/Scenarios/axis-event-stream.yaml", "--", client], timeout: .seconds(90))
        if resubscribes {
            #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderrText)")
        } else {
            #expect(result.status == 1, "\(result.stdoutText)\n\(result.stderrText)")
            #expect(result.stdoutText.contains("FAIL  resubscribes within 5 s of the drop"), "\(result.stdoutText)")
        }
        #expect(result.stdoutText.contains("PASS  subscribed to the event stream"), "\(result.stdoutText)")
    }
}
