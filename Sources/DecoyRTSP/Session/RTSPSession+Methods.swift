/// What each method does to a session, and the status when it may not.
extension RTSPSession {
    /// SETUP of one more track (or again of a set-up one, to change its transport) while Ready.
    ///
    /// - the target must belong to this session's presentation (459, RFC 2326 section 10.4);
    /// - it must name a track, unless the presentation has only one (459: setting up every
    ///   track at once is an aggregate operation RTSP 1.0 has no way to answer);
    /// - the track must exist (404);
    /// - not while Playing (455: RFC 2326 lets a server refuse transport changes then);
    /// - the transport is negotiated with the session's free interleaved channels (461).
    ///
    /// Returns the track index set up.
    public mutating func setup(
        target: RTSPControlTarget, trackCount: Int, transportHeader: String?,
        allowedTransports: Set<RTSPTransportSpec.LowerTransport> = [.tcp, .udp], atMilliseconds now: Int64
    ) -> Result<Int, RTSPStatus> {
        guard phase != .ended else { return .failure(.sessionNotFound) }
        touch(atMilliseconds: now)
        guard presentation.includes(target.presentation) else { return .failure(.aggregateOperationNotAllowed) }
        guard let track = target.track ?? (trackCount == 1 ? 0 : nil) else {
            return .failure(.aggregateOperationNotAllowed)
        }
        guard (0..<trackCount).contains(track) else { return .failure(.notFound) }
        guard phase == .ready else { return .failure(.methodNotValidInThisState) }
        var inUse = channelsInUse
        if case .tcp(let rtp, let rtcp) = tracks[track]?.delivery { inUse.subtract([rtp, rtcp]) }
        switch RTSPTransportChoice.negotiate(transportHeader, allowed: allowedTransports, channelsInUse: inUse) {
        case .failure(let status): return .failure(status)
        case .success(let choice):
            tracks[track] = choice
            return .success(track)
        }
    }

    /// PLAY: Ready or Playing → Playing (a PLAY while playing is accepted, as gst-rtsp-server does).
    public mutating func play(target: RTSPControlTarget, atMilliseconds now: Int64) -> RTSPStatus {
        guard let refusal = refusal(for: target, atMilliseconds: now) else {
            phase = .playing
            return .ok
        }
        return refusal
    }

    /// PAUSE: Playing → Ready; in Ready it is 455 (gst-rtsp-server).
    public mutating func pause(target: RTSPControlTarget, atMilliseconds now: Int64) -> RTSPStatus {
        if let refusal = refusal(for: target, atMilliseconds: now) { return refusal }
        guard phase == .playing else { return .methodNotValidInThisState }
        phase = .ready
        return .ok
    }

    /// TEARDOWN: ends the session from Ready or Playing.
    public mutating func teardown(target: RTSPControlTarget, atMilliseconds now: Int64) -> RTSPStatus {
        if let refusal = refusal(for: target, atMilliseconds: now) { return refusal }
        phase = .ended
        return .ok
    }

    /// OPTIONS, DESCRIBE, GET_PARAMETER and SET_PARAMETER naming the session: keep-alives. A
    /// parameter request with a body asks for something this server does not have: 451.
    public mutating func keepAlive(_ method: RTSPMethod, body: [UInt8], atMilliseconds now: Int64) -> RTSPStatus {
        guard phase != .ended else { return .sessionNotFound }
        touch(atMilliseconds: now)
        if let refusal = Self.refusalWithoutSession(method, body: body) { return refusal }
        return .ok
    }

    /// Why PLAY, PAUSE or TEARDOWN may not act on `target`, or nil. Another presentation's URL
    /// is 404 (gst-rtsp-server finds no media for it in the session); a track URL is 460 unless
    /// it names the session's only track (RTSP 1.0 lets a server control tracks only together,
    /// but an old client that plays its single track's URL means the whole session).
    private mutating func refusal(for target: RTSPControlTarget, atMilliseconds now: Int64) -> RTSPStatus? {
        guard phase != .ended else { return .sessionNotFound }
        touch(atMilliseconds: now)
        guard presentation.includes(target.presentation) else { return .notFound }
        if let track = target.track, !(tracks.count == 1 && tracks[track] != nil) {
            return .onlyAggregateOperationAllowed
        }
        return nil
    }
}
