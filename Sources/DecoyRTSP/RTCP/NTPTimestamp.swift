/// A 64-bit NTP timestamp (RFC 3550 section 4): seconds since 1900 and a 32-bit fraction, made
/// from the one clock's Unix milliseconds so a virtual run writes the same sender reports.
public struct NTPTimestamp: Hashable, Sendable {
    /// Seconds from 1900-01-01 to 1970-01-01.
    static let unixEpochOffset: Int64 = 2_208_988_800

    public let seconds: UInt32
    public let fraction: UInt32

    public init(unixMilliseconds milliseconds: Int64) {
        let unixSeconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let remainder = milliseconds - unixSeconds * 1000
        seconds = UInt32(truncatingIfNeeded: unixSeconds + Self.unixEpochOffset)
        fraction = UInt32((UInt64(remainder) << 32) / 1000)
    }

    /// The middle 32 bits, as receiver reports quote the last sender report (LSR).
    public var middle: UInt32 { seconds << 16 | fraction >> 16 }
}
