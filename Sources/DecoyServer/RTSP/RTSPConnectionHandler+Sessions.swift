import DecoyCore
import DecoyRTSP
import DecoyTinyCam
import NIOCore

/// SETUP, PLAY, PAUSE and TEARDOWN: sessions made, started, paused and ended.
extension RTSPConnectionHandler {

    /// SETUP: the first makes the session (after the API authorized its media); a repeat within a
    /// session changes a track's transport while Ready.
    func setup(
        _ request: RTSPRequest, apiRequest: TinyCamRequest, target: RTSPControlTarget, into playback: RTSPPlayback?,
        faults: RTSPExchangeFaults?, context: ChannelHandlerContext, done: @escaping (RTSPReply) -> Void
    ) {
        let loop = context.eventLoop
        let cseq = request.cseq
        let transport = request.headers["Transport"]
        let allowed = faults?.allowedTransports ?? [.tcp, .udp]
        if let playback {
            let now = environment.services.clock.nowMilliseconds()
            switch playback.session.setup(
                target: target, trackCount: playback.trackCount, transportHeader: transport, allowedTransports: allowed,
                atMilliseconds: now)
            {
            case .failure(let status): return done(RTSPReply(.error(status, cseq: cseq)))
            case .success(let track):
                return connect(playback, track: track, cseq: cseq, context: context, isNew: false, done: done)
            }
        }
        authorize(apiRequest, cseq: cseq, loop: loop) { result in
            switch result {
            case .refused(let refusal): done(RTSPReply(refusal))
            case .granted(let media, let user):
                let now = self.environment.services.clock.nowMilliseconds()
                let id = RTSPSessionID.generate(using: &self.random)
                switch RTSPSession.start(
                    id: id, target: target, trackCount: media.tracks.count, transportHeader: transport,
                    allowedTransports: allowed,
                    timeoutSeconds: self.environment.services.config.server.rtspSessionTimeoutSeconds,
                    atMilliseconds: now)
                {
                case .failure(let status): done(RTSPReply(.error(status, cseq: cseq), user: user))
                case .success(let (session, track)):
                    let playback = RTSPPlayback(
                        session: session, media: media, user: user, target: target.presentation.aggregateControl,
                        log: self.log,
                        loop: loop,
                        clock: self.environment.services.clock)
                    playback.counters = self.environment.counters
                    if faults?.ignoresKeepAlives == true { playback.keepAlivesIgnoredSince = now }
                    self.connect(playback, track: track, cseq: cseq, context: context, isNew: true) { reply in
                        var reply = reply
                        reply.user = user
                        done(reply)
                    }
                }
            }
        }
    }

    /// Makes the track's sender on the negotiated transport (binding UDP ports when needed),
    /// registers a new session, and answers with the `Transport` and `Session`.
    private func connect(
        _ playback: RTSPPlayback, track: Int, cseq: String?, context: ChannelHandlerContext, isNew: Bool,
        done: @escaping (RTSPReply) -> Void
    ) {
        let loop = context.eventLoop
        guard let choice = playback.session.tracks[track] else {
            return done(RTSPReply(.error(.unsupportedTransport, cseq: cseq)))
        }
        if playback.media.tracks[track] == .metadata, playback.eventLease == nil {
            // The camera's event streams are bounded, as on the event WebSocket.
            guard let lease = playback.media.eventService?.lease() else {
                if isNew { playback.end(.serverClosed) }
                return done(RTSPReply(.error(.serviceUnavailable, cseq: cseq)))
            }
            playback.eventLease = lease
        }
        let ssrc = UInt32.random(in: 1...UInt32.max, using: &random)
        let output: EventLoopFuture<RTPOutput>
        switch choice.delivery {
        case .tcp(let rtp, let rtcp):
            output = loop.makeSucceededFuture(
                .interleaved(connection: context.channel, rtpChannel: rtp, rtcpChannel: rtcp))
        case .udp(let rtpPort, let rtcpPort):
            guard let remote = context.channel.remoteAddress?.ipAddress,
                let rtp = try? SocketAddress(ipAddress: remote, port: rtpPort),
                let rtcp = try? SocketAddress(ipAddress: remote, port: rtcpPort)
            else { return done(RTSPReply(.error(.unsupportedTransport, cseq: cseq))) }
            let host = context.channel.localAddress?.ipAddress ?? "127.0.0.1"
            let clock = environment.services.clock
            let alive = NIOLoopBound<(ByteBuffer) -> Void>(
                { [weak playback] _ in playback?.session.touch(atMilliseconds: clock.nowMilliseconds()) },
                eventLoop: loop)
            playback.udpPorts.removeValue(forKey: track)?.close()
            output = UDPPortPair.bind(host: host, on: loop, received: alive).map { ports in
                .udp(ports, rtp: rtp, rtcp: rtcp)
            }
        }
        output.assumeIsolated().whenComplete { result in
            guard let output = try? result.get() else {
                self.logger.warning("RTSP SETUP for \(self.log.client): no UDP ports could be bound")
                if isNew { playback.end(.serverClosed) }
                return done(RTSPReply(.error(.serviceUnavailable, cseq: cseq)))
            }
            if case .udp(let ports, _, _) = output { playback.udpPorts[track] = ports }
            self.makeSender(for: playback, track: track, ssrc: ssrc, output: output)
            if isNew { self.register(playback) }
            if case .udp = choice.delivery { playback.watchExpiry() }
            if playback.keepAlivesIgnoredSince != nil { playback.watchExpiry() }
            var serverPorts: (rtp: Int, rtcp: Int)?
            if case .udp(let ports, _, _) = output { serverPorts = ports.ports }
            done(
                RTSPReply(
                    .setup(
                        cseq: cseq, transport: choice.headerValue(ssrc: ssrc, serverPorts: serverPorts),
                        session: playback.session.header)))
        }
    }

