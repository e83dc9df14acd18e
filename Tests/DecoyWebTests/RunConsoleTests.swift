import Foundation
import Testing

@testable import DecoyTestSupport

/// `decoy run` of a shipped scenario whose client is the browser check `run-console`: it watches
/// the console on `DECOY_CONTROL_URL` while doing what the scenario expects, and sees the
/// expectations turn green as it does.
/// (In `BrowserTests`, so that it runs alone: two browsers and a run at once starve each other on two cores.)
extension BrowserTests {
    @Test func theConsoleShowsARunsExpectationsTurningGreen() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try DecoyBinary.path())
        process.arguments = [
            "run", packageRoot + "/Scenarios/doorbell-ring.yaml", "--", "python3", Browser.script, "run-console",
            "--artifacts", artifactsFolder,
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        let log = artifactsFolder + "/run-console.log"
        try FileManager.default.createDirectory(atPath: artifactsFolder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try? FileManager.default.removeItem(atPath: artifactsFolder + "/run-console.json")
        try process.run()
        // On a thread of its own: a pool thread blocked for the whole run would starve other suites.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                process.waitUntilExit()
                continuation.resume()
            }.start()
        }
        try handle.close()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(output)")
        let report = try jsonObject(try String(contentsOfFile: artifactsFolder + "/run-console.json", encoding: .utf8))
        #expect(report["ok"] as? Bool == true, "\(report["error"] ?? "")\n\(output)")
        let facts = report["facts"] as? [String: Any] ?? [:]
        #expect(facts["name"] as? String == "doorbell-ring")
        let names = ["polls events after the ring", "no login storm"]
        #expect((facts["before"] as? [String: String])?[names[0]] == "pending", "\(facts)")
        #expect((facts["before"] as? [String: String])?[names[1]] == "pass", "\(facts)")
        #expect(facts["after"] as? [String: String] == [names[0]: "pass", names[1]: "pass"], "\(facts)")
        #expect(output.contains("PASS  polls events after the ring"), "\(output)")
    }
}
