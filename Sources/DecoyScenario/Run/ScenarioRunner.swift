import DecoyCore
import DecoyServer
import DecoyTinyCam
import Foundation
import Logging

/// Runs a scenario end to end: starts Decoy on the scenario's config, sets t = 0 when it listens,
/// drives the timeline, runs the client command, and judges the expectations on the journal.
///
/// `clock: virtual` runs Decoy on a `VirtualClock` started at `VirtualClock.defaultStartMilliseconds`:
/// fast (time jumps from timer to timer, as fast as the work allows) without a client command, at
/// real speed with one (a client lives in real time). The run holds the virtual clock from before
/// Decoy starts until it waits for the end, and again from the end on, so nothing happens in virtual
/// time outside [0, duration].
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
        /// Starts the control API on the run's sandbox and returns its URL (`DECOY_CONTROL_URL`);
        /// nil: no control API. A failure is a start-up failure (exit 2).
        public var control: (@Sendable (Sandbox) async throws -> String)?
        /// Wraps what the transport sees, outside the journal (e.g. request metrics).
        public var outerResponder: @Sendable (any TinyCamResponder) -> any TinyCamResponder
        /// Fired from outside (SIGINT, SIGTERM) to end the run early, as if its duration had come.
        public var interruption: RunInterruption?

        public init(
            listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 0), stateDirectory: String? = nil,
            clientCommand: [String] = [],
            onListening: @escaping @Sendable (String, [String: String]) -> Void = { _, _ in },
            control: (@Sendable (Sandbox) async throws -> String)? = nil,
            outerResponder: @escaping @Sendable (any TinyCamResponder) -> any TinyCamResponder = { $0 },
            interruption: RunInterruption? = nil
        ) {
            self.listen = listen
            self.stateDirectory = stateDirectory
            self.clientCommand = clientCommand
            self.onListening = onListening
            self.control = control
            self.outerResponder = outerResponder
            self.interruption = interruption
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

    /// How the run's clock moves: nil for the real clock (`clock: real`), else the virtual pace.
    public static func pace(for scenario: Scenario, hasClient: Bool) -> VirtualClock.Pace? {
        guard scenario.clock == .virtual else { return nil }
        return hasClient ? .realSpeed : .fast
    }

    /// What the banner says about the clock, e.g. `virtual clock, fast (no client command)`.
    public static func clockDescription(for scenario: Scenario, hasClient: Bool) -> String {
        switch pace(for: scenario, hasClient: hasClient) {
        case nil: "real clock"
        case .fast, .manual:
            "virtual clock from \(CivilTime.logTimestamp(VirtualClock.defaultStartMilliseconds)) UTC, fast (no client command)"
        case .realSpeed:
            "virtual clock from \(CivilTime.logTimestamp(VirtualClock.defaultStartMilliseconds)) UTC, real speed (a client command runs)"
        }
    }

    public func run() async throws(ScenarioRunError) -> RunReport {
        let hasClient = !options.clientCommand.isEmpty
        let virtual = Self.pace(for: scenario, hasClient: hasClient).map { VirtualClock(pace: $0) }
        let time: any DecoyClock = virtual ?? SystemClock()
        // Time stands still until the run waits for its end, and again once that comes.
        let hold = time.hold()
        defer {
            virtual?.stop()
            hold.release()
        }
        return try await hold.run { await runHeld(on: time) }.get()
    }

    private func runHeld(on time: any DecoyClock) async -> Result<RunReport, ScenarioRunError> {
        do {
            return .success(try await run(on: time))
        } catch {
            return .failure(error)
        }
    }

    private func run(on time: any DecoyClock) async throws(ScenarioRunError) -> RunReport {
        var config = scenario.config
        config.server.listen = options.listen
        let stateDirectory: String
        if let given = options.stateDirectory {
            stateDirectory = given
        } else {
            stateDirectory = try Self.temporaryFolder()
        }
        defer { if options.stateDirectory == nil { try? FileManager.default.removeItem(atPath: stateDirectory) } }
        let sandbox: Sandbox
        do {
            sandbox = try await Sandbox.start(
                config: config, options: .init(stateDirectory: stateDirectory, clock: time), seed: scenario.seed,
                fixedScenario: true, outer: options.outerResponder, logger: logger)
        } catch {
            throw .startup("\(error)")
        }
        let runtime = sandbox.runtime
        let clock = sandbox.clock
        // The cameras' pipelines attach on their loops (motion detection, recording): that work must
        // have run before virtual time moves, or it lands at whatever virtual time the loop got to it.
        for camera in runtime.services.cameras.cameras {
            try? await camera.hub.mediaLoop.submit {}.get()
            try? await camera.hub.mediaLoop.submit {}.get()
        }
        let url = ClientEnvironment.url(listen: config.server.listen, port: runtime.port, https: config.server.https)
        var controlURL: String?
        if let control = options.control {
            do {
                controlURL = try await control(sandbox)
            } catch {
                await runtime.shutdown()
                throw .startup("\(error)")
            }
        }
        let variables = ClientEnvironment.variables(config: config, url: url, controlURL: controlURL)
        options.onListening(url, variables)
        do {
            _ = try sandbox.session.load(scenario)
            try sandbox.session.start(origin: 0)
        } catch {
            await runtime.shutdown()
            throw .startup("\(error)")
        }
        let client: ClientOutcome?
        do {
            client = try await runClient(variables: variables, clock: clock, until: scenario.durationMilliseconds)
        } catch {
            _ = try? sandbox.session.stop()
            await runtime.shutdown()
            throw error
        }
        let ran = clock.elapsedMilliseconds()
        _ = try? sandbox.session.stop()
        await runtime.shutdown()
        let (entries, dropped) = sandbox.journal.snapshot()
        let evaluator = ExpectationEvaluator(entries: entries, runMilliseconds: ran, client: client, dropped: dropped)
        return RunReport(
            scenario: scenario.name, file: scenario.file, seed: scenario.seed, clock: scenario.clock.rawValue,
            durationMilliseconds: scenario.durationMilliseconds, ranMilliseconds: ran, url: url, client: client,
            results: evaluator.evaluate(scenario.expectations), journal: entries, journalDropped: dropped,
            interruptedBy: options.interruption?.signal.map(RunInterruption.name))
    }

    /// Runs the client until it exits or `end` (run time), whichever comes first; without a client,
    /// waits for `end`.
    private func runClient(
        variables: [String: String], clock: RunClock, until end: Int64
    ) async throws(ScenarioRunError) -> ClientOutcome? {
        let interruption = options.interruption
        guard !options.clientCommand.isEmpty else {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await clock.sleep(untilElapsedMilliseconds: end) }
                if let interruption { group.addTask { _ = await interruption.wait() } }
                await group.next()
                group.cancelAll()
            }
            return nil
        }
        let environment = ProcessInfo.processInfo.environment.merging(variables) { _, new in new }
        let process = try ClientProcess(command: options.clientCommand, environment: environment)
        // true: Decoy has to stop the client (time is up, or the run was interrupted).
        let stopped = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = await process.waitForExit()
                return false
            }
            group.addTask {
                do { try await clock.sleep(untilElapsedMilliseconds: end) } catch { return false }
                return true
            }
            if let interruption {
                group.addTask {
                    _ = await interruption.wait()
                    return true
                }
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
