import DecoyMedia

/// One frame as the source driver made it, before any variant: pixels, the source's checked JPEG,
/// or both once the JPEG was decoded.
struct SourcePicture {
    var image: I420Image?
    let jpeg: [UInt8]?
    let size: PixelSize
    /// What every variant of this frame is stamped with.
    let stamp: FrameStamp
    /// Clock time it was made at (a frozen frame's is when it was repeated, not its picture's time).
    let producedAt: Int64

    /// The same picture as a later frame (a frozen camera): new number and rate, the picture's own time.
    func repeated(sequence: UInt64, framesPerSecond: Int, producedAt: Int64) -> SourcePicture {
        SourcePicture(
            image: image, jpeg: jpeg, size: size,
            stamp: FrameStamp(
                sequence: sequence, timeMilliseconds: stamp.timeMilliseconds, framesPerSecond: framesPerSecond),
            producedAt: producedAt)
    }
}

/// What an encoded frame says about the frame it was made from (see `EncodedFrame`).
struct FrameStamp: Equatable {
    let sequence: UInt64
    let timeMilliseconds: Int64
    /// The camera's rate when the frame was made.
    let framesPerSecond: Int
}
