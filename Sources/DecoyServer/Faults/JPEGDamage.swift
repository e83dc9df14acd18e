/// The JPEG damage of `MediaFault.truncatedJPEG` and `.corruptEntropy` as pure functions on
/// bytes, so what a client receives is documented exactly and tested without a socket.
public enum JPEGDamage {
    /// The length `truncatedJPEG` keeps: the first half (never the EOI of a JPEG over 4 bytes).
    public static func truncatedLength(_ length: Int) -> Int { length / 2 }

    /// Every `corruptionStride`-th byte of the entropy-coded data is flipped.
    public static let corruptionStride = 61
    /// The mask a flipped byte is XORed with.
    public static let corruptionMask: UInt8 = 0x55

    /// `jpeg` with its entropy-coded data damaged: the data starts after the first SOS segment
    /// (`FF DA` and its length) and ends before the last two bytes (the EOI); every
    /// `corruptionStride`-th byte of it, from the first, is XORed with `corruptionMask`, except a
    /// byte that is `FF`, follows `FF`, or would become `FF` — so no marker, stuffing or restart
    /// marker changes and the file still parses as a JPEG. Without an SOS, `jpeg` is returned as is.
    public static func corruptEntropy(_ jpeg: [UInt8]) -> [UInt8] {
        guard let start = entropyStart(jpeg) else { return jpeg }
        var bytes = jpeg
        var index = start
        let end = bytes.count - 2
        while index < end {
            let byte = bytes[index]
            if byte != 0xFF && bytes[index - 1] != 0xFF && byte ^ corruptionMask != 0xFF {
                bytes[index] = byte ^ corruptionMask
            }
            index += corruptionStride
        }
        return bytes
    }

    /// The index of the first entropy-coded byte: just past the first SOS segment's header.
    static func entropyStart(_ jpeg: [UInt8]) -> Int? {
        var index = 2
        while index + 3 < jpeg.count {
            guard jpeg[index] == 0xFF else { return nil }
            let marker = jpeg[index + 1]
            if marker == 0xFF {
                index += 1
                continue
            }
            let length = Int(jpeg[index + 2]) << 8 | Int(jpeg[index + 3])
            if marker == 0xDA { return index + 2 + length < jpeg.count ? index + 2 + length : nil }
            index += 2 + length
        }
        return nil
    }
}
