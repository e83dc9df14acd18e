import DecoyMedia

/// A camera's picture format: its native size and frame rate.
///
/// The camera's config sets it at start; a scenario's `camera` step can change either mid-stream
/// (`FrameHub.setFormat`), as when someone changes the stream settings on the phone. Kept as one
/// value so a source is always made for one consistent pair.
public struct VideoFormat: Sendable, Hashable, CustomStringConvertible {
    public var size: PixelSize
    public var framesPerSecond: Int

    public init(size: PixelSize, framesPerSecond: Int) {
        self.size = size
        self.framesPerSecond = max(1, framesPerSecond)
    }

    public var description: String { "\(size)@\(framesPerSecond)fps" }
}
