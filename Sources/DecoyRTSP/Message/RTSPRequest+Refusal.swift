extension RTSPRequest {
    /// The answer that refuses this request before any camera, credential or session is looked
    /// at, or nil when it may go on.
    ///
    /// - no `CSeq`, or one that is not a number: 400 (RFC 2326 requires it on every request, and
    ///   without it a client cannot match the answer);
    /// - a method this server does not know (`REDIRECT`, extensions): 501;
    /// - `ANNOUNCE` and `RECORD` (publishing to a camera): 405 with `Allow`;
    /// - a `Require` or `Proxy-Require` header: 551 listing the options, since this server
    ///   implements none (as gst-rtsp-server does without a configured requirement).
    public var refusal: RTSPResponse? {
        guard let cseq, (1...9).contains(cseq.count), cseq.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return .error(.badRequest, cseq: cseq)
        }
        switch method {
        case .other: return .error(.notImplemented, cseq: cseq)
        case .announce, .record: return .methodNotAllowed(cseq: cseq)
        default: break
        }
        let required = (headers.values("Require") + headers.values("Proxy-Require"))
            .flatMap { $0.split(separator: ",") }
            .map { String($0.trimmingASCIIWhitespace()) }
            .filter { !$0.isEmpty }
        return required.isEmpty ? nil : .optionNotSupported(cseq: cseq, options: required)
    }
}
