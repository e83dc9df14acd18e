import DecoyCore
import DecoyFaults
import DecoyRTSP
import DecoyTinyCam
import NIOCore

/// One session of an RTSP connection: the session value (state, transports, expiry), what it
/// plays, its track's sender, and while playing its subscription to the camera's hub. Lives on
/// the connection's event loop.
final class RTSPPlayback {
    /// How often a playing session sends RTCP sender reports (clock time), as gst-rtsp-server does
    /// about every five seconds; receivers use them to map RTP time to wall time.
    static let reportIntervalMilliseconds: Int64 = 5000

    /// Tracks the presentation has (picture, sound, metadata, as asked).
    var trackCount: Int { media.tracks.count }

    var session: RTSPSession
    let media: RTSPMediaRequest
    let user: String?
    /// The media URL the session plays (its aggregate control URL, for the journal).
    let target: String
    let log: ConnectionLog
    /// Where sessions, frames and bytes are counted for `/metrics`.
    var counters: RTSPStreamCounters?
    private var bytesCounted: Int64 = 0
    private let loop: any EventLoop
    private let clock: any DecoyClock
    var video: RTPVideoSender?
    /// The sound track's sender (`audio=1` on a camera with sound), once set up.
    var audio: RTPAudioSender?
    private var audioSubscription: AudioSubscription?
    /// The metadata track's sender (`event=on`), its feed while playing, and its place among the
    /// camera's event streams (at most `AxisEventService.maximumStreams`).
    var metadata: RTPMetadataSender?
    private var eventFeed: AxisEventFeed?
    var eventLease: StreamLease?
    /// Each UDP track's server ports, by track.
    var udpPorts: [Int: UDPPortPair] = [:]
    private var tap: RTSPHubTap?
    private var reportTimer: ClockTimer?
    private var expiryTimer: ClockTimer?
    /// When PLAY first started the packets (the stream session's start).
    private var playedAt: JournalStamp?
    private var playStarted: NIODeadline?
    private var ended = false
    /// Ends the session on the connection's behalf (expiry, a stall, an offline camera).
    var onEnd: ((StreamSession.Ending) -> Void)?
    /// The faults of the PLAY that started it (for the journal, `closeAfterFrames`, `stall`, and
    /// the media windows asked again as it plays); nil: none.
    var playFaults: RTSPExchangeFaults?
    /// The `drop` action that ended the session (for its journal entry).
    var droppedBy: String?
    /// `sessionExpiry`: since when keep-alives are ignored (the session then ends at its timeout).
    var keepAlivesIgnoredSince: Int64?
    /// How often a faulted session asks the fault layer for its media windows again.
    static let windowRefreshMilliseconds: Int64 = 1000
    private var windowTimer: ClockTimer?

    init(
        session: RTSPSession, media: RTSPMediaRequest, user: String?, target: String, log: ConnectionLog,
        loop: any EventLoop, clock: any DecoyClock
    ) {
        self.session = session
        self.media = media
        self.user = user
        self.target = target
        self.log = log
        self.loop = loop
        self.clock = clock
    }

    /// Interleaved channels on which the client's RTCP for this session arrives.
    var rtcpChannels: Set<UInt8> {
        Set(
            session.tracks.values.compactMap { choice in
                if case .tcp(_, let rtcp) = choice.delivery { return rtcp }
                return nil
            })
    }

    var isPlaying: Bool { tap != nil }

    /// PLAY: subscribes to the camera (H.264 variant or JPEG variant) and starts the reports.
    func startPlaying() {
        guard !ended, tap == nil, video != nil || audio != nil || metadata != nil else { return }
        if playedAt == nil {
            playedAt = log.stamp()
            playStarted = .now()
            counters?.started(camera: media.camera.config.id)
        }
        let tap = RTSPHubTap(self, loop: loop)
        self.tap = tap
        if video != nil {
            switch media.codec {
            case .h264: media.camera.hub.subscribe(tap as any H264Subscriber, variant: media.h264Variant)
            case .jpeg: media.camera.hub.subscribe(tap as any FrameSubscriber, variant: media.variant)
            }
        }
        scheduleReport()
        startSound()
        startEvents()
        if let playFaults, video?.faults == nil {
            // Even with no window now: a timed step may open one while the session plays.
            let windows = playFaults.mediaWindows(at: log.now()) ?? []
            video?.faults = RTPFaults(windows: windows, seed: playFaults.seed(connection: log.connection))
            scheduleWindowRefresh()
        }
    }

