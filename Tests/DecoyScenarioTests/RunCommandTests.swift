import Foundation
import Testing

@testable import DecoyTestSupport

/// `decoy run` end to end: the built binary, the shipped doorbell scenario and a shell-script
/// client using curl from PATH.
@Suite(.serialized) struct RunCommandTests {
    struct Finished {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    struct Missing: Error, CustomStringConvertible { let description: String }

    static func decoy() throws -> String { try DecoyBinary.path() }

    /// curl from PATH (the client scripts call it by name).
    static func requireCurl() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        guard path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/curl") })
        else { throw Missing(description: "curl is not in PATH; Tools/setup.sh --test installs it") }
    }

    /// Runs `decoy` with `arguments`, output in files (no pipe can fill up), killed after 60 s. The
    /// wait happens on a thread of its own: blocking one of the cooperative pool's two threads for
    /// the length of a run would starve every in-process server the other suites are testing.
    static func run(_ arguments: [String], in folder: String) async throws -> Finished {
        try await offPool { try runBlocking(arguments, in: folder) }
    }

    /// Runs blocking work (a child process, its wait) on a thread of its own, not the pool.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private static func runBlocking(_ arguments: [String], in folder: String) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try decoy())
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = folder + "/stdout", err = folder + "/stderr"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        for _ in 0..<600 where process.isRunning { usleep(100_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return Finished(status: process.terminationStatus, stdout: read(out), stderr: read(err))
    }

    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "decoy-run-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func script(_ body: String, in folder: String) throws -> String {
        let path = folder + "/client.sh"
        try ("#!/bin/sh\nset -e\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    static let doorbell = packageRoot + "/Scenarios/doorbell-ring.yaml"

    /// A shell function for client scripts: `token=$(login)` logs in as the admin and prints the token.
    static let loginFunction = """
        login() {
          curl -fsS "$DECOY_URL/api/v1/login?user=$DECOY_ADMIN_USER&pwd=$DECOY_ADMIN_PASSWORD" \\
            | sed 's/.*"token":"\\([0-9a-f]*\\)".*/\\1/'
        }
        """

    /// The shipped restart scenario with a client that logs in again when its token stops working:
    /// the restart must come back (the client must not hold Decoy's listening socket) and the run
    /// passes.
    @Test func theShippedRestartScenarioPassesWithAClientThatLogsInAgain() async throws {
        try Self.requireCurl()
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try Self.script(
            """
            set +e
            \(Self.loginFunction)
            token=$(login)
            end=$(( $(date +%s) + 10 ))
            while [ "$(date +%s)" -lt "$end" ]; do
              code=$(curl -s -o /dev/null -w '%{http_code}' "$DECOY_URL/api/v1/get_status?token=$token")
              if [ "$code" != 200 ]; then
                echo "client: get_status answered $code; logging in again"
                sleep 0.5
                token=$(login)
              fi
              sleep 0.5
            done
            """, in: folder)
        let result = try await Self.run(
            ["run", packageRoot + "/Scenarios/server-restart.yaml", "--", client], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("all 4 expectations passed"), "\(result.stdout)")
    }

    @Test func aClientThatPollsAfterTheRingPasses() async throws {
        try Self.requireCurl()
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try Self.script(
            """
            curl -fsS "$DECOY_URL/api/v1/login?user=$DECOY_ADMIN_USER&pwd=$DECOY_ADMIN_PASSWORD" > "\(folder)/login.json"
            test -n "$DECOY_GUEST_USER" && test -n "$DECOY_GUEST_PASSWORD"
            test "$DECOY_CAMERA_IDS" = "182399567,1455317736"
            sleep 4
            curl -fsS -u "$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD" "$DECOY_URL/api/v1/get_cam_event_list" > /dev/null
            """, in: folder)
        let result = try await Self.run(
            [
                "run", Self.doorbell, "--junit", folder + "/junit.xml", "--report", folder + "/report.json", "--",
                client,
            ],
            in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("all 2 expectations passed"), "\(result.stdout)")
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<testsuite name=\"doorbell-ring\" tests=\"2\" failures=\"0\""), "\(junit)")
        #expect(junit.contains("<testcase name=\"polls events after the ring\""), "\(junit)")
        #expect(junit.contains("<testcase name=\"no login storm\""), "\(junit)")
        #expect(!junit.contains("<failure"), "\(junit)")
        let report = try String(contentsOfFile: folder + "/report.json", encoding: .utf8)
        #expect(report.contains("\"path\" : \"/api/v1/login\""), "\(report)")
        #expect(report.contains("\"value\" : \"***\""), "the password is masked: \(report)")
    }

