import NIOConcurrencyHelpers

/// What a camera's RTSP sessions did, for `/metrics`.
public struct RTSPCameraCounts: Sendable, Equatable {
    /// Sessions that started playing.
    public var sessionsStarted = 0
    /// Sessions playing now.
    public var activeSessions = 0
    /// Video frames (access units or JPEGs) sent, over all sessions.
    public var framesSent = 0
    /// RTP bytes sent (video and sound, interleaving framing included).
    public var bytesSent: Int64 = 0
}

/// The server's RTSP counters by camera id: one lock per frame sent, as the MJPEG viewers'.
final class RTSPStreamCounters: Sendable {
    private let cameras = NIOLockedValueBox([Int64: RTSPCameraCounts]())

    func counts(forCamera camera: Int64) -> RTSPCameraCounts {
        cameras.withLockedValue { $0[camera] ?? RTSPCameraCounts() }
    }

    func started(camera: Int64) {
        cameras.withLockedValue {
            $0[camera, default: RTSPCameraCounts()].sessionsStarted += 1
            $0[camera, default: RTSPCameraCounts()].activeSessions += 1
        }
    }

    func ended(camera: Int64) {
        cameras.withLockedValue { $0[camera, default: RTSPCameraCounts()].activeSessions -= 1 }
    }

    func sent(camera: Int64, frames: Int, bytes: Int64) {
        cameras.withLockedValue {
            $0[camera, default: RTSPCameraCounts()].framesSent += frames
            $0[camera, default: RTSPCameraCounts()].bytesSent += bytes
        }
    }
}
