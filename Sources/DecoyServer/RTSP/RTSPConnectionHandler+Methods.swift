import DecoyCore
import DecoyFaults
import DecoyMedia
import DecoyRTSP
import DecoyTinyCam
import NIOCore

/// What each method does (RFC 2326 section 10), on the connection's loop.
extension RTSPConnectionHandler {
    /// Answers `request`: `done` runs on the connection's loop with the reply (at once, or once
    /// the API, the encoder or a UDP bind had its say).
    func respond(
        to request: RTSPRequest, apiRequest: TinyCamRequest, faults: RTSPExchangeFaults?,
        context: ChannelHandlerContext, done: @escaping (RTSPReply) -> Void
    ) {
        let cseq = request.cseq
        func answer(_ response: RTSPResponse) { done(RTSPReply(response)) }
        if let refusal = request.refusal { return answer(refusal) }
        switch faults?.plan.replacement {
        case .status(let code, _):
            return answer(.error(RTSPStatus(code: code, reason: HTTPStatus(code: code).reason), cseq: cseq))
        case .invalidCredentials:
            return answer(.unauthorized(cseq: cseq, challenges: environment.services.rtspChallenges(stale: false)))
        case nil: break
        }
        let now = environment.services.clock.nowMilliseconds()
        var playback: RTSPPlayback?
        if let id = request.sessionID {
            guard let found = sessions[id] else { return answer(.error(.sessionNotFound, cseq: cseq)) }
            playback = found
        }
        switch request.method {
        case .options:
            playback?.session.touch(atMilliseconds: now)
            return answer(.options(cseq: cseq, session: playback?.session.header))
        case .getParameter, .setParameter:
            guard let playback else {
                let refusal = RTSPSession.refusalWithoutSession(request.method, body: request.body)
                return answer(refusal.map { .error($0, cseq: cseq) } ?? .ok(cseq: cseq))
            }
            let status = playback.session.keepAlive(request.method, body: request.body, atMilliseconds: now)
            return answer(
                status == .ok ? .ok(cseq: cseq, session: playback.session.header) : .error(status, cseq: cseq))
        case .describe, .setup, .play, .pause, .teardown:
            guard let target = controlTarget(request, context: context) else {
                return answer(.error(.badRequest, cseq: cseq))
            }
            switch request.method {
            case .describe:
                return describe(request, apiRequest: apiRequest, target: target, context: context, done: done)
            case .setup:
                return setup(
                    request, apiRequest: apiRequest, target: target, into: playback, faults: faults, context: context,
                    done: done)
            default: break
            }
            guard let playback else {
                return answer(
                    .error(RTSPSession.refusalWithoutSession(request.method, body: []) ?? .sessionNotFound, cseq: cseq))
            }
            return done(control(request, target: target, playback: playback, faults: faults, now: now))
        default:
            return answer(.error(.notImplemented, cseq: cseq))
        }
    }

    /// What the request URL controls; nil for a target that is no RTSP URL (`*` outside OPTIONS).
    private func controlTarget(_ request: RTSPRequest, context: ChannelHandlerContext) -> RTSPControlTarget? {
        guard let url = RTSPURL(request.target) else { return nil }
        let local = context.channel.localAddress
        let authority = "\(local?.ipAddress ?? "127.0.0.1"):\(local?.port ?? 554)"
        return RTSPControlTarget(url: url, defaultAuthority: authority)
    }

