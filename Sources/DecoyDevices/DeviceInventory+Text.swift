import Foundation

extension DeviceInventory {
    /// What to say when no webcam is found: where one comes from and the permission it needs, because
    /// "nothing" alone leaves a person guessing.
    public static let noVideoMessage =
        "no video capture devices found (plug in a USB webcam (UVC): it appears as /dev/video0; "
        + "if `ls -l /dev/video*` shows nodes, this user needs to be in the video group: "
        + "sudo usermod -aG video $USER, then log in again)"

    /// The same for microphones.
    public static let noAudioMessage =
        "no ALSA audio capture devices found (plug in a USB microphone or a webcam with one; `arecord -l` "
        + "lists them; if /dev/snd exists, this user needs to be in the audio group: "
        + "sudo usermod -aG audio $USER, then log in again)"

    /// A table a person can read: per device its formats, each with its sizes and fastest frame rate
    /// (`--json` has every rate).
    public var text: String {
        var lines = ["Video capture devices (V4L2):"]
        if video.isEmpty { lines.append("  " + Self.noVideoMessage) }
        for device in video {
            lines.append("  \(device.path)  \"\(device.name)\"  driver \(device.driver), \(device.busInfo)")
            let width = device.formats.map(\.fourcc.count).max() ?? 4
            for format in device.formats {
                let flags = [format.compressed ? "compressed" : nil, format.emulated ? "converted by libv4l2" : nil]
                    .compactMap { $0 }
                let label = format.description + (flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))")
                let fourcc = format.fourcc.padding(toLength: max(width, 4), withPad: " ", startingAt: 0)
                lines.append("    \(fourcc)  \(label): \(Self.sizes(format))")
            }
        }
        lines.append("Audio capture devices (ALSA):")
        if audio.isEmpty { lines.append("  " + Self.noAudioMessage) }
        for device in audio {
            lines.append(
                "  \(device.alsaName)  card \(device.card) \"\(device.cardName)\", device \(device.device) "
                    + "\"\(device.name)\", \(device.subdevices) subdevice(s); also hw:\(device.card),\(device.device)")
        }
        if !problems.isEmpty {
            lines.append("Problems:")
            lines += problems.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    static func sizes(_ format: DevicePixelFormat) -> String {
        if let range = format.sizeRange {
            return "\(range.minWidth)x\(range.minHeight) to \(range.maxWidth)x\(range.maxHeight) "
                + "in steps of \(range.stepWidth)x\(range.stepHeight)"
        }
        if format.sizes.isEmpty { return "no sizes listed" }
        return format.sizes.map { size in
            guard let fastest = size.fps.first else { return "\(size.width)x\(size.height)" }
            return "\(size.width)x\(size.height)@\(rate(fastest))"
        }.joined(separator: " ")
    }

    /// 25 → "25", 12.5 → "12.5".
    static func rate(_ fps: Double) -> String {
        fps == fps.rounded() ? String(Int(fps)) : String(fps)
    }

    /// The inventory as JSON, keys sorted (stable for scripts and diffs).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
