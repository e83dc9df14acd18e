import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

private let size = PixelSize(width: 160, height: 120)
private let variant = FrameVariant(size: size, quality: 70)

/// Keeps every frame and whether each came on the hub's media loop.
private final class LoopCollector: FrameSubscriber {
    let loop: any EventLoop
    private let box = NIOLockedValueBox((frames: [EncodedFrame](), offLoop: 0))

    init(loop: any EventLoop) { self.loop = loop }

    func deliver(_ frame: EncodedFrame) {
        let onLoop = loop.inEventLoop
        box.withLockedValue {
            $0.frames.append(frame)
            if !onLoop { $0.offLoop += 1 }
        }
    }

    func cameraWentOffline() {
        let onLoop = loop.inEventLoop
        box.withLockedValue { if !onLoop { $0.offLoop += 1 } }
    }

    var frames: [EncodedFrame] { box.withLockedValue { $0.frames } }
    var offLoop: Int { box.withLockedValue { $0.offLoop } }
}

private func makeHub(clock: any DecoyClock, loop: any EventLoop) -> FrameHub {
    FrameHub(
        nativeSize: size, framesPerSecond: 10, mediaLoop: loop, clock: clock,
        makeSource: { format in
            SyntheticVideoSource(cameraName: "Loop test", size: format.size, fps: format.framesPerSecond, seed: 4) {
                number, time in SceneState(frameNumber: number, timeMilliseconds: time)
            }
        })
}

@Suite("FrameHub: state on the media loop, status published")
struct FrameHubLoopTests {
    @Test("subscribers are called on the media loop only, frames and offline signal alike")
    func deliveredOnTheLoop() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let hub = makeHub(clock: clock, loop: loop)
            let collector = LoopCollector(loop: loop)
            hub.subscribe(collector, variant: variant)
            try await settle(loop)
            clock.advance(by: 300)
            hub.setHealth(.offline)
            try await settle(loop)
            #expect(collector.frames.count == 4)
            #expect(collector.offLoop == 0)
            hub.unsubscribe(collector, variant: variant)
            hub.shutdown()
        }
    }

    @Test("an unsubscribe takes effect on the loop, in order: nothing after it, and the hub stops")
    func unsubscribeOnTheLoop() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let hub = makeHub(clock: clock, loop: loop)
            let (stays, leaves) = (LoopCollector(loop: loop), LoopCollector(loop: loop))
            // Queued together: both are added between two frames and get the first one.
            withLoopBlocked(loop) {
                hub.subscribe(stays, variant: variant)
                hub.subscribe(leaves, variant: variant)
            }
            try await settle(loop)
            clock.advance(by: 100)
            hub.unsubscribe(leaves, variant: variant)
            try await settle(loop)
            clock.advance(by: 200)
            #expect(stays.frames.map(\.sequence) == [1, 2, 3, 4])
            #expect(leaves.frames.map(\.sequence) == [1, 2])
            #expect(hub.counts.running)
            hub.unsubscribe(stays, variant: variant)
            try await settle(loop)
            #expect(!hub.counts.running)
            clock.advance(by: 500)
            #expect(stays.frames.count == 4)
            #expect(try await settledCounts(hub).framesProduced == 4)
        }
    }

    @Test("a subscribe and an unsubscribe queued back to back leave the hub idle again")
    func subscribeThenUnsubscribe() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let hub = makeHub(clock: clock, loop: loop)
            let collector = LoopCollector(loop: loop)
            withLoopBlocked(loop) {
                hub.subscribe(collector, variant: variant)
                hub.unsubscribe(collector, variant: variant)
            }
            try await settle(loop)
            clock.advance(by: 500)
            let counts = try await settledCounts(hub)
            #expect(!counts.running)
            #expect(counts.framesProduced <= 1, "at most the frame the subscribe started with")
            #expect(collector.frames.count == counts.framesProduced)
        }
    }

    @Test("each frame carries the camera's rate when it was made, a rate change included")
    func framesCarryTheRate() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let hub = makeHub(clock: clock, loop: loop)
            let collector = LoopCollector(loop: loop)
            hub.subscribe(collector, variant: FrameVariant(size: size, quality: 70, followsNative: true))
            try await settle(loop)
            clock.advance(by: 200)
            hub.setFormat(size: PixelSize(width: 80, height: 60), framesPerSecond: 4)
            try await settle(loop)
            clock.advance(by: 500)
            let frames = collector.frames
            #expect(frames.map(\.framesPerSecond) == [10, 10, 10, 4, 4])
            #expect(
                frames.map(\.size) == Array(repeating: size, count: 3)
                    + Array(repeating: .init(width: 80, height: 60), count: 2))
            hub.shutdown()
        }
    }

    @Test("the published status follows the loop: format, health and counts in one copy")
    func publishedStatus() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let hub = makeHub(clock: clock, loop: loop)
            #expect(hub.status.counts.framesProduced == 0 && !hub.status.counts.running)
            #expect(hub.status.format == VideoFormat(size: size, framesPerSecond: 10))
            _ = try await hub.snapshot(variant).get()
            let status = hub.status
            #expect(status.counts.framesProduced == 1)
            #expect(status.counts.variantsEncoded == 1)
            #expect(!status.counts.running)
            hub.setHealth(.black)
            #expect(hub.status.health == .black, "a forced health is readable at once")
            #expect(hub.status.forcedHealth == .black)
            hub.setFormat(framesPerSecond: 5)
            try await settle(loop)
            #expect(hub.status.format.framesPerSecond == 5)
            #expect(hub.status.health == .black, "the loop's publishing keeps the forced health")
            hub.shutdown()
        }
    }
}
