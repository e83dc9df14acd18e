/// What a camera's picture is doing, as one value the frame hub, the API and the scenarios share
/// (instead of an error string): a scenario's `camera` step sets it, a device source will set it
/// when its device disappears, and the hub reads it once per frame to decide what to deliver.
public enum CameraHealth: String, Sendable, CaseIterable {
    /// Frames come from the camera's source.
    case live
    /// No frames at all: open streams are closed and `video.cgi`/`image.cgi` answer 503, while
    /// `get_cam_list` still lists the camera (tinyCam lists cameras that are down).
    case offline
    /// The source is not asked for pictures: the last picture keeps being delivered unchanged.
    case frozen
    /// A black picture of the native size with no overlay (a covered lens).
    case black
    /// A dark-blue "NO SIGNAL" card with the frame-id strip, what a capture card shows without input.
    case noSignal
}
