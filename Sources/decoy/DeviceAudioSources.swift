import DecoyCore
import DecoyDevices
import DecoyMedia
import DecoyServer

/// The sound sources of `decoy serve`: `alsa` cameras capture from their device (DecoyDevices),
/// everything else is synthetic. Injected here so DecoyCore never depends on device code.
enum DeviceAudioSources {
    static let factory: AudioSourceFactory = { camera in
        if camera.audio.source == .alsa, let device = camera.audio.device {
            return AlsaAudioSource(device: device, sampleRate: camera.audio.rate, channels: camera.audio.channels)
        }
        return AudioSources.synthetic(camera)
    }
}

extension DecoyRuntime.Options {
    /// The options of a real server: device-backed audio sources.
    static func serving(stateDirectory: String?, logs: ServerLogs) -> Self {
        var options = Self(stateDirectory: stateDirectory, logs: logs)
        options.audioSources = DeviceAudioSources.factory
        return options
    }
}
