import ArgumentParser
import DecoyControl
import DecoyCore
import DecoyScenario
import DecoyServer
import Foundation
import Logging

/// `decoy serve`: run the emulated tinyCam web server until interrupted.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the emulated tinyCam web server (the default command).",
        discussion: """
            Without --config Decoy serves its embedded default. Options given here override the file.

            Examples:
              decoy serve --listen 127.0.0.1:8083
              decoy serve --config cams.yaml --state-dir /tmp/decoy-state
              # HTTPS with a self-signed certificate made in the state folder:
              decoy serve --https
              decoy serve --https --cert server.pem --key server.key
              # Beyond loopback, with passwords other than the defaults:
              decoy serve --listen 0.0.0.0:8083 --config cams.yaml
              # A sandbox tests drive through the control API (docs/control-api.md):
              decoy serve --control 127.0.0.1:8090
            """)

    @Option(
        name: .long, help: ArgumentHelp("YAML configuration file (see Fixtures/decoy.example.yaml).", valueName: "file")
    )
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Address to listen on, e.g. 127.0.0.1:8083, 0.0.0.0:8083, [::1]:8083.", valueName: "host:port"))
    var listen: String?

    @Flag(name: .long, help: "Serve HTTPS on the same port (self-signed certificate unless --cert/--key).")
    var https = false

    @Option(name: .long, help: ArgumentHelp("PEM certificate for --https.", valueName: "file"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("PEM private key for --https.", valueName: "file"))
    var key: String?

    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Folder for recordings, certificates and PTZ presets (default: $XDG_DATA_HOME/decoy or ~/.local/share/decoy).",
            valueName: "dir"))
    var stateDir: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Flag(
        name: .customLong("allow-default-credentials"),
        help: "Allow listening beyond loopback while admin/admin or guest/guest are in force.")
    var allowDefaultCredentials = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            ControlServer.optionHelp + " Off unless given (a long-running sandbox).", valueName: "host:port")
    )
    var control: String?

    func validate() throws {
        if let control, ListenAddress(parsing: control) == nil {
            throw ValidationError("--control must be HOST:PORT such as 127.0.0.1:8090, got '\(control)'")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level must be one of trace, debug, info, notice, warning, error, critical; got '\(logLevel)'")
        }
        if let listen, ListenAddress(parsing: listen) == nil {
            throw ValidationError("--listen must be HOST:PORT such as 127.0.0.1:8083, got '\(listen)'")
        }
        if (cert == nil) != (key == nil) {
            throw ValidationError("--cert and --key go together")
        }
    }

    func run() async throws {
        var settings = try loadConfiguration()
        try applyOverrides(&settings)
        let stateDirectory = stateDir ?? settings.storage.stateDirectory ?? StateFolder.defaultPath()
        let logs = ServerLogs()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        // The runtime copies its log into the app log (applog.cgi) itself.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "decoy")
        try refuseExposedDefaults(settings)
        FileLimits.raiseOpenFileLimit()
        let options = DecoyRuntime.Options.serving(stateDirectory: stateDirectory, logs: logs).capturingVideo()
        let runtime: DecoyRuntime
        var controlServer: ControlServer?
        do {
            if let control, let address = ListenAddress(parsing: control) {
                (runtime, controlServer) = try await Self.startSandbox(
                    settings, options: options, control: address, logger: logger)
            } else {
                runtime = try await DecoyRuntime.start(config: settings, options: options, logger: logger)
            }
        } catch let error as StartupError {
            throw Failure.exit("\(error)\(Self.advice(for: error.reason))")
        } catch let error as ControlStartError {
            throw Failure.exit("\(error)")
        } catch {
            throw Failure.exit("cannot start serving on \(settings.server.listen): \(error)")
        }
        runtime.logger.notice(
            "\(StartupBanner.text(settings: settings, runtime: runtime, stateDirectory: stateDirectory, configFile: config))"
        )
        if let controlServer { logger.notice("control API on \(controlServer.url)") }
        await ShutdownSignal.wait()
        logger.notice("shutting down")
        await controlServer?.stop()
        await runtime.shutdown()
    }

    /// Decoy with the journal, the fault layer and request metrics, and the control API on them.
    private static func startSandbox(
        _ settings: DecoyConfig, options: DecoyRuntime.Options, control: ListenAddress, logger: Logger
    ) async throws -> (DecoyRuntime, ControlServer) {
        let metrics = ControlMetrics()
        let sandbox = try await Sandbox.start(
            config: settings, options: options, outer: { MetricsResponder($0, metrics: metrics) }, logger: logger)
        do {
            let server = try await ControlServer.start(
                sandbox: sandbox, metrics: metrics, listen: control, logger: logger)
            return (sandbox.runtime, server)
        } catch {
            await sandbox.runtime.shutdown()
            throw error
        }
    }

    /// What to change on the command line after a start-up failure.
    private static func advice(for reason: StartupError.Reason) -> String {
        switch reason {
        case .addressInUse: ". Is another server using the port? Choose another with --listen HOST:PORT."
        case .permissionDenied: ". Choose a port of 1024 or above with --listen HOST:PORT, or run with the privilege."
        case .addressNotAvailable: ". Listen on 127.0.0.1, 0.0.0.0 or an address of this machine with --listen."
        case .stateDirectory: ". Choose a writable folder with --state-dir."
        case .certificate: ". Give PEM files with --cert and --key, or neither for a self-signed certificate."
        case .other: "."
        }
    }

    private func loadConfiguration() throws -> DecoyConfig {
        guard let config else { return .embeddedDefault }
        do {
            return try ConfigLoader.load(path: config)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
    }

    private func applyOverrides(_ settings: inout DecoyConfig) throws {
        if let listen, let address = ListenAddress(parsing: listen) { settings.server.listen = address }
        if https { settings.server.https = true }
        if let cert, let key {
            settings.server.certificatePath = cert
            settings.server.privateKeyPath = key
            settings.server.https = true
        }
    }

    private func refuseExposedDefaults(_ settings: DecoyConfig) throws {
        guard !allowDefaultCredentials, let refusal = ExposedDefaults.refusal(settings, fix: .configFile) else {
            return
        }
        throw Failure.exit(refusal + ".")
    }
}

/// Ends `decoy` with a message on standard error and exit status 1 (no usage text: the command
/// line was fine, the situation is not).
enum Failure {
    static func exit(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(1)
    }
}
