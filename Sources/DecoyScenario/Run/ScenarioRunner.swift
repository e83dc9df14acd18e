import DecoyCore
import DecoyServer
import Foundation
import Logging

/// Runs a scenario end to end: starts Decoy on the scenario's config, sets t = 0 when it listens,
/// drives the timeline, runs the client command, and judges the expectations on the journal.
public struct ScenarioRunner: Sendable {
    public struct Options: Sendable {
        /// Where to listen; port 0 picks a free one.
        public var listen: ListenAddress
        /// Nil: a fresh temporary folder, removed afterwards.
        public var stateDirectory: String?
        /// Empty: serve until the scenario's duration (for a client started elsewhere).
        public var clientCommand: [String]
        /// Called once Decoy listens, with the URL and the client's variables (for the banner).
        public var onListening: @Sendable (_ url: String, _ variables: [String: String]) -> Void

        public init(
            listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 0), stateDirectory: String? = nil,
            clientCommand: [String] = [],
            onListening: @escaping @Sendable (String, [String: String]) -> Void = { _, _ in }
        ) {
            self.listen = listen
            self.stateDirectory = stateDirectory
            self.clientCommand = clientCommand
            self.onListening = onListening
        }
    }

    public let scenario: Scenario
    public let options: Options
    public let logger: Logger

    public init(scenario: Scenario, options: Options, logger: Logger) {
        self.scenario = scenario
        self.options = options
        self.logger = logger
    }

    public func run() async throws(ScenarioRunError) -> RunReport {
        var config = scenario.config
        config.server.listen = options.listen
        let stateDirectory: String
        if let given = options.stateDirectory {
            stateDirectory = given
        } else {
            stateDirectory = try Self.temporaryFolder()
        }
        defer { if options.stateDirectory == nil { try? FileManager.default.removeItem(atPath: stateDirectory) } }
        let journal = Journal()
        let clock = RunClock()
        let seed = scenario.seed
        let rules = scenario.rules
        let needsFaults = scenario.needsFaultLayer
        let served = config
        let faults = FaultBox()
        let runtime: DecoyRuntime
        do {
            runtime = try await DecoyRuntime.start(
                config: config,
                options: .init(
                    stateDirectory: stateDirectory,
                    responder: { api in
                        let controller =
                            needsFaults
                            ? FaultController(
                                rules: rules, seed: seed, config: served, tokens: api.services.authenticator.tokens)
                            : nil
                        faults.controller = controller
                        let faulting = FaultingResponder(api, faults: controller, clock: clock)
                        return JournalingResponder(faulting, journal: journal, clock: clock)
                    }),
                logger: logger)
        } catch {
            throw .startup("\(error)")
        }
        clock.start()
        let url = ClientEnvironment.url(listen: config.server.listen, port: runtime.port, https: config.server.https)
        let variables = ClientEnvironment.variables(config: config, url: url)
        options.onListening(url, variables)
        let driver = TimelineDriver(
            steps: scenario.timeline, journal: journal, clock: clock,
            performer: RuntimeActionPerformer(
                runtime: runtime, faults: faults.controller, clock: clock, logger: logger),
            endMilliseconds: scenario.durationMilliseconds)
        let timeline = Task { await driver.run() }
        let end = clock.instant(atMilliseconds: scenario.durationMilliseconds)
        let client: ClientOutcome?
        do {
            client = try await runClient(variables: variables, until: end)
        } catch {
            timeline.cancel()
            await runtime.shutdown()
            throw error
        }
        let ran = clock.elapsedMilliseconds()
        timeline.cancel()
        await timeline.value
        await runtime.shutdown()
        let (entries, dropped) = journal.snapshot()
        let evaluator = ExpectationEvaluator(entries: entries, runMilliseconds: ran, client: client, dropped: dropped)
        return RunReport(
            scenario: scenario.name, file: scenario.file, seed: scenario.seed, clock: scenario.clock.rawValue,
            durationMilliseconds: scenario.durationMilliseconds, ranMilliseconds: ran, url: url, client: client,
            results: evaluator.evaluate(scenario.expectations), journal: entries, journalDropped: dropped)
    }

    /// Runs the client until it exits or `end`, whichever comes first; without a client, waits for `end`.
    private func runClient(
        variables: [String: String], until end: ContinuousClock.Instant
    ) async throws(ScenarioRunError) -> ClientOutcome? {
        guard !options.clientCommand.isEmpty else {
            try? await Task.sleep(until: end, clock: .continuous)
            return nil
        }
        let environment = ProcessInfo.processInfo.environment.merging(variables) { _, new in new }
        let process = try ClientProcess(command: options.clientCommand, environment: environment)
        let stopped = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = await process.waitForExit()
                return false
            }
            group.addTask {
                do { try await Task.sleep(until: end, clock: .continuous) } catch { return false }
                return true
            }
            let timeUp = await group.next() ?? false
            let signalled = timeUp ? await process.terminate() : false
            group.cancelAll()
            return signalled
        }
        return ClientOutcome(status: await process.waitForExit(), stoppedByDecoy: stopped)
    }

    private static func temporaryFolder() throws(ScenarioRunError) -> String {
        let path = NSTemporaryDirectory() + "decoy-run-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .startup("cannot create a temporary state folder \(path): \(error.localizedDescription)")
        }
        return path
    }
}

/// Hands the fault controller built inside the runtime's responder factory back to the runner
/// (the factory runs once, during `DecoyRuntime.start`).
private final class FaultBox: @unchecked Sendable {  // written once before `start` returns, read after
    private let lock = NSLock()
    private var value: FaultController?

    var controller: FaultController? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
