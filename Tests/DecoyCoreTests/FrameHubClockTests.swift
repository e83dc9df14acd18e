import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Keeps every frame it is given.
private final class Collector: FrameSubscriber {
    private let frames = NIOLockedValueBox<[EncodedFrame]>([])
    func deliver(_ frame: EncodedFrame) { frames.withLockedValue { $0.append(frame) } }
    var all: [EncodedFrame] { frames.withLockedValue { $0 } }
}

private let size = PixelSize(width: 160, height: 120)

private func makeHub(clock: any DecoyClock, loop: any EventLoop, fps: Int = 10) -> FrameHub {
    FrameHub(
        nativeSize: size, framesPerSecond: fps, mediaLoop: loop, clock: clock,
        makeSource: { _ in
            SyntheticVideoSource(cameraName: "Clock test", size: size, fps: fps, seed: 11) { number, time in
                SceneState(frameNumber: number, timeMilliseconds: time)
            }
        })
}

@Suite("FrameHub on the injected clock")
struct FrameHubClockTests {
    @Test("on a manual clock frames come only when the clock advances, one per interval, stamped with clock time")
    func framesFollowTheClock() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 10_000, timers: .onAdvance)
            let hub = makeHub(clock: clock, loop: loop)
            let collector = Collector()
            let variant = FrameVariant(size: size, quality: 70)
            hub.subscribe(collector, variant: variant)
            try await settle(loop)
            #expect(collector.all.map(\.sequence) == [1])  // the first one at once
            try await Task.sleep(for: .milliseconds(250))  // real time alone makes no frame
            try await settle(loop)
            #expect(collector.all.count == 1)
            clock.advance(by: 1_000)
            let frames = collector.all
            #expect(frames.map(\.sequence) == Array(1...11))
            #expect(frames.map(\.timeMilliseconds) == (0...10).map { 10_000 + Int64($0) * 100 })
            hub.unsubscribe(collector, variant: variant)
            try await settle(loop)
        }
    }

    @Test("the same clock times give the same frames, bytes included, whatever the real timing")
    func sameTimesSameBytes() async throws {
        try await withEventLoopGroup { group in
            var runs: [[EncodedFrame]] = []
            for pause in [0, 30] {
                let loop = group.next()
                let clock = ManualClock(startMilliseconds: 20_000, timers: .onAdvance)
                let hub = makeHub(clock: clock, loop: loop, fps: 30)
                let collector = Collector()
                let variant = FrameVariant(size: size, quality: 60)
                hub.subscribe(collector, variant: variant)
                try await settle(loop)
                for _ in 0..<4 {
                    if pause > 0 { try await Task.sleep(for: .milliseconds(pause)) }
                    clock.advance(by: 250)
                }
                hub.unsubscribe(collector, variant: variant)
                try await settle(loop)
                runs.append(collector.all)
            }
            #expect(runs[0].count == 31)  // 1 s at 30 fps, and the first frame
            #expect(runs[0].map(\.sequence) == runs[1].map(\.sequence))
            #expect(runs[0].map(\.timeMilliseconds) == runs[1].map(\.timeMilliseconds))
            #expect(
                runs[0].map { Array($0.jpeg.readableBytesView) } == runs[1].map { Array($0.jpeg.readableBytesView) })
            // Whole milliseconds at 1000/30: no drift over the second.
            #expect(runs[0].last?.timeMilliseconds == 21_000)
        }
    }

    @Test("a snapshot reuses the newest frame within one interval of clock time and makes a new one after")
    func snapshotFreshnessIsClockTime() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let hub = makeHub(clock: clock, loop: loop)
            let variant = FrameVariant(size: size, quality: 70)
            let first = try await hub.snapshot(variant).get()
            clock.advance(by: 99)
            #expect(try await hub.snapshot(variant).get().sequence == first.sequence)
            clock.advance(by: 1)
            let later = try await hub.snapshot(variant).get()
            #expect(later.sequence == first.sequence + 1)
            #expect(later.timeMilliseconds == 100)
            hub.shutdown()
        }
    }
}
