import ArgumentParser
import DecoyControl
import DecoyCore
import DecoyScenario
import Foundation
import Logging

/// `decoy run SCENARIO [-- CLIENT…]`: a scenario against a client, ending in a JUnit report.
///
/// The command line is parsed here by `RunCommandLine` rather than by the root command, so that a
/// bad command line exits 2 (like an invalid scenario) instead of ArgumentParser's 64: CI scripts
/// then need to tell apart only "expectations failed" (1) from "the run could not happen" (2).
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario against a client command; JUnit report, exit 0 (passed), 1 (failed) or 2 (invalid).",
        usage: RunCommandLine.usage,
        discussion: RunCommandLine.discussion + "\n\nRun `decoy run --help` for every option.")

    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp("SCENARIO [options] [-- CLIENT COMMAND…]; see `decoy run --help`.", valueName: "arguments"))
    var arguments: [String] = []

    func run() async throws {
        let commandLine: RunCommandLine
        do {
            commandLine = try RunCommandLine.parse(arguments)
        } catch {
            if RunCommandLine.exitCode(for: error) == .success {
                print(RunCommandLine.fullMessage(for: error))
                return
            }
            let message = RunCommandLine.message(for: error)
            FileHandle.standardError.write(Data("error: \(message)\n\(RunCommandLine.usageLine)\n".utf8))
            throw ExitCode(2)
        }
        try await commandLine.execute()
    }
}

/// The options of `decoy run`, parsed by `Run`.
struct RunCommandLine: ParsableCommand {
    static let usage =
        "decoy run SCENARIO [--junit FILE] [--report FILE.json] [--listen HOST:PORT] [--control HOST:PORT] "
        + "[--state-dir DIR] [--log-level LEVEL] [--check] [-- CLIENT COMMAND…]"
    static let usageLine = "Usage: \(usage)\n  See 'decoy run --help' for examples."

    static let discussion = """
        Starts Decoy on the scenario's config (a free port on 127.0.0.1 unless --listen, a fresh temporary \
        state folder unless --state-dir), sets t = 0 when it listens, runs the timeline and the client \
        command, and ends at the scenario's duration or when the client exits, whichever comes first (a \
        client still running then gets SIGTERM, and SIGKILL 2 s later). Then it judges the expectations, \
        prints a summary, writes the reports and exits:

          0  every expectation passed
          1  an expectation failed
          2  the scenario or the command line is invalid, Decoy could not start, or the client could not \
        be started
          130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM: the client is stopped and the reports are \
        still written, judged on what happened so far

        The client's environment has DECOY_URL (http://127.0.0.1:<port>, no trailing slash), \
        DECOY_ADMIN_USER, DECOY_ADMIN_PASSWORD, DECOY_GUEST_USER, DECOY_GUEST_PASSWORD (the first user \
        of each role), DECOY_CAMERA_IDS (comma-separated, in get_cam_list order) and DECOY_CONTROL_URL \
        (the control API, always on: a free port on 127.0.0.1 unless --control; no trailing slash). \
        Without a client command Decoy serves the scenario until its duration, for a client started \
        elsewhere.

        Examples:
          decoy run Scenarios/doorbell-ring.yaml --junit junit.xml -- ./client.sh
          decoy run Scenarios/doorbell-ring.yaml -- sh -c \
            'curl -su "$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD" \
              "$DECOY_URL/api/v1/get_cam_list"'
          # Serves until the duration; run the client yourself:
          decoy run Scenarios/motion-burst.yaml --listen 127.0.0.1:8083
          # Validate only:
          decoy run --check Scenarios/server-restart.yaml
        """

    static let configuration = CommandConfiguration(
        commandName: "decoy run",
        abstract: "Run a scenario against a client command and report on what the client did.",
        usage: usage, discussion: discussion)

    @Argument(help: ArgumentHelp("The scenario file (YAML; see Scenarios/).", valueName: "scenario"))
    var scenario: String

    @Option(name: .long, help: ArgumentHelp("Write a JUnit XML report here.", valueName: "file"))
    var junit: String?

    @Option(name: .long, help: ArgumentHelp("Write the JSON report (verdicts and journal) here.", valueName: "file"))
    var report: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Address to listen on; port 0 picks a free port.", valueName: "host:port"))
    var listen: String = "127.0.0.1:0"

    @Option(name: .long, help: ArgumentHelp(ControlServer.optionHelp, valueName: "host:port"))
    var control: String = "127.0.0.1:0"

    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Folder for recordings, certificates and presets, kept afterwards (default: a temporary folder, removed).",
            valueName: "dir"))
    var stateDir: String?

    @Option(
        name: .customLong("log-level"),
        help: "Decoy's log on standard error: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "warning"

    @Flag(name: .long, help: "Only validate the scenario: exit 0 when valid, 2 with every error otherwise.")
    var check = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The client command, after --.", valueName: "client"))
    var client: [String] = []

    func validate() throws {
        guard ListenAddress(parsing: listen) != nil else {
            throw ValidationError("--listen must be HOST:PORT such as 127.0.0.1:0 or 127.0.0.1:8083, got '\(listen)'")
        }
        guard ListenAddress(parsing: control) != nil else {
            throw ValidationError("--control must be HOST:PORT such as 127.0.0.1:0 or 127.0.0.1:8090, got '\(control)'")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level must be one of trace, debug, info, notice, warning, error, critical; got '\(logLevel)'")
        }
        for (option, path) in [("--junit", junit), ("--report", report)] {
            guard let path else { continue }
            let folder = (path as NSString).deletingLastPathComponent
            var isFolder: ObjCBool = false
            if !folder.isEmpty,
                !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue
            {
                throw ValidationError("\(option) \(path): the folder '\(folder)' does not exist; create it first")
            }
        }
    }

    func execute() async throws {
        var options = RunCommand.Options(scenario: scenario)
        options.junit = junit
        options.report = report
        options.listen = ListenAddress(parsing: listen) ?? options.listen
        options.control = ListenAddress(parsing: control) ?? options.control
        options.stateDirectory = stateDir
        options.check = check
        options.client = client
        let interruption = RunInterruption()
        options.interruption = interruption
        if !check { bootstrapLogging() }
        let signals = check ? [] : Self.catchSignals(into: interruption)
        defer { signals.forEach { $0.cancel() } }
        let status = await RunCommand(options: options, logger: Logger(label: "decoy.run")).execute()
        if status != 0 { throw ExitCode(status) }
    }

    /// SIGINT (Ctrl-C) and SIGTERM (a cancelled CI job) end the run early instead of killing
    /// Decoy on the spot, which would leave the client running and write no report.
    private static func catchSignals(into interruption: RunInterruption) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                note("decoy run: \(RunInterruption.name(number)): stopping the client and writing the reports")
                interruption.fire(number)
            }
            source.resume()
            return source
        }
    }

    private func bootstrapLogging() {
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    private static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

}