    private func scheduleWindowRefresh() {
        let bound = NIOLoopBound(self, eventLoop: loop)
        windowTimer = clock.schedule(afterMilliseconds: Self.windowRefreshMilliseconds, on: loop) {
            let playback = bound.value
            guard playback.isPlaying, let faults = playback.video?.faults, let playFaults = playback.playFaults
            else { return }
            faults.update(playFaults.mediaWindows(at: playback.log.now()) ?? [])
            playback.scheduleWindowRefresh()
        }
    }

    /// PAUSE, TEARDOWN or the end: no more frames.
    func stopPlaying() {
        guard let tap else { return }
        self.tap = nil
        if video != nil {
            switch media.codec {
            case .h264: media.camera.hub.unsubscribe(tap as any H264Subscriber, variant: media.h264Variant)
            case .jpeg: media.camera.hub.unsubscribe(tap as any FrameSubscriber, variant: media.variant)
            }
        }
        eventFeed?.cancel()
        eventFeed = nil
        reportTimer?.cancel()
        reportTimer = nil
        if let audioSubscription, let hub = media.camera.audio { hub.unsubscribe(audioSubscription) }
        audioSubscription = nil
        windowTimer?.cancel()
        windowTimer = nil
    }

    /// A UDP session is ended when nothing names it, and no RTCP arrives, for its timeout.
    func watchExpiry() {
        expiryTimer?.cancel()
        let bound = NIOLoopBound(self, eventLoop: loop)
        expiryTimer = clock.schedule(atMilliseconds: expiresAtMilliseconds, on: loop) {
            let playback = bound.value
            if playback.clock.nowMilliseconds() >= playback.expiresAtMilliseconds {
                playback.onEnd?(.timeout)
            } else {
                playback.watchExpiry()
            }
        }
    }

    /// When the session ends unless kept alive; with `sessionExpiry`, whatever the client does.
    var expiresAtMilliseconds: Int64 {
        guard let since = keepAlivesIgnoredSince else { return session.expiresAtMilliseconds }
        return since + Int64(session.timeoutSeconds + RTSPSession.graceSeconds) * 1000
    }

    /// Ends the session for good: stops the frames, closes UDP ports, journals what played.
    func end(_ ending: StreamSession.Ending) {
        guard !ended else { return }
        ended = true
        stopPlaying()
        expiryTimer?.cancel()
        for ports in udpPorts.values { ports.close() }
        eventLease?.release()
        if playedAt != nil {
            countBytes(frames: 0)
            counters?.ended(camera: media.camera.config.id)
        }
        journal(ending)
    }

    func deliver(_ frame: H264Frame) {
        guard let video, isPlaying else { return }
        handle(video.send(frame, runTime: video.faults == nil ? 0 : log.now()))
    }

    func deliver(_ frame: EncodedFrame) {
        guard let video, isPlaying else { return }
        handle(video.send(frame, runTime: video.faults == nil ? 0 : log.now()))
    }

    func cameraWentOffline() { onEnd?(.cameraOffline) }

    /// Starts the metadata track's feed: every watched property as `Initialized`, then the changes
    /// (coalesced while the connection is busy). No empty `MetadataStream` document goes first: the
    /// `axis` library's parser fails on one (its namespace attribute makes it look like an event
    /// without a topic).
    private func startEvents() {
        guard metadata != nil, eventFeed == nil, let filter = media.events, let service = media.eventService else {
            return
        }
        let feed = AxisEventFeed(
            subscription: AxisEventSubscription(catalog: service.catalog, filter: filter), clock: service.clock,
            on: loop, faults: service.faults
        ) { [weak self] notifications in
            guard let self, let metadata = self.metadata, metadata.isWritable else { return false }
            for notification in notifications {
                metadata.send(
                    AxisMetadataXML.document(notification, producer: service.producer),
                    atMilliseconds: notification.timeMilliseconds)
            }
            self.countBytes(frames: 0)
            return true
        }
        eventFeed = feed
        feed.start()
    }