    /// The sender of `track` (picture, sound or metadata, as the presentation lists them), with a
    /// random first sequence number and timestamp offset (RFC 3550 wants both unpredictable).
    private func makeSender(for playback: RTSPPlayback, track: Int, ssrc: UInt32, output: RTPOutput) {
        let sequence = UInt16.random(in: 0...UInt16.max, using: &random)
        let offset = UInt32.random(in: 0...UInt32.max, using: &random)
        let kind = playback.media.tracks[track]
        if kind == .audio, let hub = playback.media.camera.audio {
            playback.audio = RTPAudioSender(
                ssrc: ssrc, initialSequence: sequence, output: output,
                rtpClock: RTPClock(rate: RTPClock.audioRate, offset: offset), inputRate: hub.sampleRate)
            return
        }
        if kind == .metadata {
            playback.metadata = RTPMetadataSender(
                ssrc: ssrc, initialSequence: sequence, output: output,
                rtpClock: RTPClock(rate: RTPClock.videoRate, offset: offset))
            return
        }
        let payload: RTPVideoSender.Payload =
            switch playback.media.codec {
            case .h264: .h264(H264Packetizer(ssrc: ssrc, initialSequence: sequence))
            case .jpeg: .jpeg(JPEGPacketizer(ssrc: ssrc, initialSequence: sequence))
            }
        let video = RTPVideoSender(
            payload: payload, output: output, rtpClock: RTPClock(rate: RTPClock.videoRate, offset: offset),
            framesPerSecond: playback.media.framesPerSecond)
        if case .interleaved = output {
            video.isHeldByFaults = { [weak self] in self?.shaper?.isHolding ?? false }
        }
        playback.video = video
    }

    private func register(_ playback: RTSPPlayback) {
        let id = playback.session.id
        sessions[id] = playback
        playback.onEnd = { [weak self, weak playback] ending in
            guard let self, let playback, self.sessions[id] === playback else { return }
            self.sessions[id] = nil
            playback.end(ending)
            // A TCP session's packets share the connection: a session ended by Decoy ends it.
            if ending != .timeout || playback.session.tracks.values.contains(where: { $0.lowerTransport == .tcp }) {
                self.context?.close(promise: nil)
            }
        }
    }

    /// PLAY, PAUSE and TEARDOWN of a session this connection has.
    func control(
        _ request: RTSPRequest, target: RTSPControlTarget, playback: RTSPPlayback, faults: RTSPExchangeFaults?,
        now: Int64
    ) -> RTSPReply {
        let cseq = request.cseq
        switch request.method {
        case .play:
            let status = playback.session.play(target: target, atMilliseconds: now)
            guard status == .ok, playback.video != nil || playback.audio != nil || playback.metadata != nil else {
                return RTSPReply(.error(status == .ok ? .methodNotValidInThisState : status, cseq: cseq))
            }
            let presentation = playback.session.presentation
            let info = playback.media.tracks.enumerated().compactMap { index, kind -> RTPInfoEntry? in
                let start: (UInt16, RTPClock)? =
                    switch kind {
                    case .video: playback.video.map { ($0.nextSequence, $0.rtpClock) }
                    case .audio: playback.audio.map { ($0.nextSequence, $0.rtpClock) }
                    case .metadata: playback.metadata.map { ($0.nextSequence, $0.rtpClock) }
                    }
                return start.map {
                    RTPInfoEntry(
                        url: presentation.trackControl(index), sequence: $0.0,
                        rtpTime: $0.1.timestamp(atMilliseconds: now))
                }
            }
            if let faults { playback.playFaults = faults }
            let stall = faults?.plan.wire?.stallMilliseconds
            return RTSPReply(
                .play(cseq: cseq, rtpInfo: info, session: playback.session.header), user: playback.user,
                afterWrite: {
                    playback.startPlaying()
                    if let stall { self.shaper?.stall(milliseconds: stall) }
                })
        case .pause:
            let status = playback.session.pause(target: target, atMilliseconds: now)
            guard status == .ok else { return RTSPReply(.error(status, cseq: cseq)) }
            playback.stopPlaying()
            return RTSPReply(.ok(cseq: cseq, session: playback.session.header), user: playback.user)
        default:
            let status = playback.session.teardown(target: target, atMilliseconds: now)
            guard status == .ok else { return RTSPReply(.error(status, cseq: cseq)) }
            sessions[playback.session.id] = nil
            playback.end(.clientClosed)
            return RTSPReply(.teardown(cseq: cseq, session: playback.session.header), user: playback.user)
        }
    }
}