    @Test func aClientThatNeverPollsFailsWithEvidence() async throws {
        try Self.requireCurl()
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try Self.script(
            """
            curl -fsS "$DECOY_URL/api/v1/login?user=$DECOY_ADMIN_USER&pwd=$DECOY_ADMIN_PASSWORD" > /dev/null
            sleep 4
            curl -fsS -u "$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD" "$DECOY_URL/api/v1/get_cam_list" > /dev/null
            """, in: folder)
        let result = try await Self.run(
            ["run", Self.doorbell, "--junit", folder + "/junit.xml", "--", client], in: folder)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("FAIL  polls events after the ring"), "\(result.stdout)")
        #expect(result.stdout.contains("PASS  no login storm"), "\(result.stdout)")
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("tests=\"2\" failures=\"1\""), "\(junit)")
        #expect(junit.components(separatedBy: "<failure ").count == 2, "\(junit)")
        #expect(junit.contains("<failure message=\"no /api/v1/get_cam_event_list between 3"), "\(junit)")
    }

    @Test func aClientStillRunningAtTheEndIsStopped() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenario = folder + "/short.yaml"
        try "name: short\nduration: 1s\nexpect:\n  - name: exits by itself\n    clientExit: 0\n".write(
            toFile: scenario, atomically: true, encoding: .utf8)
        let result = try await Self.run(
            ["run", scenario, "--junit", folder + "/junit.xml", "--", "sleep", "30"], in: folder)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("client stopped at the end (status 143)"), "\(result.stdout)")
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("was still running at the end of the scenario"), "\(junit)")
    }

    @Test func withoutAClientItServesUntilTheDuration() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenario = folder + "/serve.yaml"
        try "name: serve\nduration: 1s\nexpect:\n  - name: quiet\n    never: /api/v1/login\n".write(
            toFile: scenario, atomically: true, encoding: .utf8)
        let state = folder + "/state"
        let result = try await Self.run(["run", scenario, "--state-dir", state], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("PASS  quiet"), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: state), "--state-dir is kept")
    }

    @Test func anInvalidScenarioExits2WithItsPosition() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenario = folder + "/bad.yaml"
        try "name: bad\nduration: 5s\ntimeline:\n  - at: 1s\n    media: {}\n".write(
            toFile: scenario, atomically: true, encoding: .utf8)
        let result = try await Self.run(["run", scenario, "--", "true"], in: folder)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(
            result.stderr.contains("\(scenario):5:12: error: 'timeline[0].media' needs 'fault: <media fault>'"),
            "\(result.stderr)"
        )
        let check = try await Self.run(["run", "--check", scenario], in: folder)
        #expect(check.status == 2)
        let valid = try await Self.run(["run", "--check", Self.doorbell], in: folder)
        #expect(valid.status == 0, "\(valid.stderr)")
        #expect(valid.stdout.hasPrefix("\(Self.doorbell): OK: scenario doorbell-ring"), "\(valid.stdout)")
    }

    @Test(arguments: [
        ["run"], ["run", "--bogus"], ["run", "x.yaml", "--listen", "nowhere"], ["run", "x.yaml", "--junit"],
    ])
    func aBadCommandLineExits2Not64(arguments: [String]) async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await Self.run(arguments, in: folder)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("Usage: decoy run SCENARIO"), "\(result.stderr)")
    }

    @Test func aClientThatCannotStartExits2() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await Self.run(
            ["run", Self.doorbell, "--", "no-such-client-\(UUID().uuidString)"], in: folder)
        #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("was not found in PATH"), "\(result.stderr)")
    }

    @Test func helpTeachesWithExamples() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await Self.run(["run", "--help"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"), "\(result.stdout)")
        #expect(result.stdout.contains("--junit <file>"), "\(result.stdout)")
    }
}

/// The fault scenarios end to end through `decoy run`, with curl clients.
@Suite(.serialized) struct FaultScenarioRunTests {
    @Test func tokenExpiryPassesAClientThatLogsInAgain() async throws {
        try RunCommandTests.requireCurl()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            """
            \(RunCommandTests.loginFunction)
            token=$(login)
            curl -fsS "$DECOY_URL/api/v1/get_cam_list?token=$token" > /dev/null
            sleep 6
            code=$(curl -sS -o /dev/null -w '%{http_code}' "$DECOY_URL/api/v1/get_cam_list?token=$token")
            test "$code" = 403
            token=$(login)
            curl -fsS "$DECOY_URL/api/v1/get_cam_list?token=$token" > /dev/null
            """, in: folder)
        let scenario = packageRoot + "/Scenarios/token-expiry.yaml"
        let result = try await RunCommandTests.run(
            ["run", scenario, "--report", folder + "/report.json", "--", client], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("all 4 expectations passed"), "\(result.stdout)")
    }

    @Test func flakyNetworkFaultsTheSeededPollsAndJournalsThem() async throws {
        try RunCommandTests.requireCurl()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            """
            for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
              curl -sS -o /dev/null -w '%{http_code}\\n' -u "$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD" \\
                "$DECOY_URL/api/v1/get_cam_event_list" >> "\(folder)/codes"
            done
            """, in: folder)
        let scenario = packageRoot + "/Scenarios/flaky-network.yaml"
        let runOnce = { () async throws -> [String] in
            try? FileManager.default.removeItem(atPath: folder + "/codes")
            let result = try await RunCommandTests.run(
                ["run", scenario, "--report", folder + "/report.json", "--", client], in: folder)
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            let report = try String(contentsOfFile: folder + "/report.json", encoding: .utf8)
            #expect(report.contains("\"fault\" : \"status 503 (busy event list)\""), "\(report)")
            return try String(contentsOfFile: folder + "/codes", encoding: .utf8).split(separator: "\n").map(
                String.init)
        }
        let first = try await runOnce()
        #expect(first.contains("503") && first.contains("200"), "\(first)")
        let second = try await runOnce()
        #expect(second == first, "the same seed faults the same polls")
    }
}
