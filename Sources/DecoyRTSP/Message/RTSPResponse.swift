import NIOCore

/// An RTSP answer as a value, written byte for byte the way Axis cameras (gst-rtsp-server) write
/// theirs: status line, `CSeq`, the method's own headers in the given order, `Server`, `Session`,
/// `Connection`, `Date`, then `Content-Length` only when there is a body.
public struct RTSPResponse: Hashable, Sendable {
    public var status: RTSPStatus
    /// Echoed from the request on every answer; nil only when the request had none.
    public var cseq: String?
    /// The method's own headers (`Public`, `Transport`, `RTP-Info`, `WWW-Authenticate`…), in order.
    public var headers: RTSPHeaders
    public var session: RTSPSessionHeader?
    /// Adds `Connection: close`: the server closes the connection once this answer is out.
    public var closesConnection: Bool
    public var body: [UInt8]

    public init(
        status: RTSPStatus, cseq: String?, headers: RTSPHeaders = [], session: RTSPSessionHeader? = nil,
        closesConnection: Bool = false, body: [UInt8] = []
    ) {
        self.status = status
        self.cseq = cseq
        self.headers = headers
        self.session = session
        self.closesConnection = closesConnection
        self.body = body
    }

    /// Writes the answer. `server` is the `Server` value (Axis firmware says `GStreamer RTSP
    /// server`); `date` the `Date` value, an IMF-fixdate of the one clock, passed in so that a
    /// virtual run writes the same bytes every time.
    public func write(to buffer: inout ByteBuffer, server: String, date: String) {
        buffer.writeString("RTSP/1.0 \(status.code) \(status.reason)\r\n")
        if let cseq { buffer.writeString("CSeq: \(cseq)\r\n") }
        for field in headers { buffer.writeString("\(field.name): \(field.value)\r\n") }
        buffer.writeString("Server: \(server)\r\n")
        if let session { buffer.writeString("Session: \(session.value)\r\n") }
        if closesConnection { buffer.writeString("Connection: close\r\n") }
        buffer.writeString("Date: \(date)\r\n")
        if !body.isEmpty { buffer.writeString("Content-Length: \(body.count)\r\n") }
        buffer.writeString("\r\n")
        buffer.writeBytes(body)
    }

    /// The answer's bytes in a new buffer.
    public func encoded(
        server: String, date: String, allocator: ByteBufferAllocator = ByteBufferAllocator()
    )
        -> ByteBuffer
    {
        var buffer = allocator.buffer(capacity: 256 + body.count)
        write(to: &buffer, server: server, date: date)
        return buffer
    }
}

/// `Session: <id>;timeout=<seconds>`, on every answer within a session.
///
/// gst-rtsp-server leaves out `;timeout=` when it is the default 60 seconds, but Axis firmware and
/// most servers write it, and clients (ffmpeg, live555) pace their keep-alives from it, so it is
/// always written.
public struct RTSPSessionHeader: Hashable, Sendable {
    public let id: String
    public let timeoutSeconds: Int

    public init(id: String, timeoutSeconds: Int) {
        self.id = id
        self.timeoutSeconds = timeoutSeconds
    }

    public var value: String { "\(id);timeout=\(timeoutSeconds)" }
}
