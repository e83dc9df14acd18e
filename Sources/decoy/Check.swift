import ArgumentParser
import DecoyCore
import DecoyDevices
import DecoyScenario
import Foundation

/// `decoy check FILE`: validate a configuration, or a scenario, without starting anything.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a configuration or scenario file; errors are printed as file:line:col: message.",
        discussion: """
            Exits 0 when the file is valid, 1 when it has errors (all of them are listed). A file whose \
            top level has scenario keys (timeline, expect, rules, duration…) is validated as a \
            scenario, as `decoy run --check` does. A `v4l2` camera whose device is not plugged in is \
            noted but valid: Decoy serves NO SIGNAL until it appears. A configuration that listens \
            beyond loopback with a default password is an error, as `decoy serve` refuses it (unless \
            --allow-default-credentials).

            Examples:
              decoy check Fixtures/decoy.example.yaml
              decoy check Scenarios/doorbell-ring.yaml
            """)

    @Argument(help: ArgumentHelp("The YAML configuration or scenario file.", valueName: "file"))
    var file: String

    @Flag(
        name: .customLong("allow-default-credentials"),
        help: "Accept listening beyond loopback with admin/admin or guest/guest, as `decoy serve` would with it.")
    var allowDefaultCredentials = false

    func run() throws {
        if ScenarioLoader.isScenarioFile(file) { return try checkScenario() }
        do {
            let config = try ConfigLoader.load(path: file)
            if !allowDefaultCredentials, let refusal = ExposedDefaults.refusal(config, fix: .configFile) {
                FileHandle.standardError.write(Data("\(file): error: \(refusal)\n".utf8))
                throw ExitCode(1)
            }
            let cameras = config.cameras.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")
            print(
                "\(file): OK: listens on \(config.server.listen)\(config.server.https ? " (HTTPS)" : ""), "
                    + "\(config.users.count) user(s), \(config.cameras.count) camera(s): \(cameras)")
            for note in Self.absentDevices(config) {
                FileHandle.standardError.write(Data("\(file): note: \(note)\n".utf8))
            }
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }

    private func checkScenario() throws {
        do {
            let scenario = try ScenarioLoader.load(path: file)
            print("\(file): OK: \(scenario.checkSummary)")
        } catch {
            FileHandle.standardError.write(
                Data(
                    (error.description + "\n\(file): the scenario is invalid (\(error.diagnostics.count) error(s))\n")
                        .utf8))
            throw ExitCode(1)
        }
    }

    /// A note per `v4l2` camera whose device node does not exist now (unplugged, or a wrong name).
    static func absentDevices(_ config: DecoyConfig) -> [String] {
        config.cameras.compactMap { camera in
            guard camera.source == .v4l2, let device = camera.device else { return nil }
            let path = V4L2VideoSource.resolve(device)
            guard !FileManager.default.fileExists(atPath: path) else { return nil }
            return "camera '\(camera.name)': \(path) is not present now; Decoy will show NO SIGNAL for it until "
                + "it appears ('decoy devices' lists the capture devices)"
        }
    }
}
