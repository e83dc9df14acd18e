import DecoyCore
import DecoyMedia
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs `body` with a one-thread event loop group and shuts the group down afterwards, also when `body` throws.
func withEventLoopGroup<T>(_ body: (MultiThreadedEventLoopGroup) async throws -> T) async throws -> T {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    do {
        let result = try await body(group)
        try await group.shutdownGracefully()
        return result
    } catch {
        try? await group.shutdownGracefully()
        throw error
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass; returns whether it held.
/// Only for waiting on background work: no test asserts on how long the wait took.
func eventually(within seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// A fresh, empty folder under the system's temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("decoy-core-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Records every frame a hub delivers.
final class FrameCollector: FrameSubscriber {
    private let box = NIOLockedValueBox([EncodedFrame]())

    func deliver(_ frame: EncodedFrame) { box.withLockedValue { $0.append(frame) } }

    var frames: [EncodedFrame] { box.withLockedValue { $0 } }
}

/// Blocks `loop` while `body` runs, so that everything `body` queues on the loop runs afterwards, together.
func withLoopBlocked(_ loop: any EventLoop, _ body: () -> Void) {
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    loop.execute {
        entered.signal()
        release.wait()
    }
    entered.wait()
    body()
    release.signal()
}

/// Runs what is queued on `loop` now (a subscribe, an unsubscribe, a format change) and what that queued.
func settle(_ loop: any EventLoop) async throws {
    try await loop.submit {}.get()
    try await loop.submit {}.get()
}

/// The hub's counters read on its own loop, between two frames: every produced frame is fully handed out.
func settledCounts(_ hub: FrameHub) async throws -> FrameHubCounters {
    try await hub.mediaLoop.submit { hub.counts }.get()
}

/// The address of a buffer's first readable byte: equal for two buffers that share storage.
func storageAddress(_ buffer: ByteBuffer) -> UInt {
    buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
}

extension DecoyConfig {
    /// The embedded default's cameras made small and slow, so frame tests stay cheap, without the
    /// sandbox's detection, recording and activity (a camera nobody watches must stay idle).
    static var smallCameras: DecoyConfig {
        var config = DecoyConfig(cameras: DecoyConfig.defaultCameras)
        for index in config.cameras.indices {
            config.cameras[index].resolution = PixelSize(width: 320, height: 240)
            config.cameras[index].fps = 10
        }
        return config
    }
}
