import DecoyCore
import DecoyFaults
import Yams

/// The network and media faults of `rules:` and of `network:`/`media:` steps: `reset: true`,
/// `refuse: true`, `stall: 5s`, `bandwidth: 64KB/s`, `closeAfterBytes: N`, `closeAfterFrames: N`,
/// `media: <fault>` (with `by:` for `lyingContentLength`).
enum TransportFaultReader {
    static let networkKeys = ["reset", "refuse", "stall", "bandwidth", "closeAfterBytes", "closeAfterFrames"]
    static let keys = networkKeys + ["media"]

    /// The fault `key` names, from its node (`map` for the `by:` of `lyingContentLength`).
    static func read(
        _ key: String, _ node: Node, map: [String: Node], path: String, reader: inout YAMLReader
    ) -> Fault? {
        let at = "\(path).\(key)"
        switch key {
        case "reset", "refuse":
            guard let on = reader.bool(node, at: at) else { return nil }
            guard on else {
                reader.error("'\(at): false' faults nothing; write '\(key): true' or leave the rule out", at: node)
                return nil
            }
            return .network(key == "reset" ? .reset : .refuse)
        case "stall":
            return reader.duration(node, at: at, positive: true).map { .network(.stall(milliseconds: $0)) }
        case "bandwidth":
            return bandwidth(node, at: at, reader: &reader).map { .network(.bandwidth(bytesPerSecond: $0)) }
        case "closeAfterBytes":
            return reader.integer(node, at: at, in: 1...Int(Int32.max)).map { .network(.closeAfterBytes($0)) }
        case "closeAfterFrames":
            return reader.integer(node, at: at, in: 1...1_000_000).map { .network(.closeAfterFrames($0)) }
        default:
            return media(node, by: map["by"], transport: map["transport"], path: path, reader: &reader).map(Fault.media)
        }
    }

    /// `64KB/s`, `1.5MB/s`, `500B/s`, `64KiB/s` or a bare number of bytes per second. KB and MB
    /// are decimal (1000, 1000²), KiB and MiB binary (1024, 1024²).
    static func bandwidth(_ node: Node, at path: String, reader: inout YAMLReader) -> Int? {
        guard let text = reader.string(node, at: path) else { return nil }
        let units: [(String, Double)] = [
            ("KiB/s", 1024), ("MiB/s", 1024 * 1024), ("KB/s", 1000), ("MB/s", 1e6), ("B/s", 1),
        ]
        var value: Double?
        if let plain = Double(text) {
            value = plain
        } else if let (unit, scale) = units.first(where: { text.hasSuffix($0.0) }) {
            value = Double(text.dropLast(unit.count).trimmingCharacters(in: .whitespaces)).map { $0 * scale }
        }
        guard let value, value >= 1, value <= 1e10 else {
            reader.error(
                "'\(path)' must be a rate such as 64KB/s, 1.5MB/s, 500B/s or 64KiB/s (at least 1 B/s), got '\(text)'",
                at: node)
            return nil
        }
        return Int(value.rounded())
    }

    /// `media: truncatedJPEG` (one of `MediaFault.names`); `by:` with `lyingContentLength` (bytes),
    /// `packetLoss` (percent) and `timestampJump` (a duration); `transport: udp|tcp` with
    /// `denyTransport` (default udp).
    static func media(
        _ node: Node, by: Node?, transport: Node? = nil, path: String, reader: inout YAMLReader
    )
        -> MediaFault?
    {
        guard let name = reader.string(node, at: "\(path).media") else { return nil }
        guard MediaFault(name: name) != nil else {
            let nearest =
                MediaFault.names.first { $0.lowercased().hasPrefix(name.lowercased()) }
                ?? NearestKey.suggestion(for: name, among: MediaFault.names)
            let hint = nearest.map { " (did you mean '\($0)'?)" } ?? ""
            reader.error(
                "'\(path).media': no media fault '\(name)'\(hint); faults: \(MediaFault.names.joined(separator: ", "))",
                at: node)
            return nil
        }
        if let transport {
            guard name == "denyTransport" else {
                reader.error(
                    "'\(path).transport' only goes with 'media: denyTransport' (the transport refused)", at: transport)
                return nil
            }
            guard let word = reader.string(transport, at: "\(path).transport")?.lowercased() else { return nil }
            guard word == "udp" || word == "tcp" else {
                reader.error("'\(path).transport' must be udp or tcp, got '\(word)'", at: transport)
                return nil
            }
            return .denyTransport(udp: word == "udp")
        }
        guard let by else { return MediaFault(name: name) }
        switch name {
        case "packetLoss":
            return reader.integer(by, at: "\(path).by (percent of packets lost)", in: 1...100).map {
                .packetLoss(percent: $0)
            }
        case "timestampJump":
            return reader.duration(by, at: "\(path).by", positive: true).map { .timestampJump(milliseconds: Int($0)) }
        case "lyingContentLength": break
        default:
            reader.error(
                "'\(path).by' only goes with 'media: lyingContentLength' (bytes it lies by), 'packetLoss' (percent) "
                    + "or 'timestampJump' (a duration)", at: by)
            return nil
        }
        guard let delta = reader.integer(by, at: "\(path).by", in: -1_000_000...1_000_000) else { return nil }
        guard delta != 0 else {
            reader.error("'\(path).by: 0' does not lie; give e.g. 'by: 64' (more than sent) or 'by: -64'", at: by)
            return nil
        }
        return .lyingContentLength(by: delta)
    }
}
