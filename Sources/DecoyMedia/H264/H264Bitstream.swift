/// The H.264 byte-stream format (Annex B) and NAL unit headers: what an encoder writes and what an
/// `.h264` file holds is NAL units, each after a start code (`00 00 01` or `00 00 00 01`); RTP
/// (RFC 6184) and SDP carry the NAL units alone, without start codes.
public enum H264Bitstream {
    /// The 4-byte start code openh264 writes, and `annexB(_:)` too.
    public static let startCode: [UInt8] = [0, 0, 0, 1]

    /// The NAL unit type in the low five bits of a NAL unit's first byte.
    public static func nalType(_ nalUnit: some Collection<UInt8>) -> H264NALType? {
        nalUnit.first.map { H264NALType(rawValue: $0 & 0x1F) }
    }

    /// The start code's length at the start of `bytes` (3 or 4), or 0 when there is none.
    public static func startCodeLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        if bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, bytes[2] == 0, bytes[3] == 1 { return 4 }
        if bytes.count >= 3, bytes[0] == 0, bytes[1] == 0, bytes[2] == 1 { return 3 }
        return 0
    }

    /// The NAL units of an Annex-B byte stream, without their start codes (and without the zero
    /// bytes that may trail a NAL unit before the next start code). Bytes before the first start
    /// code are not a NAL unit and are skipped.
    public static func nalUnits(inAnnexB stream: [UInt8]) -> [ArraySlice<UInt8>] {
        var starts: [(codeStart: Int, payloadStart: Int)] = []
        var index = 0
        while index + 2 < stream.count {
            if stream[index] == 0, stream[index + 1] == 0, stream[index + 2] == 1 {
                starts.append((index, index + 3))
                index += 3
            } else {
                index += 1
            }
        }
        var units: [ArraySlice<UInt8>] = []
        for (position, start) in starts.enumerated() {
            var end = position + 1 < starts.count ? starts[position + 1].codeStart : stream.count
            while end > start.payloadStart, stream[end - 1] == 0 { end -= 1 }
            if end > start.payloadStart { units.append(stream[start.payloadStart..<end]) }
        }
        return units
    }

    /// NAL units as an Annex-B byte stream (a 4-byte start code before each), e.g. for an `.h264` file.
    public static func annexB<Unit: Collection<UInt8>>(_ nalUnits: some Sequence<Unit>) -> [UInt8] {
        var stream: [UInt8] = []
        for unit in nalUnits {
            stream += startCode
            stream += unit
        }
        return stream
    }
}

/// A NAL unit's type (ITU-T H.264 table 7-1); the ones an RTP sender cares about are named.
public struct H264NALType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A slice of a picture that is not an IDR (P slices here).
    public static let nonIDRSlice = H264NALType(rawValue: 1)
    /// A slice of an IDR picture: decoding can start here.
    public static let idrSlice = H264NALType(rawValue: 5)
    public static let sei = H264NALType(rawValue: 6)
    public static let sequenceParameterSet = H264NALType(rawValue: 7)
    public static let pictureParameterSet = H264NALType(rawValue: 8)
    public static let accessUnitDelimiter = H264NALType(rawValue: 9)

    public var description: String {
        switch self {
        case .nonIDRSlice: "non-IDR slice"
        case .idrSlice: "IDR slice"
        case .sei: "SEI"
        case .sequenceParameterSet: "SPS"
        case .pictureParameterSet: "PPS"
        case .accessUnitDelimiter: "AUD"
        default: "NAL type \(rawValue)"
        }
    }
}
