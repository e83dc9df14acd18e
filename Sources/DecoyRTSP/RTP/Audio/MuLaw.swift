/// G.711 µ-law (ITU-T G.711, the PCMU of RTP): 16-bit linear PCM to 8-bit logarithmic codes and
/// back, the classic way (bias 132, clip at 32635), so every decoder hears what was meant.
public enum MuLaw {
    private static let bias: Int32 = 0x84
    private static let clip: Int32 = 32635

    public static func encode(_ sample: Int16) -> UInt8 {
        var magnitude = Int32(sample)
        let sign: UInt8 = magnitude < 0 ? 0x80 : 0
        magnitude = min(abs(magnitude), clip) + bias
        // The segment is where the highest set bit lies among bits 7…14.
        var exponent: Int32 = 7
        while exponent > 0, magnitude & (0x80 << exponent) == 0 { exponent -= 1 }
        let mantissa = UInt8(truncatingIfNeeded: (magnitude >> (exponent + 3)) & 0x0F)
        return ~(sign | UInt8(exponent << 4) | mantissa)
    }

    public static func decode(_ code: UInt8) -> Int16 {
        let bits = ~code
        let exponent = Int32(bits >> 4 & 0x07)
        let mantissa = Int32(bits & 0x0F)
        let magnitude = ((mantissa << 3) + bias) << exponent - bias
        return Int16(bits & 0x80 != 0 ? -magnitude : magnitude)
    }
}
