/// What other threads may know about a hub (`/metrics`, `get_status`, `param.cgi`, tests): one
/// immutable value, published by the hub's media loop after each piece of work and copied by
/// readers, so nothing off the loop ever reads the pipeline's own state.
///
/// The forced health is the exception that proves the rule: `FrameHub.setHealth` publishes it at
/// once (the API must answer as the scenario said from that moment on, e.g. 503 for an offline
/// camera), and the loop takes it over for the frames that follow.
public struct FrameHubStatus: Sendable, Equatable {
    /// The native size and rate now.
    public let format: VideoFormat
    /// What a scenario forces the picture to show; `live` when nothing is forced.
    public let forcedHealth: CameraHealth
    /// What the source said about its input when last asked (once per frame while running).
    public let sourceHealth: VideoSourceHealth
    /// The hub's work so far.
    public let counts: FrameHubCounters

    /// What the frames show now: the forced health, or the source's when none is forced.
    public var health: CameraHealth { forcedHealth == .live ? sourceHealth.cameraHealth : forcedHealth }

    init(
        format: VideoFormat, forcedHealth: CameraHealth = .live, sourceHealth: VideoSourceHealth = .live,
        counts: FrameHubCounters = FrameHubCounters()
    ) {
        self.format = format
        self.forcedHealth = forcedHealth
        self.sourceHealth = sourceHealth
        self.counts = counts
    }

    /// The same status with `health` forced.
    func forcing(_ health: CameraHealth) -> FrameHubStatus {
        FrameHubStatus(format: format, forcedHealth: health, sourceHealth: sourceHealth, counts: counts)
    }
}

/// Counters a hub keeps about its own work.
public struct FrameHubCounters: Sendable, Equatable {
    public var framesProduced = 0
    public var variantsEncoded = 0
    public var running = false
    /// Time spent in the JPEG encoder, cumulative (scaling and decoding not included): what MJPEG
    /// passthrough saves shows here.
    public var encodeNanoseconds: UInt64 = 0
    /// Frames sent as the source's own JPEG (once per frame and passthrough variant, like `variantsEncoded`).
    public var jpegsPassedThrough = 0
    /// Source JPEGs decoded because something needed pixels.
    public var jpegsDecoded = 0
    /// Source JPEGs dropped because they were not whole (`JPEGIntegrity`).
    public var jpegsDropped = 0
    /// H.264 access units encoded, over all H.264 variants.
    public var h264FramesEncoded = 0
    /// Time spent in the H.264 encoder, cumulative (scaling not included).
    public var h264EncodeNanoseconds: UInt64 = 0
}

/// Why a hub could not hand out a frame.
public enum FrameHubError: Error, CustomStringConvertible {
    case noFrame(String?)
    /// The camera's health is `offline`: it has no picture to give.
    case offline

    public var description: String {
        switch self {
        case .noFrame(let reason): "the camera has produced no frame yet" + (reason.map { " (\($0))" } ?? "")
        case .offline: "the camera is offline"
        }
    }
}
