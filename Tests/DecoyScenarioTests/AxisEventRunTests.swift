import Foundation
import Testing

@testable import DecoyTestSupport

/// Whether `.venv-axis` has the `websockets` library (DecoyServerTests' Axis suites make it).
private enum EventVenv {
    static var hasWebSockets: Bool {
        let lib = packageRoot + "/.venv-axis/lib"
        let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []
        return pythons.contains { FileManager.default.fileExists(atPath: "\(lib)/\($0)/site-packages/websockets") }
    }
}

/// `decoy run` with an Axis-profile scenario and a real event client (Python `websockets`, in
/// `.venv-axis`): the scenario's `motion` and `io` steps reach the client as events.
@Suite(
    .serialized,
    .enabled("needs .venv-axis with websockets (Tools/setup.sh --axis-venv)") { EventVenv.hasWebSockets })
struct AxisEventRunTests {

    @Test func aScenariosMotionAndIOStepsReachAnEventWebSocketClient() async throws {
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenario = folder + "/axis-motion.yaml"
        try """
        name: axis-motion
        duration: 20s
        config:
          server:
            profile: axis
          cameras:
            - name: Porch
              id: 5
              io: {inputs: [Door]}
        timeline:
          - at: 3s
            motion: { camera: Porch, type: person, duration: 1s }
          - at: 5s
            io: { camera: Porch, input: Door, active: true }
        """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let vmd = "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1"
        let client = try RunCommandTests.script(
            """
            exec "\(packageRoot)/.venv-axis/bin/python" "\(packageRoot)/Tools/axis-events-client.py" --timeout 15 \\
              --until '\(vmd)=1' --until '\(vmd)=0' --until 'tns1:Device/tnsaxis:IO/Port|0=1' > "\(folder)/events.json"
            """, in: folder)
        let result = try await RunCommandTests.run(["run", scenario, "--", client], in: folder)
        let events = (try? String(contentsOfFile: folder + "/events.json", encoding: .utf8)) ?? ""
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("client exited with 0"), "\(result.stdout)\n\(events)")
        let report = try JSONSerialization.jsonObject(with: Data(events.utf8)) as? [String: Any]
        #expect(report?["complete"] as? Bool == true, "\(events)")
        // The person also shows as object analytics' person scenario.
        let topics = (report?["notifications"] as? [[String: Any]] ?? []).compactMap { $0["topic"] as? String }
        #expect(topics.contains("tnsaxis:CameraApplicationPlatform/ObjectAnalytics/Device1Scenario1"))
    }
}
