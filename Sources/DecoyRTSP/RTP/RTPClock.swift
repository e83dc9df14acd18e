/// RTP timestamps from the one clock: the media clock rate (90 kHz for video, 8 kHz for G.711)
/// counted from the camera clock's milliseconds, plus a random offset (RFC 3550 section 5.1
/// wants the first timestamp unpredictable).
///
/// Every timestamp is a function of the clock, not of when a frame happened to be packetized:
/// a virtual run gives the same timestamps every time, and a frame's timestamp is its capture
/// time, so audio and video stay in step.
public struct RTPClock: Hashable, Sendable {
    public static let videoRate = 90000
    public static let audioRate = 8000

    public let rate: Int
    public let offset: UInt32

    public init(rate: Int, offset: UInt32) {
        precondition(rate > 0 && rate <= 1_000_000, "RTP clock rate \(rate)")
        self.rate = rate
        self.offset = offset
    }

    /// The timestamp of what happened at `milliseconds` (since the Unix epoch, on the one clock).
    /// Wraps modulo 2^32 like every RTP timestamp.
    public func timestamp(atMilliseconds milliseconds: Int64) -> UInt32 {
        let ticks = milliseconds.multipliedReportingOverflow(by: Int64(rate)).partialValue / 1000
        return offset &+ UInt32(truncatingIfNeeded: ticks)
    }

    /// The timestamp of sample `position` of a sound at `sampleRate` (an audio hub block's
    /// position, samples since the epoch). Exact when the rates are equal.
    public func timestamp(samplePosition position: Int64, sampleRate: Int) -> UInt32 {
        let ticks =
            sampleRate == rate
            ? position : position.multipliedReportingOverflow(by: Int64(rate)).partialValue / Int64(sampleRate)
        return offset &+ UInt32(truncatingIfNeeded: ticks)
    }
}
