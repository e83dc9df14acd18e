import DecoyCore
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
    private let incoming = NIOLockedValueBox<(frame: EncodedFrame?, scheduled: Bool)>((nil, false))
    private let confined: NIOLoopBoundBox<Members>
    private let onEmpty: @Sendable (ViewerGroup) -> Void

    /// Loop-confined members and the newest frame they were offered.
    final class Members {
        var viewers: [ObjectIdentifier: MJPEGViewer] = [:]
        var latest: EncodedFrame?
    }

    init(
        loop: any EventLoop, camera: Camera, variant: FrameVariant,
        onEmpty: @escaping @Sendable (ViewerGroup) -> Void
    ) {
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
            for viewer in self.confined.value.viewers.values { viewer.close() }
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
        for viewer in members.viewers.values { viewer.offer(frame) }
    }

    func add(_ viewer: MJPEGViewer) {
        let members = confined.value
        members.viewers[ObjectIdentifier(viewer)] = viewer
        if members.viewers.count == 1 {
            hub.subscribe(self, variant: variant)
        } else if let latest = members.latest {
            viewer.offer(latest)
        }
    }

    func remove(_ viewer: MJPEGViewer) {
        let members = confined.value
        guard members.viewers.removeValue(forKey: ObjectIdentifier(viewer)) != nil, members.viewers.isEmpty else {
            return
        }
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

    func group(for camera: Camera, variant: FrameVariant, on loop: any EventLoop) -> ViewerGroup {
        let key = Key(loop: ObjectIdentifier(loop), camera: camera.config.id, variant: variant)
        return groups.withLockedValue { groups in
            if let group = groups[key] { return group }
            let group = ViewerGroup(loop: loop, camera: camera, variant: variant) { [weak self] empty in
                self?.groups.withLockedValue { groups in
                    if groups[key] === empty { groups[key] = nil }
                }
            }
            groups[key] = group
            return group
        }
    }
}
