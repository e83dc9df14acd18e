import DecoyMedia
import NIOCore

/// The variants of a camera's newest frame: given that frame and a resolved variant (a concrete
/// size and quality), the encoded frame, made at most once and then shared.
///
/// A value with no clock, no loop and no viewers: what it returns depends only on the picture it
/// holds and the variant asked (the codecs it is handed just do the work). So it is tested alone.
///
/// - A `passthrough` variant of the picture's size gets the source's own JPEG, copied once into
///   the frame's part, with no decode and no encode. Otherwise it is the same frame as the plain
///   variant of its size and quality, and shares that frame's bytes.
/// - A scaled variant scales the picture once per size, whatever the number of qualities.
/// - A source JPEG is decoded once per frame, the first time pixels are needed (a scaled or
///   re-compressed variant, an observer).
struct VariantCache {
    /// The newest frame; nil before the first one and after `forget()`.
    private(set) var picture: SourcePicture?
    private var frames: [FrameVariant: EncodedFrame] = [:]
    /// The picture scaled to each size asked so far.
    private(set) var scaled: [PixelSize: I420Image] = [:]
    /// What the cache did so far (never reset: the hub's counters add it up).
    private(set) var work = Work()
    private let allocator = ByteBufferAllocator()

    /// Cumulative counts of the cache's work.
    struct Work: Equatable {
        var variantsEncoded = 0
        var encodeNanoseconds: UInt64 = 0
        var jpegsPassedThrough = 0
        var jpegsDecoded = 0
    }

    /// A new frame: the variants of the previous one are dropped (their storage is kept for the next).
    mutating func show(_ picture: SourcePicture) {
        self.picture = picture
        frames.removeAll(keepingCapacity: true)
        scaled.removeAll(keepingCapacity: true)
    }

    /// The same picture again as a later frame (a frozen camera): every variant made so far is kept,
    /// the very same bytes, only restamped.
    mutating func showAgain(_ picture: SourcePicture) {
        self.picture = picture
        // In place: iterating a copy while assigning would copy the dictionary.
        var index = frames.values.startIndex
        while index != frames.values.endIndex {
            frames.values[index] = frames.values[index].restamped(
                sequence: picture.stamp.sequence, framesPerSecond: picture.stamp.framesPerSecond)
            frames.values.formIndex(after: &index)
        }
    }

    /// Drops the picture and all its variants (a new size, a restarted source: what was shown is stale).
    mutating func forget() {
        picture = nil
        frames.removeAll()
        scaled.removeAll()
    }

    /// The picture's pixels, decoding its JPEG the first time they are needed.
    mutating func pixels(codecs: inout FrameCodecs) throws -> I420Image {
        guard var picture else { throw FrameHubError.noFrame(nil) }
        if let image = picture.image { return image }
        guard let jpeg = picture.jpeg else { throw FrameHubError.noFrame(nil) }
        let image = try codecs.decoder().decodeToI420(jpeg)
        work.jpegsDecoded += 1
        picture.image = image
        self.picture = picture
        return image
    }

    /// The frame of `variant`, which must be resolved (`FrameVariant.resolved`): made once per
    /// picture, then the same bytes for every caller.
    mutating func frame(of variant: FrameVariant, codecs: inout FrameCodecs) throws -> EncodedFrame {
        if let frame = frames[variant] { return frame }
        guard let picture else { throw FrameHubError.noFrame(nil) }
        let frame: EncodedFrame
        if variant.passthrough {
            if let jpeg = picture.jpeg, picture.size == variant.size {
                frame = jpeg.withUnsafeBytes { bytes in
                    EncodedFrame(
                        sequence: picture.stamp.sequence, timeMilliseconds: picture.stamp.timeMilliseconds,
                        framesPerSecond: picture.stamp.framesPerSecond, variant: variant, jpeg: bytes,
                        allocator: allocator)
                }
                work.jpegsPassedThrough += 1
            } else {
                frame = try self.frame(of: variant.encodedEquivalent, codecs: &codecs)
            }
        } else {
            let image = try pixels(at: variant.size, codecs: &codecs)
            let encoder = try codecs.encoder(for: variant)
            // The encoder's cost is real time by nature (a virtual clock stands still while it works).
            let started = NIODeadline.now()
            frame = try encoder.encode(image, as: variant, stamp: picture.stamp, allocator: allocator)
            work.variantsEncoded += 1
            work.encodeNanoseconds &+= UInt64(max(0, (NIODeadline.now() - started).nanoseconds))
        }
        frames[variant] = frame
        return frame
    }

    /// The picture at `size`: itself, or scaled once per size and frame (JPEG and H.264 variants share it).
    mutating func pixels(at size: PixelSize, codecs: inout FrameCodecs) throws -> I420Image {
        let full = try pixels(codecs: &codecs)
        if size == full.size { return full }
        if let image = scaled[size] { return image }
        let image = full.scaled(to: size)
        scaled[size] = image
        return image
    }
}
