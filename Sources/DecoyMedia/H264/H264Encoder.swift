import COpenH264

/// Encodes I420 pictures to H.264 Constrained Baseline with openh264 (BSD-2-Clause, linked in-process).
///
/// One encoder is one H.264 stream: it keeps reference pictures and its place in the group of
/// pictures from frame to frame, so it must see every frame of its stream, in order. It is not
/// `Sendable` (openh264's encoder must not be used by two threads at once): each stream's encoder
/// lives on one thread.
///
/// What it makes, and why:
/// - One slice per picture: the best compression and the least work; RTP (RFC 6184) carries a
///   large slice in FU-A fragments, which every RTP client reassembles, so MTU-sized slices would
///   cost bits and encoder time for nothing a client needs.
/// - No B-frames (Baseline has none), so pictures leave in display order, one access unit per frame.
/// - An IDR every `keyframeInterval` frames, counted again from a forced IDR (`requestKeyframe`).
/// - SPS and PPS with constant ids: the same bytes right after initialisation (`parameterSets`,
///   for SDP) and in-band before every IDR, so a viewer can start at any IDR.
/// - No frame skipping and no scene-change IDRs: every frame gives an access unit, and IDRs come
///   only where the interval or a request puts them (what a client test can rely on).
/// - One thread (openh264's own threads off): frames already come one at a time from the camera's
///   media loop, and a single thread makes the output a function of the input alone.
public final class H264Encoder {
    public let configuration: H264EncoderConfiguration
    /// The stream's SPS and PPS, known from initialisation on (before any frame).
    public let parameterSets: H264ParameterSets

    private let encoder: UnsafeMutablePointer<ISVCEncoder?>
    /// openh264's description of its output, reused for every frame (about 5 KB).
    private let output: UnsafeMutablePointer<SFrameBSInfo>

    /// Creates and initialises the encoder; throws `.invalidConfiguration` for a configuration
    /// outside what openh264 takes, `.initialization` when openh264 refuses it anyway.
    public init(_ configuration: H264EncoderConfiguration) throws(H264Error) {
        try configuration.validate()
        var made: UnsafeMutablePointer<ISVCEncoder?>?
        guard WelsCreateSVCEncoder(&made) == 0, let encoder = made else {
            throw H264Error(.initialization, "WelsCreateSVCEncoder failed (out of memory?)")
        }
        let output = UnsafeMutablePointer<SFrameBSInfo>.allocate(capacity: 1)
        output.initialize(to: SFrameBSInfo())
        do throws(H264Error) {
            var parameters = try Self.parameters(configuration, defaults: encoder)
            try Self.check(encoder.vtable.InitializeExt!(encoder, &parameters), "InitializeExt", configuration)
            try Self.check(encoder.vtable.EncodeParameterSets!(encoder, output), "EncodeParameterSets", configuration)
            self.parameterSets = try H264EncodedPicture(output).parameterSets(configuration)
        } catch {
            _ = encoder.vtable.Uninitialize!(encoder)
            WelsDestroySVCEncoder(encoder)
            output.deallocate()
            throw error
        }
        self.configuration = configuration
        self.encoder = encoder
        self.output = output
    }

    deinit {
        _ = encoder.vtable.Uninitialize!(encoder)
        WelsDestroySVCEncoder(encoder)
        output.deallocate()
    }

    /// Makes the next picture an IDR (with SPS and PPS before it), and counts the interval from it.
    /// Cheap and idempotent until that picture is encoded; callers limit how often viewers may ask.
    public func requestKeyframe() {
        _ = encoder.vtable.ForceIntraFrame!(encoder, true)
    }

    /// Encodes `image` (of `configuration.size`) taken at `timeMilliseconds`, and passes the result
    /// to `body`.
    ///
    /// The NAL units live in openh264's buffer and are valid only during the call, so a server
    /// copies them once, straight into its own buffer.
    public func encode<R>(
        _ image: I420Image, timeMilliseconds: Int64, _ body: (H264EncodedPicture) throws -> R
    ) throws -> R {
        try body(try encodePicture(image, timeMilliseconds: timeMilliseconds))
    }

    /// Encodes `image` and copies the result; nil when openh264 produced no picture for it. For
    /// tests and tools: a server uses the closure form, which copies once.
    public func encode(_ image: I420Image, timeMilliseconds: Int64) throws(H264Error) -> H264AccessUnit? {
        let picture = try encodePicture(image, timeMilliseconds: timeMilliseconds)
        guard picture.nalUnitCount > 0 else { return nil }
        var units: [[UInt8]] = []
        picture.forEachNALUnit { units.append([UInt8]($0)) }
        return H264AccessUnit(
            nalUnits: units, isKeyframe: picture.isKeyframe, timeMilliseconds: timeMilliseconds,
            parameterSets: parameterSets)
    }

    private func encodePicture(_ image: I420Image, timeMilliseconds: Int64) throws(H264Error) -> H264EncodedPicture {
        guard image.size == configuration.size, image.hasValidLength else {
            throw H264Error(
                .invalidImage,
                "I420 image \(image.size) with \(image.bytes.count) bytes given to an encoder of \(configuration.size)")
        }
        let status = image.bytes.withUnsafeBufferPointer { bytes in
            // openh264 copies the planes into its own pictures and never writes to the source.
            let base = UnsafeMutablePointer(mutating: bytes.baseAddress!)
            var source = SSourcePicture()
            source.iColorFormat = Int32(videoFormatI420.rawValue)
            source.iPicWidth = Int32(image.size.width)
            source.iPicHeight = Int32(image.size.height)
            source.iStride = (Int32(image.lumaStride), Int32(image.chromaStride), Int32(image.chromaStride), 0)
            source.pData = (base, base + image.uOffset, base + image.vOffset, nil)
            source.uiTimeStamp = timeMilliseconds
            return encoder.vtable.EncodeFrame!(encoder, &source, output)
        }
        try Self.check(status, "EncodeFrame", configuration)
        let picture = H264EncodedPicture(output)
        guard picture.frameType != videoFrameTypeInvalid else {
            throw H264Error(.encoding, "EncodeFrame returned no valid picture for \(configuration)")
        }
        return picture
    }

    private static func check(
        _ status: Int32, _ call: String, _ configuration: H264EncoderConfiguration
    ) throws(H264Error) {
        guard status != 0 else { return }
        let kind: H264Error.Kind = call == "EncodeFrame" ? .encoding : .initialization
        throw H264Error(kind, "openh264 \(call) for \(configuration): \(H264Error.meaning(of: status))")
    }
}

extension UnsafeMutablePointer<ISVCEncoder?> {
    /// openh264's table of encoder functions (a C++ object seen from C: a pointer to its vtable).
    fileprivate var vtable: ISVCEncoderVtbl { pointee!.pointee }
}
