import DecoyCore
import DecoyDevices
import DecoyServer
import Logging

/// The picture sources of `decoy serve`: `v4l2` cameras capture from their device (DecoyDevices),
/// everything else is synthetic. Injected here so DecoyCore never depends on device code.
enum DeviceVideoSources {
    static let factory: VideoSourceFactory = { request in
        let camera = request.config
        guard camera.source == .v4l2, let device = camera.device else { return VideoSources.synthetic(request) }
        return V4L2VideoSource(
            cameraName: camera.name, device: device, size: request.format.size,
            fps: request.format.framesPerSecond,
            format: camera.captureFormat, logger: Logger(label: "decoy.v4l2"))
    }
}

extension DecoyRuntime.Options {
    /// These options with device-backed picture sources.
    func capturingVideo() -> Self {
        var options = self
        options.videoSources = DeviceVideoSources.factory
        return options
    }
}
