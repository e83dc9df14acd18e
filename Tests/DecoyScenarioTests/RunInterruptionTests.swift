import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C (SIGINT) or a cancelled CI job (SIGTERM) during `decoy run`: the client is stopped, the
/// reports are written and say so, and the status is the shell's for that signal.
@Suite(.serialized) struct RunInterruptionTests {
    struct Outcome: Sendable {
        let status: Int32
        let clientStillRunning: Bool
        let stdout: String
    }

    @Test(arguments: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")])
    func aSignalStopsTheClientAndStillWritesTheReports(signal: Int32, name: String) async throws {
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The client becomes `sleep` (exec), so the pid it wrote is the process that must be gone.
        let client = try RunCommandTests.script("echo $$ > \(folder)/client.pid\nexec sleep 120\n", in: folder)
        let decoy = try RunCommandTests.decoy()
        let outcome = try await RunCommandTests.offPool {
            try Self.interrupt(decoy: decoy, client: client, folder: folder, signal: signal)
        }
        let run = try #require(outcome, "the client never started")
        #expect(run.status == 128 + signal, "exit status")
        #expect(!run.clientStillRunning, "the client was stopped, not left running")
        #expect(run.stdout.contains("interrupted by \(name) before its end"), "\(run.stdout)")
        #expect(run.stdout.contains("client stopped at the end"), "\(run.stdout)")
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<property name=\"interruptedBy\" value=\"\(name)\"/>"), "\(junit)")
        #expect(junit.contains("<testcase name=\"polls events after the ring\""), "the expectations were judged")
        let report = try String(contentsOfFile: folder + "/report.json", encoding: .utf8)
        #expect(report.contains("\"interruptedBy\" : \"\(name)\""), "\(report.prefix(300))")
    }

    /// Starts the run, waits for the client, signals Decoy and waits for it (bounded); nil when the
    /// client never started.
    static func interrupt(decoy: String, client: String, folder: String, signal: Int32) throws -> Outcome? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: decoy)
        process.arguments = [
            "run", RunCommandTests.doorbell, "--junit", folder + "/junit.xml", "--report", folder + "/report.json",
            "--", client,
        ]
        process.standardInput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: folder + "/stdout", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/stdout"))
        process.standardError = FileHandle.nullDevice
        try process.run()
        var pid: pid_t?
        for _ in 0..<300 where pid == nil {
            usleep(100_000)
            pid = (try? String(contentsOfFile: folder + "/client.pid", encoding: .utf8)).flatMap {
                pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        guard let pid else {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        kill(process.processIdentifier, signal)
        for _ in 0..<300 where process.isRunning { usleep(100_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let alive = kill(pid, 0) == 0
        if alive { kill(pid, SIGKILL) }
        let stdout = (try? String(contentsOfFile: folder + "/stdout", encoding: .utf8)) ?? ""
        return Outcome(status: process.terminationStatus, clientStillRunning: alive, stdout: stdout)
    }
}
