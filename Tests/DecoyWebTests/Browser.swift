import Foundation
import NIOConcurrencyHelpers
import Testing

/// The browser checks (`Tools/web/checks.py`, a headless Chromium driven over the DevTools
/// protocol with Python's standard library): whether they can run here, and running one.
enum Browser {
    static let script = packageRoot + "/Tools/web/checks.py"

    /// Whether Chromium starts, found out once by the `probe` check. When it cannot, every browser
    /// test is skipped and this says so loudly, with why.
    static let ready: Bool = {
        let folder = artifactsFolder + "/probe"
        let result = try? run(["probe", "--artifacts", folder])
        if let result, result.status == 0 { return true }
        FileHandle.standardError.write(
            Data(
                """
                ********************************************************************************
                SKIPPING the browser tests (BrowserTests, RunConsoleTests): headless Chromium cannot start.
                Install it with Tools/setup.sh --test (Debian: chromium, python3). What the probe said:
                \(result.map { $0.output + $0.errors } ?? "python3 could not be started")
                ********************************************************************************

                """.utf8))
        return false
    }()

    struct Result: Sendable {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs `checks.py` with `arguments`, at most `seconds`.
    static func run(_ arguments: [String], environment: [String: String]? = nil, seconds: Double = 180) throws -> Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let (out, err) = collect(output, errors)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: out(), errors: err())
    }

    /// Reads both pipes on threads of their own (a full pipe would block the child).
    private static func collect(_ output: Pipe, _ errors: Pipe) -> (() -> String, () -> String) {
        func reader(_ pipe: Pipe) -> () -> String {
            let box = NIOLockedValueBox(Data())
            let done = DispatchSemaphore(value: 0)
            Thread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                box.withLockedValue { $0 = data }
                done.signal()
            }.start()
            return {
                done.wait()
                return String(decoding: box.withLockedValue { $0 }, as: UTF8.self)
            }
        }
        return (reader(output), reader(errors))
    }

    /// One check against `harness`: its report (`facts`, `screenshots`), failing the test with the
    /// report's error and the page's console when the check could not finish.
    static func check(
        _ name: String, _ harness: WebHarness, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let arguments =
            [name, "--camera", harness.tinyCam, "--control", harness.control.url, "--artifacts", artifactsFolder]
            + extra
        let result = try await offPool { try run(arguments) }
        let report = (try? jsonObject(result.output)) ?? [:]
        let log = (report["browser_log"] as? [String])?.joined(separator: "\n") ?? ""
        #expect(
            result.status == 0,
            "check \(name): \(report["error"] ?? result.output)\n\(log)\n\(result.errors.suffix(2000))",
            sourceLocation: sourceLocation)
        return report["facts"] as? [String: Any] ?? [:]
    }
}
