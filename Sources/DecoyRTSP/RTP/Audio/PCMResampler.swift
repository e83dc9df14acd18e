/// Brings a camera's sound to the 8 kHz PCMU needs when its audio hub runs at another rate
/// (16000, 22050, 44100 or 48000 Hz), block by block, keeping its place across blocks so the
/// output has no seams.
///
/// Linear interpolation without a low-pass filter: enough for Decoy's test sounds (a tone and
/// one-second beeps well below 4 kHz); content above 4 kHz would alias.
public struct PCMResampler: Sendable {
    public let inputRate: Int
    public let outputRate: Int
    /// The last input sample of the previous block.
    private var previous: Int16 = 0
    /// Where the next output sample lies, relative to the next block's first input sample, in
    /// ticks of 1/(inputRate·outputRate) s: an input sample is `outputRate` ticks, an output
    /// sample `inputRate`. Between -outputRate (just after the previous block's last sample) and 0.
    private var next = 0

    public init(inputRate: Int, outputRate: Int = RTPClock.audioRate) {
        precondition(inputRate > 0 && outputRate > 0, "resampling \(inputRate) Hz to \(outputRate) Hz")
        self.inputRate = inputRate
        self.outputRate = outputRate
    }

    public mutating func resample(_ input: [Int16]) -> [Int16] {
        guard inputRate != outputRate else { return input }
        guard let last = input.last else { return [] }
        var output: [Int16] = []
        output.reserveCapacity(input.count * outputRate / inputRate + 1)
        let end = (input.count - 1) * outputRate
        while next <= end {
            let index = next >= 0 ? next / outputRate : -1
            let fraction = next - index * outputRate
            let from = index < 0 ? previous : input[index]
            if fraction == 0 {
                output.append(from)
            } else {
                let to = Int(input[index + 1])
                output.append(Int16(Int(from) + (to - Int(from)) * fraction / outputRate))
            }
            next += inputRate
        }
        next -= input.count * outputRate
        previous = last
        return output
    }
}
