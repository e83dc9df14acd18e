import DecoyMedia

/// Receives a camera's frames of one variant. Called on the hub's media loop: implementations
/// should only hand the frame over (one hop per group of viewers, never work per viewer here).
public protocol FrameSubscriber: AnyObject, Sendable {
    func deliver(_ frame: EncodedFrame)
    /// The camera went offline: no frame will come until it is back. Streams end here (a real
    /// camera that goes down drops its connections); called on the media loop.
    func cameraWentOffline()
}

extension FrameSubscriber {
    /// Subscribers that outlive an outage (the recorder) simply get no frames meanwhile.
    public func cameraWentOffline() {}
}

/// Sees every raw frame a hub produces (the motion detector). Called on the hub's media loop right
/// after the frame is made, before it is encoded for viewers: keep the work small and bounded.
public protocol FrameObserver: AnyObject, Sendable {
    func observe(_ image: I420Image, sequence: UInt64, timeMilliseconds: Int64)
}
