/// The answers a camera gives, so the socket layer never spells a header itself.
extension RTSPResponse {
    /// OPTIONS: the served methods in `Public`.
    public static func options(cseq: String?, session: RTSPSessionHeader? = nil) -> RTSPResponse {
        RTSPResponse(status: .ok, cseq: cseq, headers: [("Public", RTSPMethod.publicHeaderValue)], session: session)
    }

    /// DESCRIBE: the SDP, with the `Content-Base` clients resolve relative URLs against.
    public static func describe(cseq: String?, contentBase: String, sdp: String) -> RTSPResponse {
        RTSPResponse(
            status: .ok, cseq: cseq, headers: [("Content-Type", "application/sdp"), ("Content-Base", contentBase)],
            body: Array(sdp.utf8))
    }

    /// SETUP: the transport the server chose (`RTSPTransportChoice.headerValue`) and the session.
    public static func setup(cseq: String?, transport: String, session: RTSPSessionHeader) -> RTSPResponse {
        RTSPResponse(status: .ok, cseq: cseq, headers: [("Transport", transport)], session: session)
    }

    /// PLAY: where each track's packets start, and the live range (Axis writes `npt=now-`).
    public static func play(cseq: String?, rtpInfo: [RTPInfoEntry], session: RTSPSessionHeader) -> RTSPResponse {
        var headers: RTSPHeaders = []
        if !rtpInfo.isEmpty { headers.add("RTP-Info", rtpInfo.map(\.value).joined(separator: ",")) }
        headers.add("Range", "npt=now-")
        return RTSPResponse(status: .ok, cseq: cseq, headers: headers, session: session)
    }

    /// PAUSE, GET_PARAMETER and SET_PARAMETER keep-alives: 200 and nothing else.
    public static func ok(cseq: String?, session: RTSPSessionHeader? = nil) -> RTSPResponse {
        RTSPResponse(status: .ok, cseq: cseq, session: session)
    }

    /// TEARDOWN: gst-rtsp-server (so Axis) closes the connection after it and says so.
    public static func teardown(cseq: String?, session: RTSPSessionHeader?) -> RTSPResponse {
        RTSPResponse(status: .ok, cseq: cseq, session: session, closesConnection: true)
    }

    /// Any refusal: the status and `CSeq`, no session (gst-rtsp-server drops it from errors).
    public static func error(_ status: RTSPStatus, cseq: String?) -> RTSPResponse {
        RTSPResponse(status: status, cseq: cseq)
    }

    /// 401 with the profile's challenges (`Digest …`, `Basic …`), one `WWW-Authenticate` each, in order.
    public static func unauthorized(cseq: String?, challenges: [String]) -> RTSPResponse {
        RTSPResponse(
            status: .unauthorized, cseq: cseq,
            headers: RTSPHeaders(challenges.map { RTSPHeaderField("WWW-Authenticate", $0) }))
    }

    /// 405 for ANNOUNCE and RECORD, with the `Allow` list RFC 2326 requires on it.
    public static func methodNotAllowed(cseq: String?) -> RTSPResponse {
        RTSPResponse(status: .methodNotAllowed, cseq: cseq, headers: [("Allow", RTSPMethod.publicHeaderValue)])
    }

    /// 551 for a `Require` naming options this server lacks, listed in `Unsupported`.
    public static func optionNotSupported(cseq: String?, options: [String]) -> RTSPResponse {
        RTSPResponse(
            status: .optionNotSupported, cseq: cseq, headers: [("Unsupported", options.joined(separator: ", "))])
    }
}

extension RTSPReadError {
    /// The answer to bytes that are not a request, `CSeq` echoed when it was found; the
    /// connection closes after it (framing is lost).
    public var response: RTSPResponse { .error(status, cseq: cseq) }
}

/// One track in a PLAY answer's `RTP-Info`: the first packet the client will get from it.
public struct RTPInfoEntry: Hashable, Sendable {
    /// The track's control URL, as in the SDP.
    public let url: String
    public let sequence: UInt16
    public let rtpTime: UInt32

    public init(url: String, sequence: UInt16, rtpTime: UInt32) {
        self.url = url
        self.sequence = sequence
        self.rtpTime = rtpTime
    }

    public var value: String { "url=\(url);seq=\(sequence);rtptime=\(rtpTime)" }
}
