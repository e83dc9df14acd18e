import DecoyMedia
import NIOCore

/// Turns a picture into the wire bytes of one variant: a stateless picture codec, JPEG (MJPEG
/// streams and snapshots), one encoder shared by every JPEG variant.
///
/// H.264 is not one of these: it carries state from frame to frame (reference pictures, the group
/// of pictures), so it must see every frame of its variant in order, keep one encoder per variant
/// for as long as the variant has subscribers, and make a stream rather than a picture (frames a
/// snapshot or a frozen camera cannot restamp). It lives beside the cache instead, in
/// `H264Streams`, fed the cache's pixels. Used on the media loop only (not `Sendable`).
protocol VariantEncoder: AnyObject {
    /// The encoded frame of `image` (already at `variant.size`) for `variant`, stamped with `stamp`.
    func encode(
        _ image: I420Image, as variant: FrameVariant, stamp: FrameStamp, allocator: ByteBufferAllocator
    ) throws -> EncodedFrame
}

/// The libturbojpeg encoder behind the JPEG variants: the JPEG is copied once, straight into the
/// frame's MJPEG part.
final class JPEGVariantEncoder: VariantEncoder {
    private let encoder: JPEGEncoder

    init() throws { encoder = try JPEGEncoder() }

    func encode(
        _ image: I420Image, as variant: FrameVariant, stamp: FrameStamp, allocator: ByteBufferAllocator
    ) throws -> EncodedFrame {
        try encoder.encode(image, quality: variant.quality) { jpeg in
            EncodedFrame(
                sequence: stamp.sequence, timeMilliseconds: stamp.timeMilliseconds,
                framesPerSecond: stamp.framesPerSecond, variant: variant, jpeg: jpeg, allocator: allocator)
        }
    }
}

/// A hub's encoders and its JPEG decoder, each made the first time it is needed (a camera nobody
/// watches never makes one). Loop-confined with the rest of the pipeline.
struct FrameCodecs {
    private var jpegEncoder: JPEGVariantEncoder?
    private var jpegDecoder: JPEGDecoder?

    /// The encoder for `variant` (resolved). The one place another picture codec plugs in.
    mutating func encoder(for variant: FrameVariant) throws -> any VariantEncoder {
        if let jpegEncoder { return jpegEncoder }
        let made = try JPEGVariantEncoder()
        jpegEncoder = made
        return made
    }

    /// The decoder for a source's JPEGs when something needs their pixels.
    mutating func decoder() throws -> JPEGDecoder {
        if let jpegDecoder { return jpegDecoder }
        let made = try JPEGDecoder()
        jpegDecoder = made
        return made
    }
}
