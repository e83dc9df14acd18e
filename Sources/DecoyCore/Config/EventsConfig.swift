/// `cameras[].motionDetection`: the pixel motion detector of one camera.
///
/// Keys: `enabled` (default false; a camera with detection on renders or captures frames even with
/// no viewer), `sensitivity` (1–100, default 50: higher finds smaller changes), `minimumArea`
/// (percent of the picture that must change, default 0.5), `cooldown` (seconds without motion
/// before the event ends, default 5).
public struct MotionDetectionConfig: Sendable, Equatable {
    public var enabled = false
    public var sensitivity = 50
    public var minimumAreaPercent = 0.5
    public var cooldownSeconds = 5.0

    public init(enabled: Bool = false) { self.enabled = enabled }
}

/// `cameras[].recording`: clips of the camera's events.
///
/// Keys: `enabled` (default false), `preRoll` (seconds before the event, default 3, kept as encoded
/// JPEGs: about fps × preRoll frames of the camera's size), `postRoll` (seconds after the last
/// activity, default 3), `maxDuration` (seconds; a longer event ends its clip there, default 120),
/// `quality` (JPEG quality of the frames fed to the H.264 encoder, default 85).
public struct RecordingConfig: Sendable, Equatable {
    public var enabled = false
    public var preRollSeconds = 3.0
    public var postRollSeconds = 3.0
    public var maxDurationSeconds = 120.0
    public var quality = 85

    public init(enabled: Bool = false) { self.enabled = enabled }
}

/// `events:`: how injected events behave.
///
/// Keys: `triggerDuration` (seconds a `createmotion.cgi` event lasts, default 10).
public struct EventsConfig: Sendable, Equatable {
    public var triggerDurationSeconds = 10.0

    public init() {}
}
