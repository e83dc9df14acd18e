/// What an SPS says about the picture: profile, constraints, level and the cropped picture size.
///
/// Read back from the encoder's own SPS, so what SDP announces (`profile-level-id`) and what tests
/// check (the size a decoder will show) come from the bytes on the wire, not from the configuration
/// that was meant to produce them. Reads the syntax of ITU-T H.264 7.3.2.1.1 up to the cropping
/// window; an SPS with scaling matrices (High profiles only) is refused.
public struct H264SequenceParameterSet: Hashable, Sendable {
    /// `profile_idc`: 66 Baseline, 77 Main, 100 High.
    public let profileIDC: UInt8
    /// The byte of `constraint_set0_flag`...`constraint_set5_flag` and the reserved bits, as sent.
    public let constraintFlags: UInt8
    /// `level_idc`: ten times the level (30 is level 3).
    public let levelIDC: UInt8
    /// The picture size after the cropping window, what a decoder shows.
    public let size: PixelSize

    /// Constrained Baseline: Baseline with `constraint_set1_flag` (decodable by every Main decoder too).
    public var isConstrainedBaseline: Bool { profileIDC == 66 && constraintFlags & 0x40 != 0 }

    /// The three bytes SDP's `profile-level-id` names, in hex (RFC 6184 8.1): `42c01e` for
    /// Constrained Baseline level 3.0.
    public var profileLevelID: String {
        [profileIDC, constraintFlags, levelIDC].map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// Reads an SPS NAL unit (its header byte first, no start code); nil when it is not one or is
    /// cut short or uses syntax this reader leaves out.
    public init?(_ nalUnit: some Collection<UInt8>) {
        guard H264Bitstream.nalType(nalUnit) == .sequenceParameterSet, nalUnit.count >= 4 else { return nil }
        var reader = RBSPReader(Array(nalUnit.dropFirst()))
        guard let fields = try? Self.read(&reader) else { return nil }
        self = fields
    }

    private init(profileIDC: UInt8, constraintFlags: UInt8, levelIDC: UInt8, size: PixelSize) {
        self.profileIDC = profileIDC
        self.constraintFlags = constraintFlags
        self.levelIDC = levelIDC
        self.size = size
    }

    /// Profiles whose SPS carries chroma format, bit depths and scaling matrices.
    private static let highProfiles: Set<UInt8> = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    private static func read(_ reader: inout RBSPReader) throws(RBSPReader.Short) -> H264SequenceParameterSet {
        let profile = UInt8(try reader.bits(8))
        let constraints = UInt8(try reader.bits(8))
        let level = UInt8(try reader.bits(8))
        _ = try reader.unsignedGolomb()  // seq_parameter_set_id
        var chromaFormat = 1
        if highProfiles.contains(profile) {
            chromaFormat = try reader.unsignedGolomb()
            if chromaFormat == 3 { _ = try reader.bits(1) }  // separate_colour_plane_flag
            _ = try reader.unsignedGolomb()  // bit_depth_luma_minus8
            _ = try reader.unsignedGolomb()  // bit_depth_chroma_minus8
            _ = try reader.bits(1)  // qpprime_y_zero_transform_bypass_flag
            guard try reader.bits(1) == 0 else { throw RBSPReader.Short() }  // scaling matrices: not read
        }
        _ = try reader.unsignedGolomb()  // log2_max_frame_num_minus4
        switch try reader.unsignedGolomb() {  // pic_order_cnt_type
        case 0: _ = try reader.unsignedGolomb()  // log2_max_pic_order_cnt_lsb_minus4
        case 1:
            _ = try reader.bits(1)  // delta_pic_order_always_zero_flag
            _ = try reader.unsignedGolomb()  // offset_for_non_ref_pic (signed; only skipped)
            _ = try reader.unsignedGolomb()  // offset_for_top_to_bottom_field
            let cycle = try reader.unsignedGolomb()  // num_ref_frames_in_pic_order_cnt_cycle
            for _ in 0..<cycle { _ = try reader.unsignedGolomb() }
        default: break
        }
        _ = try reader.unsignedGolomb()  // max_num_ref_frames
        _ = try reader.bits(1)  // gaps_in_frame_num_value_allowed_flag
        let widthInMacroblocks = try reader.unsignedGolomb() + 1
        let heightInMapUnits = try reader.unsignedGolomb() + 1
        let frameMacroblocksOnly = try reader.bits(1)
        if frameMacroblocksOnly == 0 { _ = try reader.bits(1) }  // mb_adaptive_frame_field_flag
        _ = try reader.bits(1)  // direct_8x8_inference_flag
        var crop = (left: 0, right: 0, top: 0, bottom: 0)
        if try reader.bits(1) == 1 {
            crop = (
                try reader.unsignedGolomb(), try reader.unsignedGolomb(), try reader.unsignedGolomb(),
                try reader.unsignedGolomb()
            )
        }
        // Cropping counts in chroma samples (7.4.2.1.1): two luma pixels per unit across in 4:2:0
        // and 4:2:2, and two rows down in 4:2:0, doubled again for field pictures.
        let cropUnitX = chromaFormat == 1 || chromaFormat == 2 ? 2 : 1
        let cropUnitY = (chromaFormat == 1 ? 2 : 1) * (2 - frameMacroblocksOnly)
        let width = widthInMacroblocks * 16 - cropUnitX * (crop.left + crop.right)
        let height = (2 - frameMacroblocksOnly) * heightInMapUnits * 16 - cropUnitY * (crop.top + crop.bottom)
        guard width > 0, height > 0 else { throw RBSPReader.Short() }
        return H264SequenceParameterSet(
            profileIDC: profile, constraintFlags: constraints, levelIDC: level,
            size: PixelSize(width: width, height: height))
    }
}

/// Reads bits and Exp-Golomb codes from a NAL unit's payload, skipping the emulation prevention
/// bytes (`00 00 03` stands for `00 00`).
private struct RBSPReader {
    struct Short: Error {}

    private let bytes: [UInt8]
    private var bitPosition = 0

    init(_ payload: [UInt8]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payload.count)
        var zeros = 0
        for byte in payload {
            if zeros >= 2, byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// The next `count` bits (at most 32), most significant first.
    mutating func bits(_ count: Int) throws(Short) -> Int {
        guard bitPosition + count <= bytes.count * 8 else { throw Short() }
        var value = 0
        for _ in 0..<count {
            let bit = (bytes[bitPosition >> 3] >> (7 - UInt8(bitPosition & 7))) & 1
            value = value << 1 | Int(bit)
            bitPosition += 1
        }
        return value
    }

    /// `ue(v)`: leading zeros, a one, then as many bits.
    mutating func unsignedGolomb() throws(Short) -> Int {
        var zeros = 0
        while try bits(1) == 0 {
            zeros += 1
            guard zeros < 32 else { throw Short() }
        }
        let suffix = try bits(zeros)
        return (1 << zeros) - 1 + suffix
    }
}
