import DecoyCore
import DecoyMedia
import Foundation
import Logging
import NIOConcurrencyHelpers

/// A webcam through V4L2 (`cameras[].source: v4l2`). Capture runs on a dedicated thread (blocking
/// `poll`/`DQBUF`, never an event loop or the concurrency pool), which converts YUYV/NV12/YU12 to
/// I420 there, or keeps an MJPEG frame as the device sent it, and leaves only the newest frame in a
/// mailbox: `nextFrame` takes it without waiting (nil when nothing new came). The thread runs while
/// the camera's hub wants frames (`start`/`stop`).
///
/// A device that is missing, fails (`EIO`, `ENODEV`), is unplugged or stops delivering is closed and
/// reported as no signal (one log line), and opened again with a backoff from 0.5 s doubling to 5 s;
/// its return is logged too.
public final class V4L2VideoSource: VideoSource {
    public let nativeSize: PixelSize
    public let framesPerSecond: Int
    /// The device path as configured (a bare `usb-…` name is looked up in `/dev/v4l/by-id`).
    public let device: String
    private let mailbox = V4L2Mailbox()
    private let loop: V4L2CaptureLoop

    public init(
        cameraName: String, device: String, size: PixelSize, fps: Int, format: VideoCaptureFormat,
        logger: Logger = Logger(label: "decoy.v4l2")
    ) {
        self.nativeSize = size
        self.framesPerSecond = fps
        self.device = device
        self.loop = V4L2CaptureLoop(
            mailbox: mailbox, cameraName: cameraName, path: Self.resolve(device), size: size, fps: fps, format: format,
            logger: logger)
    }

    /// `/dev/…` paths as they are; anything else is a name under `/dev/v4l/by-id/`.
    public static func resolve(_ device: String) -> String {
        device.hasPrefix("/") ? device : "/dev/v4l/by-id/" + device
    }

    public var health: VideoSourceHealth { mailbox.health }

    /// Frames captured, frames the hub never took (a newer one replaced them) and frames skipped.
    public var counts: V4L2Counts { mailbox.counts }

    public func start() throws {
        guard mailbox.requestStart() else { return }
        let loop = self.loop
        let thread = Thread { loop.run() }
        thread.name = "decoy-v4l2"
        thread.start()
    }

    /// Capture ends within one poll interval (0.2 s); the device is closed by the thread.
    public func stop() { mailbox.requestStop() }

    public func nextFrame(number: UInt64, timeMilliseconds: Int64) throws -> SourceFrame? { mailbox.take() }

    /// Pixels of the newest frame when it is raw; MJPEG frames come through `nextFrame` only.
    public func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? {
        guard case .pixels(let image) = mailbox.take() else { return nil }
        return image
    }
}

/// What the capture thread did (for logs and tests in the guest).
public struct V4L2Counts: Sendable, Equatable {
    public var captured = 0
    public var replaced = 0
    public var skipped = 0
    public var reopens = 0
}

/// What the capture thread and the hub share, under one lock: demand, the newest frame and health.
final class V4L2Mailbox: Sendable {
    private struct State {
        var wanted = false
        var threadAlive = false
        var newest: SourceFrame?
        var health = VideoSourceHealth.live
        var counts = V4L2Counts()
    }

    private let state = NIOLockedValueBox(State())

    var health: VideoSourceHealth { state.withLockedValue { $0.health } }
    var counts: V4L2Counts { state.withLockedValue { $0.counts } }
    var isWanted: Bool { state.withLockedValue { $0.wanted } }

    /// Wants frames; true when no capture thread is alive, so the caller must start one. A new
    /// thread starts by opening the device: until that fails, the source counts as live (with no
    /// frame yet), so a snapshot waits for the first frame instead of showing NO SIGNAL.
    func requestStart() -> Bool {
        state.withLockedValue { state in
            state.wanted = true
            guard !state.threadAlive else { return false }
            state.threadAlive = true
            state.health = .live
            state.newest = nil
            return true
        }
    }

    func requestStop() {
        state.withLockedValue { state in
            state.wanted = false
            state.newest = nil
        }
    }

    /// The thread's exit check, atomic with `requestStart`: a start that comes while the thread is
    /// winding down keeps it running instead of racing a second thread for the device.
    func threadShouldExit() -> Bool {
        state.withLockedValue { state in
            if state.wanted { return false }
            state.threadAlive = false
            return true
        }
    }

    func put(_ frame: SourceFrame) {
        state.withLockedValue { state in
            if state.newest != nil { state.counts.replaced += 1 }
            state.newest = frame
            state.counts.captured += 1
        }
    }

    func take() -> SourceFrame? {
        state.withLockedValue { state in
            defer { state.newest = nil }
            return state.newest
        }
    }

    func setHealth(_ health: VideoSourceHealth) {
        state.withLockedValue { state in
            state.health = health
            if health != .live { state.newest = nil }
        }
    }

    func countSkipped() { state.withLockedValue { $0.counts.skipped += 1 } }
    func countReopen() { state.withLockedValue { $0.counts.reopens += 1 } }
}
