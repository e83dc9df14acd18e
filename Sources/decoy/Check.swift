import ArgumentParser
import DecoyCore
import Foundation

/// `decoy check FILE`: validate a configuration without starting anything.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a configuration file; errors are printed as file:line:col: message.",
        discussion: """
            Exits 0 when the file is valid, 1 when it has errors (all of them are listed).

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
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
