/// How an `H264Encoder` encodes: picture size, frame rate, rate control and the distance between
/// IDR pictures. Always Constrained Baseline (what openh264 makes: no B-frames, CAVLC), which every
/// RTP client decodes.
///
/// A value, so a frame pipeline can tell whether the encoder it holds still fits the camera (the
/// camera changed its size or rate: a new encoder, and with it an IDR with new SPS and PPS).
public struct H264EncoderConfiguration: Hashable, Sendable, CustomStringConvertible {
    /// The frame rates openh264 takes (`MAX_FRAME_RATE` is 60), the same as a camera's `fps`.
    public static let frameRateRange = 1...60
    /// The smallest side: one macroblock.
    public static let minimumSide = 16

    public var size: PixelSize
    public var framesPerSecond: Int
    public var rateControl: H264RateControl
    /// Frames from one IDR to the next (1: every frame is an IDR). A forced IDR starts the count again.
    public var keyframeInterval: Int

    /// `keyframeInterval` nil: one second of frames, the usual group of pictures of IP cameras.
    public init(
        size: PixelSize, framesPerSecond: Int, rateControl: H264RateControl = .quality(70),
        keyframeInterval: Int? = nil
    ) {
        self.size = size
        self.framesPerSecond = framesPerSecond
        self.rateControl = rateControl
        self.keyframeInterval = keyframeInterval ?? framesPerSecond
    }

    public var description: String {
        "\(size)@\(framesPerSecond)fps \(rateControl), IDR every \(keyframeInterval) frames"
    }

    /// Throws `.invalidConfiguration`, saying what is allowed, unless openh264 can take this.
    public func validate() throws(H264Error) {
        func invalid(_ message: String) -> H264Error { H264Error(.invalidConfiguration, message) }
        // 4:2:0 chroma has half the luma size: an odd side has no exact H.264 cropping.
        guard size.width >= Self.minimumSide, size.height >= Self.minimumSide, size.width % 2 == 0,
            size.height % 2 == 0
        else { throw invalid("size \(size) must have even sides of at least \(Self.minimumSide)") }
        guard Self.frameRateRange.contains(framesPerSecond) else {
            throw invalid("frame rate \(framesPerSecond) is outside \(Self.frameRateRange)")
        }
        guard keyframeInterval >= 1 else { throw invalid("keyframe interval \(keyframeInterval) must be at least 1") }
        switch rateControl {
        case .quality(let quality) where !H264RateControl.qualityRange.contains(quality):
            throw invalid("quality \(quality) is outside \(H264RateControl.qualityRange)")
        case .bitrate(let bitsPerSecond) where !H264RateControl.bitrateRange.contains(bitsPerSecond):
            throw invalid("bitrate \(bitsPerSecond) bit/s is outside \(H264RateControl.bitrateRange)")
        default: break
        }
    }
}

/// How many bits the encoder spends.
public enum H264RateControl: Hashable, Sendable, CustomStringConvertible {
    /// A constant quality 1...100 (higher is better, like a JPEG quality): a fixed quantiser, no
    /// rate control, so the same pictures always give the same bytes. See `quantizer`.
    case quality(Int)
    /// A target bitrate in bits per second (openh264's bitrate mode, frames never skipped).
    case bitrate(Int)

    public static let qualityRange = 1...100
    public static let bitrateRange = 10_000...100_000_000

    /// The H.264 quantiser for a quality: 1 gives 46, 100 gives 16, linear in between (70 gives 25).
    /// The ends are where pictures stop getting better (below 16) or become unusable (above 46).
    public static func quantizer(forQuality quality: Int) -> Int {
        let clamped = min(max(quality, qualityRange.lowerBound), qualityRange.upperBound)
        return 46 - ((clamped - 1) * 30 + 49) / 99
    }

    public var description: String {
        switch self {
        case .quality(let quality): "quality \(quality)"
        case .bitrate(let bitsPerSecond): "\(bitsPerSecond) bit/s"
        }
    }
}
