import DecoyMedia

/// Makes a camera's `AudioSource` from its configuration. Injected (through `CameraRegistry` and
/// `DecoyRuntime`) so DecoyCore stays free of device code: the `decoy` command passes one that
/// opens ALSA devices, tests and embedders get `AudioSources.synthetic`.
public typealias AudioSourceFactory = @Sendable (CameraConfig) -> any AudioSource

public enum AudioSources {
    /// The synthetic sounds (marker, tone, noise, silence); `alsa` plays silence, as a build
    /// without device support has no way to capture.
    public static let synthetic: AudioSourceFactory = { camera in
        SignalAudioSource(camera.audio.signal(seed: camera.seed) ?? SilenceSignal(sampleRate: camera.audio.rate))
    }
}
