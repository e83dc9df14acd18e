import ArgumentParser
import DecoyCore

/// `decoy`: a tinyCam Monitor PRO web server emulator for testing camera clients.
@main
struct Decoy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decoy",
        abstract: "Impersonates a tinyCam Monitor PRO web server (partly Axis VAPIX compatible) for camera clients.",
        discussion: """
            With no arguments Decoy serves a sandbox on http://127.0.0.1:8083: the two cameras of the \
            tinyCam API document ("Front yard", "Doorbell") and the users admin/admin and guest/guest.

            Examples:
              decoy                                   # the sandbox on 127.0.0.1:8083
              decoy serve --config Fixtures/decoy.example.yaml
              decoy serve --listen 127.0.0.1:9000 --https --log-level debug
              decoy check my-cameras.yaml             # validate a configuration file
              curl -u admin:admin http://127.0.0.1:8083/api/v1/get_cam_list
            """,
        version: DecoyVersion.string,
        subcommands: [Serve.self, Check.self, Run.self, Devices.self, H264Bench.self],
        defaultSubcommand: Serve.self
    )
}
