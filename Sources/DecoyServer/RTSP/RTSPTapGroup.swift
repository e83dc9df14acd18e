import DecoyCore
import NIOConcurrencyHelpers
import NIOCore

/// All playing RTSP sessions of one camera stream (an H.264 or a JPEG variant) on one event loop.
///
/// The hub hands each frame to the group once, and the group gives it to every session on the
/// loop: one hop from the media loop per frame and loop, whatever the number of sessions (a hop
/// per session per frame cost more than packetizing). Each session still packetizes for itself
/// (its own SSRC and sequence numbers, its own faults) and counts what it sent; the group reports
/// the sum of one fan-out to the server's counters under one lock.
///
/// Unlike MJPEG's `ViewerGroup`, every frame is handed on, in order: an H.264 picture refers to
/// the ones before it, so only the session itself, seeing its connection busy, may drop one.
final class RTSPTapGroup: H264Subscriber, FrameSubscriber, Sendable {
    /// What the group subscribes to.
    enum Stream: Hashable, Sendable {
        case h264(H264Variant)
        case jpeg(FrameVariant)
    }

    private enum Frame: Sendable {
        case h264(H264Frame)
        case jpeg(EncodedFrame)
    }

    let loop: any EventLoop
    let stream: Stream
    private let hub: FrameHub
    private let camera: Int64
    private let counters: RTSPStreamCounters
    /// Frames from the media loop not yet handed on, and whether a hand-on is scheduled.
    private let incoming = NIOLockedValueBox<(frames: [Frame], scheduled: Bool)>(([], false))
    private let members: NIOLoopBoundBox<[ObjectIdentifier: RTSPPlayback]>
    private let onEmpty: @Sendable (RTSPTapGroup) -> Void

    init(
        loop: any EventLoop, camera: Camera, stream: Stream, counters: RTSPStreamCounters,
        onEmpty: @escaping @Sendable (RTSPTapGroup) -> Void
    ) {
        self.loop = loop
        self.stream = stream
        self.hub = camera.hub
        self.camera = camera.config.id
        self.counters = counters
        self.onEmpty = onEmpty
        self.members = .makeBoxSendingValue([:], eventLoop: loop)
    }

    /// On the loop: the session gets frames from the next one on. The first member subscribes the
    /// group to the hub (joining asks for an IDR); a later one asks for an IDR itself, so it too
    /// has a picture within about a frame.
    func add(_ playback: RTSPPlayback) {
        members.value[ObjectIdentifier(playback)] = playback
        guard members.value.count == 1 else {
            if case .h264(let variant) = stream { hub.requestKeyframe(variant) }
            return
        }
        switch stream {
        case .h264(let variant): hub.subscribe(self as any H264Subscriber, variant: variant)
        case .jpeg(let variant): hub.subscribe(self as any FrameSubscriber, variant: variant)
        }
    }

    /// On the loop: no more frames for the session; the last one leaving unsubscribes the group.
    func remove(_ playback: RTSPPlayback) {
        guard members.value.removeValue(forKey: ObjectIdentifier(playback)) != nil, members.value.isEmpty else {
            return
        }
        switch stream {
        case .h264(let variant): hub.unsubscribe(self as any H264Subscriber, variant: variant)
        case .jpeg(let variant): hub.unsubscribe(self as any FrameSubscriber, variant: variant)
        }
        onEmpty(self)
    }

    /// Called by the hub on its media loop.
    func deliver(_ frame: H264Frame) { enqueue(.h264(frame)) }

    /// Called by the hub on its media loop.
    func deliver(_ frame: EncodedFrame) { enqueue(.jpeg(frame)) }

    /// Called by the hub on its media loop: every session of the group ends.
    func cameraWentOffline() {
        loop.execute {
            for playback in self.members.value.values { playback.cameraWentOffline() }
        }
    }

    private func enqueue(_ frame: Frame) {
        let mustSchedule = incoming.withLockedValue { state -> Bool in
            state.frames.append(frame)
            defer { state.scheduled = true }
            return !state.scheduled
        }
        if mustSchedule { loop.execute { self.handOn() } }
    }

    private func handOn() {
        let frames = incoming.withLockedValue { state -> [Frame] in
            defer { state = ([], false) }
            return state.frames
        }
        var sent = RTSPSentCount()
        for frame in frames {
            // A session may end (and leave) while it takes a frame: go over a copy.
            for playback in members.value.values {
                switch frame {
                case .h264(let frame): sent += playback.deliver(frame)
                case .jpeg(let frame): sent += playback.deliver(frame)
                }
            }
        }
        if sent.frames > 0 || sent.bytes > 0 { counters.sent(camera: camera, frames: sent.frames, bytes: sent.bytes) }
    }
}

/// Finds or makes the `RTSPTapGroup` of (camera, stream) on a session's event loop.
final class RTSPTapDirectory: Sendable {
    private struct Key: Hashable {
        let loop: ObjectIdentifier
        let camera: Int64
        let stream: RTSPTapGroup.Stream
    }

    private let groups = NIOLockedValueBox([Key: RTSPTapGroup]())
    private let counters: RTSPStreamCounters

    init(counters: RTSPStreamCounters) {
        self.counters = counters
    }

    func group(for camera: Camera, stream: RTSPTapGroup.Stream, on loop: any EventLoop) -> RTSPTapGroup {
        let key = Key(loop: ObjectIdentifier(loop), camera: camera.config.id, stream: stream)
        return groups.withLockedValue { groups in
            if let group = groups[key] { return group }
            let group = RTSPTapGroup(loop: loop, camera: camera, stream: stream, counters: counters) {
                [weak self] empty in
                self?.groups.withLockedValue { groups in
                    if groups[key] === empty { groups[key] = nil }
                }
            }
            groups[key] = group
            return group
        }
    }
}