    /// Asks the tinyCam API whether the request may have its media (credentials, access rules,
    /// parameters, the camera's state): the same answers `video.cgi` gives, as RTSP statuses.
    func authorize(
        _ apiRequest: TinyCamRequest, cseq: String?, loop: any EventLoop,
        then done: @escaping (MediaAuthorization) -> Void
    ) {
        let responder = environment.responder
        loop.makeFutureWithTask { await responder.handle(apiRequest) }.assumeIsolated().whenComplete { result in
            guard let response = try? result.get() else {
                return done(.refused(.error(.internalServerError, cseq: cseq)))
            }
            if case .rtspMedia(let media) = response.body, response.status.code == 200 {
                return done(.granted(media, user: response.user))
            }
            if response.status.code == 401 {
                let stale = response.headers.contains {
                    $0.name.lowercased() == "www-authenticate" && $0.value.contains("stale=true")
                }
                let challenges = self.environment.services.rtspChallenges(stale: stale)
                return done(.refused(.unauthorized(cseq: cseq, challenges: challenges)))
            }
            let code = response.status.code
            let status = RTSPStatus(code: (400...599).contains(code) ? code : 500, reason: response.status.reason)
            done(.refused(.error(status, cseq: cseq)))
        }
    }

    private func describe(
        _ request: RTSPRequest, apiRequest: TinyCamRequest, target: RTSPControlTarget, context: ChannelHandlerContext,
        done: @escaping (RTSPReply) -> Void
    ) {
        let loop = context.eventLoop
        let cseq = request.cseq
        let origin = context.channel.localAddress?.ipAddress ?? "127.0.0.1"
        let sessionID = UInt64.random(in: 1_000_000_000...9_999_999_999_999, using: &random)
        authorize(apiRequest, cseq: cseq, loop: loop) { result in
            switch result {
            case .refused(let refusal): done(RTSPReply(refusal))
            case .granted(let media, let user):
                let presentation = target.presentation
                Self.videoDescription(media, control: presentation.trackControl(0)).hop(to: loop).assumeIsolated()
                    .whenComplete { described in
                        guard let video = try? described.get() else {
                            // openh264 cannot encode this variant (an odd size): no stream to describe.
                            return done(RTSPReply(.error(.serviceUnavailable, cseq: cseq), user: user))
                        }
                        let tracks = media.tracks.enumerated().map { index, kind -> SDPMedia in
                            let control = presentation.trackControl(index)
                            switch kind {
                            case .video:
                                var picture = video
                                picture.control = control
                                return picture
                            case .audio: return .pcmu(control: control)
                            case .metadata: return .onvifMetadata(control: control)
                            }
                        }
                        let sdp = SDPSession(
                            originSessionID: sessionID, originAddress: origin, control: presentation.aggregateControl,
                            media: tracks)
                        done(
                            RTSPReply(
                                .describe(cseq: cseq, contentBase: presentation.contentBase, sdp: sdp.text), user: user)
                        )
                    }
            }
        }
    }

    /// The video track's SDP: H.264 with the variant's parameter sets (known before any frame), or
    /// RTP/JPEG at the variant's size.
    private static func videoDescription(_ media: RTSPMediaRequest, control: String) -> EventLoopFuture<SDPMedia> {
        let hub = media.camera.hub
        guard media.video else {
            // No picture track: nothing to ask the encoder (the value is never used).
            return hub.mediaLoop.makeSucceededFuture(SDPMedia.pcmu(control: control))
        }
        let rate = Double(min(media.framesPerSecond ?? hub.framesPerSecond, hub.framesPerSecond))
        switch media.codec {
        case .h264:
            return hub.parameterSets(media.h264Variant).flatMapThrowing { sets in
                guard
                    let described = DecoyRTSP.H264ParameterSets(
                        sps: sets.sequenceParameterSet, pps: sets.pictureParameterSet)
                else { throw RTSPStatus.internalServerError }
                return SDPMedia.h264(described, control: control, framerate: rate)
            }
        case .jpeg:
            return hub.mediaLoop.makeSucceededFuture(
                SDPMedia.jpeg(
                    width: media.variant.size.width, height: media.variant.size.height, control: control,
                    framerate: rate))
        }
    }
}

/// The API's verdict on a DESCRIBE or SETUP: the media it may have, or the answer that refuses it.
enum MediaAuthorization {
    case granted(RTSPMediaRequest, user: String?)
    case refused(RTSPResponse)
}
