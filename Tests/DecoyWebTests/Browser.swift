import Foundation
import Testing

@testable import DecoyTestSupport

/// Where the browser checks keep their screenshots and reports (git-ignored).
let artifactsFolder = packageRoot + "/.artifacts/web"

/// The browser checks (`Tools/web/checks.py`, a headless Chromium driven over the DevTools
/// protocol with Python's standard library): whether they can run here, and running one.
enum Browser {
    static let script = packageRoot + "/Tools/web/checks.py"

    /// Whether Chromium starts, found out once by the `probe` check. When it cannot, every browser
    /// test is skipped and this says so loudly, with why.
    static let ready: Bool = {
        let probe = try? ChildProcess(
            "/usr/bin/env", ["python3", script, "probe", "--artifacts", artifactsFolder + "/probe"]
        )
        .wait(timeout: .seconds(60))
        if let probe, probe.status == 0 { return true }
        FileHandle.standardError.write(
            Data(
                """
                ********************************************************************************
                SKIPPING the browser tests (BrowserTests): headless Chromium cannot start.
                Install it with Tools/setup.sh --test (Debian: chromium, python3). What the probe said:
                \(probe.map { $0.stdoutText + $0.stderrText } ?? "python3 could not be started")
                ********************************************************************************

                """.utf8))
        return false
    }()

    /// One check against `harness`: its facts, failing the test with the report's error and the
    /// page's console when the check could not finish.
    static func check(
        _ name: String, _ harness: WebHarness, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let result = try await ChildProcess.run(
            "/usr/bin/env",
            [
                "python3", script, name, "--camera", harness.tinyCam, "--control", harness.control.url, "--artifacts",
                artifactsFolder,
            ], timeout: .seconds(180))
        let report = (try? jsonObject(result.stdoutText)) ?? [:]
        let log = (report["browser_log"] as? [String])?.joined(separator: "\n") ?? ""
        #expect(
            result.status == 0,
            "check \(name): \(report["error"] ?? result.stdoutText)\n\(log)\n\(result.stderrText.suffix(2000))",
            sourceLocation: sourceLocation)
        return report["facts"] as? [String: Any] ?? [:]
    }
}
