import Foundation
import NIOConcurrencyHelpers

/// What a finished child process left.
struct ProcessResult: Sendable {
    let status: Int32
    let stdout: Data
    let stderr: Data
    /// The process outlived its time limit and was killed.
    let timedOut: Bool

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

struct ToolMissing: Error, CustomStringConvertible {
    let description: String
}

/// A child process (curl, ffmpeg, ffprobe, the `decoy` binary) with captured output and a time limit.
final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let output = NIOLockedValueBox((stdout: Data(), stderr: Data()))
    private let readers = DispatchGroup()

    /// The path of an installed client tool (searched in `PATH`, then the usual folders), or a
    /// clear failure saying how to install it.
    static func tool(_ name: String) throws -> String {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = searchPath.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        for folder in folders where !folder.isEmpty {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw ToolMissing(
            description:
                "\(name) is not installed; the integration tests drive real clients: run the README's test command "
                + "(Tools/test, which runs Tools/setup.sh --test to install curl and ffmpeg)")
    }

    /// Starts `executable` with `arguments`.
    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        collect(stdout.fileHandleForReading) { $0.stdout = $1 }
        collect(stderr.fileHandleForReading) { $0.stderr = $1 }
    }

    var processIdentifier: Int32 { process.processIdentifier }

    /// Whether the process has not exited yet.
    var isRunning: Bool { process.isRunning }

    /// Sends SIGINT (what Ctrl-C does).
    func interrupt() { process.interrupt() }

    /// Waits for the exit; past `timeout` the process is terminated, then killed (this process only).
    func wait(timeout: Duration) -> ProcessResult {
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        for _ in 0..<(Int(timeout / .milliseconds(20)) + 1) where process.isRunning {
            if ContinuousClock.now >= deadline { break }
            Blocking.sleep(milliseconds: 20)
        }
        if process.isRunning {
            timedOut = true
            process.terminate()
            for _ in 0..<100 where process.isRunning { Blocking.sleep(milliseconds: 20) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        _ = readers.wait(timeout: .now() + 10)
        let captured = output.withLockedValue { $0 }
        return ProcessResult(
            status: process.terminationStatus, stdout: captured.stdout, stderr: captured.stderr, timedOut: timedOut)
    }

    /// Runs to completion off the concurrency pool.
    static func run(
        _ executable: String, _ arguments: [String], timeout: Duration = .seconds(30)
    ) async throws
        -> ProcessResult
    {
        let child = try ChildProcess(executable, arguments)
        return try await Blocking.run { child.wait(timeout: timeout) }
    }

    private func collect(
        _ handle: FileHandle, into store: @escaping @Sendable (inout (stdout: Data, stderr: Data), Data) -> Void
    ) {
        readers.enter()
        let output = self.output
        let readers = self.readers
        let thread = Thread {
            let data = handle.readDataToEndOfFile()
            output.withLockedValue { store(&$0, data) }
            readers.leave()
        }
        thread.start()
    }
}
