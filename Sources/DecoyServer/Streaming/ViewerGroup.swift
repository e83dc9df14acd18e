import DecoyCore
import DecoyFaults
import NIOConcurrencyHelpers
import NIOCore

/// All MJPEG viewers of one camera variant on one network event loop.
///
/// The hub hands each new frame to the group once (one hop to the loop per frame, whatever the
/// number of viewers); the group then offers it to each viewer on the loop, where a viewer that is
/// still draining its previous frame simply skips it.
final class ViewerGroup: FrameSubscriber {
    let loop: any EventLoop
    let hub: FrameHub
    let variant: FrameVariant
    let cameraName: String
    /// The camera's frame counters (shared with its groups on other loops and variants).
    let counters: StreamFrameCounters
    private let incoming = NIOLockedValueBox<(frame: EncodedFrame?, scheduled: Bool)>((nil, false))
    private let confined: NIOLoopBoundBox<Members>
    private let onEmpty: @Sendable (ViewerGroup) -> Void

    /// Loop-confined members and the newest frame they were offered.
    final class Members {
        var viewers: [ObjectIdentifier: MJPEGViewer] = [:]
        var latest: EncodedFrame?
    }

    init(
        loop: any EventLoop, camera: Camera, variant: FrameVariant, counters: StreamFrameCounters = .init(),
        onEmpty: @escaping @Sendable (ViewerGroup) -> Void
    ) {
        self.counters = counters
        self.loop = loop
        self.hub = camera.hub
        self.cameraName = camera.config.name
        self.variant = variant
        self.onEmpty = onEmpty
        self.confined = .makeBoxSendingValue(Members(), eventLoop: loop)
    }

    /// The newest frame this group has (on the loop).
    var latest: EncodedFrame? { confined.value.latest }

    /// Called by the hub on its media loop.
    func deliver(_ frame: EncodedFrame) {
        let mustSchedule = incoming.withLockedValue { state -> Bool in
            state.frame = frame
            defer { state.scheduled = true }
            return !state.scheduled
        }
        if mustSchedule { loop.execute { self.fanOut() } }
    }

    /// Called by the hub on its media loop: every stream of the group ends, as with a real camera
    /// that goes down (clients see the connection close and must reconnect).
    func cameraWentOffline() {
        loop.execute {
            for viewer in self.confined.value.viewers.values { viewer.endForOfflineCamera() }
        }
    }

    private func fanOut() {
        let frame = incoming.withLockedValue { state -> EncodedFrame? in
            defer { state = (nil, false) }
            return state.frame
        }
        guard let frame else { return }
        let members = confined.value
        members.latest = frame
        var tally = FrameTally()
        for viewer in members.viewers.values { tally += viewer.offer(frame) }
        counters.add(tally)
    }

    /// Counts what one viewer did outside a fan-out (it drained and took the newest frame).
    func count(_ tally: FrameTally) { counters.add(tally) }

    func add(_ viewer: MJPEGViewer) {
        let members = confined.value
        members.viewers[ObjectIdentifier(viewer)] = viewer
        counters.streamStarted()
        if members.viewers.count == 1 {
            hub.subscribe(self, variant: variant)
        } else if let latest = members.latest {
            counters.add(viewer.offer(latest))
        }
    }

    /// On the loop: puts a cut on the longest-running viewer whose facts `claim` takes (it returns
    /// the fault's label); `reached` gets those facts as its last frame goes out. Whether one was found.
    func cutOne(
        afterFrames: Int, claim: (ExchangeFacts) -> String?, reached: @escaping @Sendable (ExchangeFacts) -> Void
    ) -> Bool {
        for viewer in confined.value.viewers.values.sorted(by: { $0.startedBefore($1) }) {
            guard let facts = viewer.exchange.facts, let label = claim(facts) else { continue }
            viewer.cut(afterFrames: afterFrames, label: label) { reached(facts) }
            return true
        }
        return false
    }

    /// `tally`: what the leaving viewer still owes the counters (a frame it never got).
    func remove(_ viewer: MJPEGViewer, tally: FrameTally = FrameTally()) {
        let members = confined.value
        guard members.viewers.removeValue(forKey: ObjectIdentifier(viewer)) != nil else { return }
        counters.add(tally)
        counters.streamEnded()
        guard members.viewers.isEmpty else { return }
        hub.unsubscribe(self, variant: variant)
        onEmpty(self)
    }
}

/// Finds or creates the `ViewerGroup` for (camera, variant) on a viewer's own event loop.
final class ViewerDirectory: Sendable {
    private struct Key: Hashable {
        let loop: ObjectIdentifier
        let camera: Int64
        let variant: FrameVariant
    }

    private let groups = NIOLockedValueBox([Key: ViewerGroup]())
    /// Per camera id, for as long as the server lives (one entry per camera that was ever watched).
    private let counters = NIOLockedValueBox([Int64: StreamFrameCounters]())

    /// What `camera`'s MJPEG viewers got so far (zeros for a camera nobody watched).
    func counts(forCamera camera: Int64) -> StreamFrameCounts {
        counters.withLockedValue { $0[camera] }?.counts ?? StreamFrameCounts()
    }

    private func counters(forCamera camera: Int64) -> StreamFrameCounters {
        counters.withLockedValue { counters in
            if let existing = counters[camera] { return existing }
            let made = StreamFrameCounters()
            counters[camera] = made
            return made
        }
    }

    /// Puts a cut on one open stream that `claim` takes (cameras in id order, then the
    /// longest-running stream first); whether one was found.
    func cutOne(
        afterFrames: Int, claim: @escaping @Sendable (ExchangeFacts) -> String?,
        reached: @escaping @Sendable (ExchangeFacts) -> Void
    ) async -> Bool {
        let all = groups.withLockedValue { groups in
            groups.sorted {
                ($0.key.camera, $0.value.variant.description) < ($1.key.camera, $1.value.variant.description)
            }
            .map(\.value)
        }
        for group in all {
            let found = try? await group.loop.submit {
                group.cutOne(afterFrames: afterFrames, claim: claim, reached: reached)
            }.get()
            if found == true { return true }
        }
        return false
    }

    func group(for camera: Camera, variant: FrameVariant, on loop: any EventLoop) -> ViewerGroup {
        let key = Key(loop: ObjectIdentifier(loop), camera: camera.config.id, variant: variant)
        let counters = counters(forCamera: camera.config.id)
        return groups.withLockedValue { groups in
            if let group = groups[key] { return group }
            let group = ViewerGroup(loop: loop, camera: camera, variant: variant, counters: counters) {
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
