/// SplitMix64 pseudo-random generator.
///
/// Used instead of the system generator because Decoy's pictures must be identical for the same seed on every
/// machine and Swift version; for the same reason `int(in:)` is written here rather than relying on the
/// standard library's `random(in:using:)`, whose algorithm is not guaranteed to stay the same.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose sequence depends only on `seed`.
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value in `range` (modulo bias is irrelevant for picture content).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
