import DecoyCore
import NIOCore

/// What a playing session subscribes to a camera's hub: called on the media loop, it only hands
/// each frame to the session on its connection's loop.
final class RTSPHubTap: H264Subscriber, FrameSubscriber, Sendable {
    private let playback: NIOLoopBound<RTSPPlayback>

    init(_ playback: RTSPPlayback, loop: any EventLoop) {
        self.playback = NIOLoopBound(playback, eventLoop: loop)
    }

    func deliver(_ frame: H264Frame) {
        playback.eventLoop.execute { self.playback.value.deliver(frame) }
    }

    func deliver(_ frame: EncodedFrame) {
        playback.eventLoop.execute { self.playback.value.deliver(frame) }
    }

    func cameraWentOffline() {
        playback.eventLoop.execute { self.playback.value.cameraWentOffline() }
    }
}