    /// Subscribes the sound track to the camera's audio hub; blocks are sent as they arrive.
    private func startSound() {
        guard audio != nil, audioSubscription == nil, let hub = media.camera.audio else { return }
        let bound = NIOLoopBound(self, eventLoop: loop)
        audioSubscription = hub.subscribe(
            onAvailable: { bound.eventLoop.execute { bound.value.drainSound() } },
            onClosed: { bound.eventLoop.execute { bound.value.onEnd?(.timeout) } })
    }

    /// Sends every queued block while the connection takes them (the rest waits for `drainSound`).
    func drainSound() {
        guard isPlaying, let audio, let audioSubscription, audio.isWritable else { return }
        for block in audioSubscription.takeAll() { audio.send(block) }
    }

    /// Counts what was sent since the last count (video and sound bytes).
    private func countBytes(frames: Int) {
        let bytes = (video?.bytesSent ?? 0) + (audio?.bytesSent ?? 0) + (metadata?.bytesSent ?? 0)
        counters?.sent(camera: media.camera.config.id, frames: frames, bytes: bytes - bytesCounted)
        bytesCounted = bytes
    }

    private func handle(_ verdict: RTPVideoSender.Verdict) {
        switch verdict {
        case .sent: countBytes(frames: 1)
        case .skipped, .dropped(needsKeyframe: false): break
        case .dropped(needsKeyframe: true): media.camera.hub.requestKeyframe(media.h264Variant)
        case .stalled: onEnd?(.timeout)
        }
        if let limit = playFaults?.closeAfterFrames, let video, video.framesSent >= limit {
            playFaults?.closeAfterFrames = nil
            onEnd?(.fault)
        }
    }

    private func scheduleReport() {
        let bound = NIOLoopBound(self, eventLoop: loop)
        reportTimer = clock.schedule(afterMilliseconds: Self.reportIntervalMilliseconds, on: loop) {
            let playback = bound.value
            guard playback.isPlaying else { return }
            let now = playback.clock.nowMilliseconds()
            let cname = "decoy@\(playback.media.camera.config.id)"
            if let video = playback.video, video.framesSent > 0 { video.sendReport(atMilliseconds: now, cname: cname) }
            if let audio = playback.audio, audio.blocksSent > 0 { audio.sendReport(atMilliseconds: now, cname: cname) }
            if let metadata = playback.metadata, metadata.documentsSent > 0 {
                metadata.sendReport(atMilliseconds: now, cname: cname)
            }
            playback.scheduleReport()
        }
    }

    private func journal(_ ending: StreamSession.Ending) {
        guard let playedAt, let journal = log.harness?.journal else { return }
        let transport = session.tracks.values.first.map { $0.lowerTransport.rawValue } ?? "tcp"
        let milliseconds = playStarted.map { (NIODeadline.now() - $0).nanoseconds / 1_000_000 } ?? 0
        let variant =
            video == nil ? "events" : media.codec == .h264 ? media.h264Variant.description : media.variant.description
        // A picture's session counts frames; an event-only one the metadata documents it sent.
        journal.record(
            StreamSession(
                startedAt: playedAt, client: log.client, cameraName: media.camera.config.name, variant: variant,
                target: target, framesSent: video?.framesSent ?? metadata?.documentsSent ?? 0,
                firstSequence: video?.firstSequence, lastSequence: video?.lastSequence,
                bytesSent: (video?.bytesSent ?? 0) + (audio?.bytesSent ?? 0) + (metadata?.bytesSent ?? 0),
                durationMilliseconds: milliseconds, fault: faultSummary, ending: ending, wire: .rtsp,
                transport: transport))
    }

    /// The faults the session had: its PLAY's and the media windows that hit it.
    private var faultSummary: String? {
        let all =
            [playFaults?.plan.wire?.label].compactMap { $0 }.filter { !$0.isEmpty } + (video?.faults?.applied ?? [])
            + [droppedBy].compactMap { $0 }
        return all.isEmpty ? nil : all.joined(separator: "; ")
    }
}
