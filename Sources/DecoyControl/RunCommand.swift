import DecoyCore
import DecoyScenario
import DecoyServer
import DecoyTinyCam
import Foundation
import Logging
import NIOConcurrencyHelpers

/// `decoy run` as a function: validate the scenario, run it against the client, print the
/// summary, write the reports, and return the exit status — so tests call it in-process and the
/// command line only parses its arguments and exits with what this returns.
///
/// Exit statuses: 0 every expectation passed, 1 one failed, 2 the run could not happen (an
/// invalid scenario, Decoy could not start, a report could not be written), 128 + N interrupted by
/// signal N (the reports are still written).
public struct RunCommand: Sendable {
    public struct Options: Sendable {
        public var scenario: String
        public var junit: String?
        public var report: String?
        public var listen = ListenAddress(host: "127.0.0.1", port: 0)
        public var control = ListenAddress(host: "127.0.0.1", port: 0)
        public var stateDirectory: String?
        /// Only validate the scenario.
        public var check = false
        public var client: [String] = []
        /// Fired by SIGINT/SIGTERM (the command line catches them) to end the run early.
        public var interruption: RunInterruption?

        public init(scenario: String) { self.scenario = scenario }
    }

    /// Where the run's words go: the summary and `--check`'s verdict (`out`), progress and errors (`err`).
    public struct Output: Sendable {
        public var out: @Sendable (String) -> Void
        public var err: @Sendable (String) -> Void

        public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
            self.out = out
            self.err = err
        }

        /// Standard output and standard error.
        public static let standard = Output(
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    public let options: Options
    public let output: Output
    public let logger: Logger

    public init(options: Options, output: Output = .standard, logger: Logger) {
        self.options = options
        self.output = output
        self.logger = logger
    }

    /// Runs the command; the exit status.
    public func execute() async -> Int32 {
        let loaded: Scenario
        do {
            loaded = try ScenarioLoader.load(path: options.scenario)
        } catch {
            return fail(
                error.description
                    + "\n\(options.scenario): the scenario is invalid (\(error.diagnostics.count) error(s))")
        }
        let paths = TinyCamAPI.paths(for: loaded.config.server.profile)
        for warning in loaded.rules.compactMap({ $0.unservedPathWarning(served: paths) }) {
            note("\(options.scenario): warning: \(warning)")
        }
        if options.check {
            output.out("\(options.scenario): OK: \(loaded.checkSummary)\n")
            return 0
        }
        var served = loaded.config
        served.server.listen = options.listen
        if let refusal = ExposedDefaults.refusal(served, fix: .scenario) { return fail(refusal) }
        note("decoy run: \(ScenarioRunner.clockDescription(for: loaded, hasClient: !options.client.isEmpty))")
        let metrics = ControlMetrics()
        let controlServer = NIOLockedControlServer()
        let (controlAddress, logger, output) = (options.control, self.logger, self.output)
        let runner = ScenarioRunner(
            scenario: loaded,
            options: .init(
                listen: options.listen, stateDirectory: options.stateDirectory, clientCommand: options.client,
                onListening: { url, variables in
                    let users = ["DECOY_ADMIN_USER", "DECOY_GUEST_USER"].compactMap { variables[$0] }
                    output.err(
                        "decoy run: scenario \(loaded.name) on \(url) (users \(users.joined(separator: ", ")); "
                            + "cameras \(variables["DECOY_CAMERA_IDS"] ?? "")) for up to "
                            + RunTime.text(loaded.durationMilliseconds)
                            + "; control API on \(variables["DECOY_CONTROL_URL"] ?? "none")\n")
                },
                control: { sandbox in
                    let server = try await ControlServer.start(
                        sandbox: sandbox, metrics: metrics, listen: controlAddress, logger: logger)
                    controlServer.keep(server)
                    return server.url
                },
                outerResponder: { MetricsResponder($0, metrics: metrics) }, interruption: options.interruption),
            logger: logger)
        let result: RunReport
        do {
            result = try await runner.run()
        } catch {
            await controlServer.stop()
            return fail("error: \(error)")
        }
        await controlServer.stop()
        output.out(RunSummary.text(result))
        if let failure = write(result) { return fail(failure) }
        // Interrupted: the reports are written; the status is the shell's for that signal (130, 143).
        if let signal = options.interruption?.signal { return 128 + signal }
        return result.passed ? 0 : 1
    }

    /// Writes the reports asked for; why one could not be written, or nil.
    private func write(_ result: RunReport) -> String? {
        if let junit = options.junit {
            let stamp = ISO8601DateFormatter().string(from: Date())
            if let failure = save(Data(JUnitReport.xml(result, timestamp: stamp).utf8), to: junit, what: "JUnit report")
            {
                return failure
            }
        }
        if let report = options.report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(result)) ?? Data()
            return save(data + Data("\n".utf8), to: report, what: "JSON report")
        }
        return nil
    }

    private func save(_ data: Data, to path: String, what: String) -> String? {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            return nil
        } catch {
            return "cannot write the \(what) to \(path): \(error.localizedDescription)"
        }
    }

    private func note(_ message: String) { output.err(message + "\n") }

    /// The run could not happen as asked: status 2.
    private func fail(_ message: String) -> Int32 {
        note(message)
        return 2
    }
}

/// The control server of a run, kept to stop it once the run is over.
private final class NIOLockedControlServer: Sendable {
    private let server = NIOLockedValueBox<ControlServer?>(nil)

    func keep(_ server: ControlServer) { self.server.withLockedValue { $0 = server } }

    func stop() async { await server.withLockedValue { $0 }?.stop() }
}
