/// Why a JPEG cannot be sent as RTP/JPEG as it is (the caller re-encodes it, or skips the frame).
public struct RTPJPEGError: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
