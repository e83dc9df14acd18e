import DecoyMedia
import Yams

/// `cameras[].audio`: the sound `receive.wav` plays for a camera with `audioListening: true`.
///
/// Keys: `source` (`marker`, the default: a steady tone with a short beep at every whole second of
/// the clock; `tone`; `noise`; `silence`; `alsa`: a capture device), `rate` (Hz, 8000 by default;
/// 8000, 16000, 22050, 44100 or 48000), `frequency` (Hz of the tone and of marker's steady tone,
/// default 440, below half the rate), `level` (dBFS of tone, marker's steady tone and noise, AES17:
/// 0 = a full-scale sine; −96…0, default −20), and for `alsa` only `device` (an ALSA name such as
/// `hw:1,0`, `plughw:1,0` or `default`; required) and `channels` (captured channels, mixed to mono;
/// 1–8, default 1).
public struct AudioConfig: Sendable, Equatable {
    public enum Source: String, Sendable, Equatable, CaseIterable {
        case marker, tone, noise, silence, alsa
    }

    /// The rates `receive.wav` can be served at.
    public static let rates = [8000, 16000, 22050, 44100, 48000]

    public var source: Source = .marker
    public var rate = 8000
    public var frequency = 440.0
    public var levelDBFS = -20.0
    public var device: String?
    public var channels = 1

    public init(source: Source = .marker, rate: Int = 8000) {
        self.source = source
        self.rate = rate
    }

    /// The synthetic signal this configuration describes; nil for `alsa`, which needs a device.
    public func signal(seed: UInt64) -> (any AudioSignal)? {
        switch source {
        case .marker: MarkerSignal(sampleRate: rate, frequency: frequency, levelDBFS: levelDBFS)
        case .tone: ToneSignal(sampleRate: rate, frequency: frequency, levelDBFS: levelDBFS)
        case .noise: NoiseSignal(sampleRate: rate, seed: seed, levelDBFS: levelDBFS)
        case .silence: SilenceSignal(sampleRate: rate)
        case .alsa: nil
        }
    }
}

/// Reads `cameras[].audio`.
enum AudioSection {
    static let keys = ["source", "rate", "frequency", "level", "device", "channels"]

    static func read(_ node: Node, at path: String, into audio: inout AudioConfig, reader: inout YAMLReader) {
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return }
        if let node = map["source"], let value = reader.choice(node, at: "\(path).source", as: AudioConfig.Source.self)
        {
            audio.source = value
        }
        if let node = map["rate"], let value = reader.integer(node, at: "\(path).rate", in: 1...192_000) {
            if AudioConfig.rates.contains(value) {
                audio.rate = value
            } else {
                let allowed = AudioConfig.rates.map(String.init).joined(separator: ", ")
                reader.error("'\(path).rate' must be one of \(allowed) (Hz), got \(value)", at: node)
            }
        }
        if let node = map["frequency"], let value = reader.number(node, at: "\(path).frequency (Hz)", in: 1...24_000) {
            if value < Double(audio.rate) / 2 {
                audio.frequency = value
            } else {
                reader.error(
                    "'\(path).frequency' must be below half the rate (\(audio.rate / 2) Hz at \(audio.rate) Hz), "
                        + "got \(value); lower it or raise 'rate'", at: node)
            }
        }
        if let node = map["level"],
            let value = reader.number(node, at: "\(path).level (dBFS)", in: AudioLevel.minimumDBFS...0)
        {
            audio.levelDBFS = value
        }
        if let node = map["device"], let value = reader.string(node, at: "\(path).device") {
            if value.isEmpty || value.contains(where: { $0.isWhitespace || $0.isNewline }) {
                reader.error("'\(path).device' must be an ALSA device name such as hw:1,0, got '\(value)'", at: node)
            } else {
                audio.device = value
            }
        }
        if let node = map["channels"], let value = reader.integer(node, at: "\(path).channels", in: 1...8) {
            audio.channels = value
        }
        checkDeviceKeys(map, at: path, audio: audio, mapping: node, reader: &reader)
    }

    /// `device` and `channels` belong to `alsa`, which cannot work without a device.
    private static func checkDeviceKeys(
        _ map: [String: Node], at path: String, audio: AudioConfig, mapping: Node, reader: inout YAMLReader
    ) {
        if audio.source == .alsa {
            if audio.device == nil && map["device"] == nil {
                reader.error(
                    "'\(path)' with source alsa needs a 'device' such as hw:1,0 (see 'arecord -l')", at: mapping)
            }
            return
        }
        for key in ["device", "channels"] {
            if let node = map[key] {
                reader.error(
                    "'\(path).\(key)' is only used with 'source: alsa' (source is \(audio.source.rawValue))", at: node)
            }
        }
    }
}
