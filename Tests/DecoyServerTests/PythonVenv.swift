import Foundation

@testable import DecoyTestSupport

/// A git-ignored virtual environment of Python packages from PyPI that `Tools/setup.sh` makes
/// (`.venv-axis`, `.venv-rtsp`), and the client scripts in `Tools/` run with its interpreter.
struct PythonVenv: Sendable {
    /// The folder's name in the package root.
    let name: String
    /// The `Tools/setup.sh` option that makes only this environment.
    let setupOption: String
    /// Python that exits 0 when the environment has the right packages.
    let check: String
    /// Who skips without it, for the banner.
    let suite: String

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    var python: String { Self.root + "/\(name)/bin/python" }

    /// A script in `Tools/`.
    static func tool(_ script: String) -> String { root + "/Tools/" + script }

    /// Whether the environment is ready, creating it first when it is not. Only an environment
    /// that cannot be created (PyPI unreachable) makes the tests skip, and that is said loudly.
    func prepare() -> Bool {
        if isReady() { return true }
        let setup = try? ChildProcess("/bin/bash", [Self.root + "/Tools/setup.sh", setupOption]).wait(
            timeout: .seconds(600))
        if isReady() { return true }
        let why = setup.map { $0.stderrText } ?? "Tools/setup.sh could not be started"
        FileHandle.standardError.write(
            Data(
                """
                ********************************************************************************
                SKIPPING \(suite): \(name) could not be created (no network to PyPI?).
                Run Tools/setup.sh \(setupOption) once with network access. Its output:
                \(why)
                ********************************************************************************

                """.utf8))
        return false
    }

    private func isReady() -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python), let run = try? ChildProcess(python, ["-c", check])
        else { return false }
        return run.wait(timeout: .seconds(60)).status == 0
    }
}
