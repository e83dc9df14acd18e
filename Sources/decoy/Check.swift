import ArgumentParser
import DecoyCore
import DecoyDevices
import Foundation

/// `decoy check FILE`: validate a configuration without starting anything.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a configuration file; errors are printed as file:line:col: message.",
        discussion: """
            Exits 0 when the file is valid, 1 when it has errors (all of them are listed). A `v4l2`
            camera whose device is not plugged in is noted but valid: Decoy serves NO SIGNAL until it appears.

            Example:
              decoy check Fixtures/decoy.example.yaml
            """)

    @Argument(help: ArgumentHelp("The YAML configuration file.", valueName: "file"))
    var file: String

    func run() throws {
        do {
            let config = try ConfigLoader.load(path: file)
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
