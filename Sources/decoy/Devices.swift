import ArgumentParser
import DecoyDevices

/// `decoy devices [--json]`: the webcams and microphones this machine has, with the formats, sizes
/// and frame rates a camera's config can ask for. Finding none is not an error (exit 0): the text says
/// where devices come from and which permission they need.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List video (V4L2) and audio (ALSA) capture devices with their formats, sizes and frame rates.",
        discussion: """
            The device nodes need permission: /dev/video* belongs to the video group and /dev/snd/* to the \
            audio group (sudo usermod -aG video,audio $USER, then log in again).

            Examples:
              decoy devices
              decoy devices --json | jq '.video[].path'
            """)

    @Flag(help: "Print JSON (every frame rate, and the ALSA capture PCM names) instead of the table.")
    var json = false

    func run() throws {
        let inventory = DeviceInventory.discover()
        print(json ? try inventory.json() : inventory.text)
    }
}
