import COpenH264

/// One picture as openh264 left it in its own buffer: its NAL units without start codes, in
/// decoding order (SPS and PPS first on an IDR). Valid only inside `H264Encoder.encode`'s closure.
public struct H264EncodedPicture {
    private let output: UnsafePointer<SFrameBSInfo>

    init(_ output: UnsafePointer<SFrameBSInfo>) { self.output = output }

    var frameType: EVideoFrameType { output.pointee.eFrameType }

    /// Whether the picture is an IDR: a decoder can start here.
    public var isKeyframe: Bool { frameType == videoFrameTypeIDR }

    /// How many NAL units the picture has (0 when openh264 skipped it).
    public var nalUnitCount: Int {
        layers.reduce(0) { $0 + Int($1.iNalCount) }
    }

    /// The bytes of all NAL units without their start codes: what one buffer for them must hold.
    public var payloadByteCount: Int {
        var total = 0
        forEachNALUnit { total += $0.count }
        return total
    }

    /// Calls `body` with each NAL unit, start code stripped, in order.
    public func forEachNALUnit(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        for layer in layers {
            var bytes = UnsafeRawPointer(layer.pBsBuf!)
            for index in 0..<Int(layer.iNalCount) {
                let length = Int(layer.pNalLengthInByte[index])
                let unit = UnsafeRawBufferPointer(start: bytes, count: length)
                try body(UnsafeRawBufferPointer(rebasing: unit[H264Bitstream.startCodeLength(unit)...]))
                bytes += length
            }
        }
    }

    /// The layers openh264 filled: SPS and PPS in one, the picture's slices in the next.
    private var layers: UnsafeBufferPointer<SLayerBSInfo> {
        let count = Int(output.pointee.iLayerNum)
        // `sLayerInfo` is a C array (a homogeneous tuple in Swift): its elements are contiguous.
        let first = UnsafeRawPointer(output) + MemoryLayout<SFrameBSInfo>.offset(of: \.sLayerInfo)!
        return UnsafeBufferPointer(start: first.assumingMemoryBound(to: SLayerBSInfo.self), count: count)
    }

    /// The SPS and PPS among the NAL units (what `EncodeParameterSets` produces).
    func parameterSets(_ configuration: H264EncoderConfiguration) throws(H264Error) -> H264ParameterSets {
        var sps: [UInt8]?
        var pps: [UInt8]?
        forEachNALUnit { unit in
            switch H264Bitstream.nalType(unit) {
            case .sequenceParameterSet: sps = [UInt8](unit)
            case .pictureParameterSet: pps = [UInt8](unit)
            default: break
            }
        }
        guard let sps, let pps, let sets = H264ParameterSets(sps: sps, pps: pps) else {
            throw H264Error(.initialization, "openh264 gave no readable SPS and PPS for \(configuration)")
        }
        return sets
    }
}

/// One encoded picture, copied out of the encoder (`H264Encoder.encode(_:timeMilliseconds:)`).
public struct H264AccessUnit: Sendable, Equatable {
    /// The NAL units without start codes, in decoding order (SPS, PPS, then the IDR slice on a keyframe).
    public let nalUnits: [[UInt8]]
    public let isKeyframe: Bool
    public let timeMilliseconds: Int64
    /// The stream's SPS and PPS (also the first two NAL units when `isKeyframe`).
    public let parameterSets: H264ParameterSets

    /// The NAL units' types, in order.
    public var nalTypes: [H264NALType] { nalUnits.compactMap { H264Bitstream.nalType($0) } }

    /// The access unit in Annex-B form, as an `.h264` file holds it.
    public var annexB: [UInt8] { H264Bitstream.annexB(nalUnits) }
}
