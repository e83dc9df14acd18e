import DecoyMedia

/// What a client asked to receive: the picture size and JPEG quality. Each variant of a frame is
/// encoded at most once and shared by all its viewers.
///
/// `passthrough` marks a request for the camera's own picture: `video.cgi`/`image.cgi` with no
/// `compression` and no `resolution` (or exactly the native one). When the source hands over a JPEG
/// of that size (an MJPEG webcam), viewers get the device's bytes unchanged, with no decode and no
/// encode; otherwise the frame is encoded at `quality` like any variant (and shared with the
/// non-passthrough viewers of the same size and quality).
///
/// `followsNative` marks a request for whatever the camera's native size is (no `resolution`, or
/// one larger than the camera's): when a scenario changes the native size mid-stream, such a
/// viewer gets the new size from the next frame on, as from a real camera whose stream settings
/// were changed; `size` is then only the size it was asked at.
public struct FrameVariant: Hashable, Sendable, CustomStringConvertible {
    public var size: PixelSize
    /// JPEG quality 1...100, used whenever the frame is encoded here.
    public var quality: Int
    /// Serve the source's own JPEG when it has one of `size` (see the type's documentation).
    public var passthrough: Bool
    /// The size is the camera's native one, whatever it becomes (see the type's documentation).
    public var followsNative: Bool

    public init(size: PixelSize, quality: Int, passthrough: Bool = false, followsNative: Bool = false) {
        self.size = size
        self.quality = quality
        self.passthrough = passthrough
        self.followsNative = followsNative
    }

    /// The variant encoded when no source JPEG can be passed through.
    public var encodedEquivalent: FrameVariant { FrameVariant(size: size, quality: quality) }

    /// The concrete variant to encode while the native size is `nativeSize`.
    public func resolved(nativeSize: PixelSize) -> FrameVariant {
        FrameVariant(size: followsNative ? nativeSize : size, quality: quality, passthrough: passthrough)
    }

    public var description: String { "\(size)@q\(quality)" + (passthrough ? "/native" : "") }
}
