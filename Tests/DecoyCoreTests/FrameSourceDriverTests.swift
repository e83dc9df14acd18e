import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

private let size = PixelSize(width: 160, height: 120)
private let variant = FrameVariant(size: size, quality: 70)

/// A synthetic source that counts its starts and stops (a device being opened and closed).
private final class LifecycleSource: VideoSource {
    let inner = SyntheticVideoSource(cameraName: "Driver", size: size, fps: 10, seed: 6) { number, time in
        SceneState(frameNumber: number, timeMilliseconds: time)
    }
    let log: NIOLockedValueBox<(starts: Int, stops: Int)>

    init(log: NIOLockedValueBox<(starts: Int, stops: Int)>) { self.log = log }

    var nativeSize: PixelSize { size }
    var framesPerSecond: Int { 10 }
    func start() throws { log.withLockedValue { $0.starts += 1 } }
    func stop() { log.withLockedValue { $0.stops += 1 } }
    func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? {
        try inner.frame(number: number, timeMilliseconds: timeMilliseconds)
    }
}

private func makeHub(
    clock: ManualClock, loop: any EventLoop, log: NIOLockedValueBox<(starts: Int, stops: Int)>
) -> FrameHub {
    FrameHub(
        nativeSize: size, framesPerSecond: 10, mediaLoop: loop, clock: clock,
        makeSource: { _ in LifecycleSource(log: log) })
}

@Suite("FrameSourceDriver: the source's lifecycle behind the hub")
struct FrameSourceDriverTests {
    @Test("a snapshot keeps an idle camera's source warm for the warm period after the last one, then stops it")
    func warmPeriod() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let log = NIOLockedValueBox((starts: 0, stops: 0))
            let hub = makeHub(clock: clock, loop: loop, log: log)
            let warm = FrameHub.warmPeriod.nanoseconds / 1_000_000
            _ = try await hub.snapshot(variant).get()
            #expect(log.withLockedValue { $0 } == (1, 0))
            clock.advance(by: warm / 2)
            _ = try await hub.snapshot(variant).get()  // polling: the device stays open, the period starts again
            clock.advance(by: warm - 1)
            #expect(log.withLockedValue { $0 } == (1, 0))
            clock.advance(by: 1)
            #expect(log.withLockedValue { $0 } == (1, 1))
            #expect(!hub.counts.running)
            #expect(try await settledCounts(hub).framesProduced == 2)
        }
    }

    @Test("a stream starts the source once; a snapshot meanwhile reuses it; the last unsubscribe stops it at once")
    func streamLifecycle() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let log = NIOLockedValueBox((starts: 0, stops: 0))
            let hub = makeHub(clock: clock, loop: loop, log: log)
            let viewer = FrameCollector()
            hub.subscribe(viewer, variant: variant)
            try await settle(loop)
            clock.advance(by: 250)
            _ = try await hub.snapshot(FrameVariant(size: size, quality: 40)).get()
            #expect(log.withLockedValue { $0 } == (1, 0))
            hub.unsubscribe(viewer, variant: variant)
            try await settle(loop)
            #expect(log.withLockedValue { $0 } == (1, 1), "a snapshot while streaming keeps nothing warm")
            #expect(viewer.frames.map(\.sequence) == [1, 2, 3])
        }
    }
}
