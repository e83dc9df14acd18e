import DecoyMedia

/// What an H.264 viewer asked to receive: size, frame rate, rate control and the distance between
/// IDRs. All subscribers of one variant share one encoder and get the same access units.
///
/// Unlike a JPEG variant, an H.264 variant is a stream, not a picture: its encoder keeps state from
/// frame to frame, so it exists while the variant has subscribers and sees every frame it encodes,
/// in order (`FrameHub.subscribe(_:variant:)` for H.264).
///
/// `followsNative` means "the camera's native size, whatever it becomes" (an RTSP URL with no
/// `resolution`): when a scenario changes the camera's size, the stream goes on at the new size
/// from an IDR with new SPS and PPS. A variant that follows the native size and one that asks for
/// that size explicitly are two streams (they part ways when the size changes).
public struct H264Variant: Hashable, Sendable, CustomStringConvertible {
    public var size: PixelSize
    /// The stream's rate; nil is the camera's. Never more than the camera's (frames are not invented).
    public var framesPerSecond: Int?
    public var rateControl: H264RateControl
    /// Frames from one IDR to the next; nil is one second at the stream's rate.
    public var keyframeInterval: Int?
    /// The size is the camera's native one, whatever it becomes (see the type's documentation).
    public var followsNative: Bool

    public init(
        size: PixelSize, framesPerSecond: Int? = nil, rateControl: H264RateControl = .quality(70),
        keyframeInterval: Int? = nil, followsNative: Bool = false
    ) {
        self.size = size
        self.framesPerSecond = framesPerSecond
        self.rateControl = rateControl
        self.keyframeInterval = keyframeInterval
        self.followsNative = followsNative
    }

    /// The encoder's configuration while the camera's format is `format`.
    public func configuration(for format: VideoFormat) -> H264EncoderConfiguration {
        let rate = min(framesPerSecond ?? format.framesPerSecond, format.framesPerSecond)
        return H264EncoderConfiguration(
            size: followsNative ? format.size : size, framesPerSecond: rate, rateControl: rateControl,
            keyframeInterval: keyframeInterval)
    }

    public var description: String {
        "H.264 " + (followsNative ? "native" : "\(size)") + (framesPerSecond.map { "@\($0)fps" } ?? "")
            + " \(rateControl)" + (keyframeInterval.map { " GOP \($0)" } ?? "")
    }
}
