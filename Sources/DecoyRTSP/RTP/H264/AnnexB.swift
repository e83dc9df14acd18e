/// Splits an H.264 Annex B byte stream (what encoders such as openh264 write: NAL units each
/// after a `00 00 01` or `00 00 00 01` start code) into its NAL units.
public enum AnnexB {
    /// The byte ranges of the NAL units in `bytes`, start codes and trailing zero bytes removed,
    /// empty units skipped. Bytes before the first start code are not a NAL unit and are skipped.
    public static func nalUnits(in bytes: some RandomAccessCollection<UInt8>) -> [Range<Int>] {
        let count = bytes.count
        let base = bytes.startIndex
        func at(_ offset: Int) -> UInt8 { bytes[bytes.index(base, offsetBy: offset)] }

        var units: [Range<Int>] = []
        var unitStart: Int?
        var offset = 0
        while offset + 2 < count {
            // A start code is 00 00 01; scan for it two bytes at a time where possible.
            if at(offset + 2) > 1 {
                offset += 3
            } else if at(offset) == 0, at(offset + 1) == 0, at(offset + 2) == 1 {
                if let start = unitStart { append(start..<offset, to: &units, at) }
                offset += 3
                unitStart = offset
            } else {
                offset += 1
            }
        }
        if let start = unitStart { append(start..<count, to: &units, at) }
        return units
    }

    /// Adds `range` without its trailing zero bytes (the next start code's leading zero, or
    /// `trailing_zero_8bits`), unless nothing is left.
    private static func append(_ range: Range<Int>, to units: inout [Range<Int>], _ at: (Int) -> UInt8) {
        var end = range.upperBound
        while end > range.lowerBound, at(end - 1) == 0 { end -= 1 }
        if end > range.lowerBound { units.append(range.lowerBound..<end) }
    }
}
