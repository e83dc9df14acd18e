/// What the reader found next on a connection.
public enum RTSPReadEvent: Hashable, Sendable {
    /// A whole request, body included.
    case request(RTSPRequest)
    /// An interleaved frame between requests: RTCP from a TCP client (a keep-alive), or data a
    /// client sent before PLAY, which the server ignores.
    case interleaved(InterleavedFrame)
    /// The bytes are not RTSP; answer `error.status` and close. Nothing follows it.
    case failed(RTSPReadError)
}
