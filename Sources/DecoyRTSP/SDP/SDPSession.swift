/// The SDP a DESCRIBE answers (RFC 4566), with the session-level lines of an Axis camera, whose
/// firmware is gst-rtsp-server:
///
/// ```
/// v=0
/// o=- 1188340656180883 1 IN IP4 192.168.0.3
/// s=Session streamed with GStreamer
/// i=rtsp-server
/// t=0 0
/// a=tool:GStreamer
/// a=type:broadcast
/// a=range:npt=now-
/// a=control:rtsp://192.168.0.3/axis-media/media.amp?resolution=176x144
/// m=video 0 RTP/AVP 96
/// …
/// ```
///
/// The connection line is per medium (`c=IN IP4 0.0.0.0`), as Axis writes it, rather than once
/// at session level: both are valid SDP, and this is the shape clients were tested against. Lines
/// end with CRLF, like gst's.
public struct SDPSession: Hashable, Sendable {
    /// The `o=` session id: random per DESCRIBE in gst-rtsp-server, injected here.
    public var originSessionID: UInt64
    /// The server's address on the connection (`o=`); IPv6 when it contains a colon.
    public var originAddress: String
    public var sessionName: String
    /// `i=`; nil leaves it out.
    public var information: String?
    /// `a=tool:`; nil leaves it out.
    public var tool: String?
    /// The session-level control URL (`RTSPPresentation.aggregateControl`).
    public var control: String
    public var media: [SDPMedia]

    public init(
        originSessionID: UInt64, originAddress: String, control: String, media: [SDPMedia],
        sessionName: String = "Session streamed with GStreamer", information: String? = "rtsp-server",
        tool: String? = "GStreamer"
    ) {
        self.originSessionID = originSessionID
        self.originAddress = originAddress
        self.sessionName = sessionName
        self.information = information
        self.tool = tool
        self.control = control
        self.media = media
    }

    public var text: String {
        let addressType = originAddress.contains(":") ? "IP6" : "IP4"
        var lines = ["v=0", "o=- \(originSessionID) 1 IN \(addressType) \(originAddress)", "s=\(sessionName)"]
        if let information { lines.append("i=\(information)") }
        lines.append("t=0 0")
        if let tool { lines.append("a=tool:\(tool)") }
        lines += ["a=type:broadcast", "a=range:npt=now-", "a=control:\(control)"]
        lines += media.flatMap(\.lines)
        return lines.map { $0 + "\r\n" }.joined()
    }
}
