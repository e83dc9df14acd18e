import DecoyMedia
import NIOCore

/// One encoded H.264 access unit of a variant, shared (not copied) by every subscriber of it.
///
/// The NAL units are stored back to back without start codes in one buffer (`payload`), one copy
/// out of the encoder; `nalUnits` slices it without copying, ready for RTP (RFC 6184 carries NAL
/// units without start codes, in FU-A fragments when larger than a packet).
public struct H264Frame: Sendable {
    /// The camera's frame number (frames a lower-rate stream leaves out are missing from its sequence).
    public let sequence: UInt64
    /// Clock time the frame was made at (the one clock: a virtual run gives the same times). A
    /// frozen camera's repeated frames carry the time they were repeated, so RTP timestamps advance.
    public let timeMilliseconds: Int64
    /// The stream's rate when the frame was made (the camera's, or the variant's when lower).
    public let framesPerSecond: Int
    /// The variant as subscribed.
    public let variant: H264Variant
    /// The picture's size (the native size now when the variant follows it).
    public let size: PixelSize
    /// An IDR (with SPS and PPS before it in `nalUnits`): a decoder can start here.
    public let isKeyframe: Bool
    /// The stream's SPS and PPS, as in-band before each IDR; new ones after a change of size or rate.
    public let parameterSets: H264ParameterSets
    /// The NAL units back to back, without start codes.
    public let payload: ByteBuffer
    /// Where each NAL unit lies in `payload`, relative to its reader index.
    public let nalRanges: [Range<Int>]

    /// Each NAL unit (slices of `payload`, no copy), in decoding order.
    public var nalUnits: [ByteBuffer] {
        nalRanges.map { payload.getSlice(at: payload.readerIndex + $0.lowerBound, length: $0.count)! }
    }

    /// The NAL units' types, in order.
    public var nalTypes: [H264NALType] {
        nalRanges.map {
            H264NALType(rawValue: payload.getInteger(at: payload.readerIndex + $0.lowerBound, as: UInt8.self)! & 0x1F)
        }
    }

    /// Copies the picture's NAL units out of the encoder into one buffer.
    init(
        _ picture: H264EncodedPicture, stamp: FrameStamp, timeMilliseconds: Int64, variant: H264Variant,
        configuration: H264EncoderConfiguration, parameterSets: H264ParameterSets, allocator: ByteBufferAllocator
    ) {
        var payload = allocator.buffer(capacity: picture.payloadByteCount)
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(picture.nalUnitCount)
        picture.forEachNALUnit { unit in
            let start = payload.writerIndex
            payload.writeBytes(unit)
            ranges.append(start..<payload.writerIndex)
        }
        self.sequence = stamp.sequence
        self.timeMilliseconds = timeMilliseconds
        self.framesPerSecond = configuration.framesPerSecond
        self.variant = variant
        self.size = configuration.size
        self.isKeyframe = picture.isKeyframe
        self.parameterSets = parameterSets
        self.payload = payload
        self.nalRanges = ranges
    }
}
