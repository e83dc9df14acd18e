/// Receives a camera's H.264 access units of one variant (an RTSP session). Called on the hub's
/// media loop: implementations should only hand the frame over.
///
/// A subscriber's first frame is an IDR: frames before the first IDR after it joined are not
/// delivered to it (a decoder could not use them), and joining asks for one (`KeyframeRequests`).
public protocol H264Subscriber: AnyObject, Sendable {
    func deliver(_ frame: H264Frame)
    /// The camera went offline: no frame will come until it is back (RTSP sessions end, as streams
    /// do). Called on the media loop.
    func cameraWentOffline()
}

extension H264Subscriber {
    public func cameraWentOffline() {}
}
