/// How a capture device behind a camera's sound is doing: what `get_status?cameraId=` reports
/// under `audio` and what the logs narrate. Synthetic sources have no device and no health.
public struct AudioDeviceHealth: Sendable, Equatable {
    /// The ALSA device name as configured, e.g. `hw:1,0`.
    public var device: String
    /// Whether the device is open and capturing now (false before the first listener, while it is
    /// unplugged and between reopen attempts).
    public var open = false
    /// Overruns: the capture thread was late, samples were lost and the stream was recovered.
    public var xruns = 0
    /// Times the device was opened again after it failed or disappeared.
    public var reopens = 0
    /// Times the listeners' side ran dry (the device delivered slower than its nominal rate) and
    /// silence was played while the jitter buffer refilled.
    public var underruns = 0
    /// Why the device last failed, while it is not open.
    public var lastError: String?

    public init(device: String) { self.device = device }
}
