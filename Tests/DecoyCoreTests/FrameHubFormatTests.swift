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

private let small = PixelSize(width: 160, height: 120)
private let large = PixelSize(width: 320, height: 240)

/// A hub whose sources are made for the format asked, each format noted.
private func makeHub(clock: any DecoyClock, loop: any EventLoop, made: NIOLockedValueBox<[VideoFormat]>) -> FrameHub {
    FrameHub(
        nativeSize: small, framesPerSecond: 10, mediaLoop: loop, clock: clock,
        makeSource: { format in
            made.withLockedValue { $0.append(format) }
            return SyntheticVideoSource(
                cameraName: "Format test", size: format.size, fps: format.framesPerSecond, seed: 5
            ) { number, time in SceneState(frameNumber: number, timeMilliseconds: time) }
        })
}

private func pictureSize(_ frame: EncodedFrame) throws -> PixelSize {
    try JPEGDecoder().size(of: Array(frame.jpeg.readableBytesView))
}

@Suite("FrameHub format changes mid-stream")
struct FrameHubFormatTests {
    @Test("a new rate paces from when it is set: the next frame is one new interval later")
    func newRate() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let made = NIOLockedValueBox<[VideoFormat]>([])
            let hub = makeHub(clock: clock, loop: loop, made: made)
            let collector = Collector()
            let variant = FrameVariant(size: small, quality: 70, followsNative: true)
            hub.subscribe(collector, variant: variant)
            try await settle(loop)
            clock.advance(by: 500)
            #expect(collector.all.map(\.timeMilliseconds) == [0, 100, 200, 300, 400, 500])
            hub.setFormat(framesPerSecond: 4)
            try await settle(loop)
            #expect(hub.framesPerSecond == 4)
            #expect(hub.frameInterval == .milliseconds(250))
            clock.advance(by: 1_000)
            #expect(collector.all.map(\.timeMilliseconds).dropFirst(6) == [750, 1000, 1250, 1500])
            #expect(collector.all.map(\.sequence) == Array(1...10))
            // The rate alone keeps the source: it is made once.
            #expect(made.withLockedValue { $0 } == [VideoFormat(size: small, framesPerSecond: 10)])
            hub.unsubscribe(collector, variant: variant)
            try await settle(loop)
        }
    }

    @Test("a new size makes a source for it; native viewers get it, a viewer of a set size keeps its size")
    func newSize() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let made = NIOLockedValueBox<[VideoFormat]>([])
            let hub = makeHub(clock: clock, loop: loop, made: made)
            let native = Collector()
            let fixed = Collector()
            let nativeVariant = FrameVariant(size: small, quality: 70, passthrough: true, followsNative: true)
            let fixedVariant = FrameVariant(size: PixelSize(width: 80, height: 60), quality: 70)
            hub.subscribe(native, variant: nativeVariant)
            hub.subscribe(fixed, variant: fixedVariant)
            try await settle(loop)
            clock.advance(by: 200)
            let before = native.all.count
            hub.setFormat(size: large)
            try await settle(loop)
            #expect(hub.nativeSize == large)
            clock.advance(by: 300)
            let sizes = try native.all.map(pictureSize)
            #expect(sizes.prefix(before).allSatisfy { $0 == small })
            #expect(sizes.dropFirst(before) == [large, large, large])
            #expect(native.all.dropFirst(before).allSatisfy { $0.variant.size == large })
            #expect(try fixed.all.map(pictureSize).allSatisfy { $0 == PixelSize(width: 80, height: 60) })
            #expect(fixed.all.count == native.all.count)
            // The stream never stopped: frame numbers run on through the change.
            #expect(native.all.map(\.sequence) == Array(1...UInt64(native.all.count)))
            #expect(
                made.withLockedValue { $0 } == [
                    VideoFormat(size: small, framesPerSecond: 10), VideoFormat(size: large, framesPerSecond: 10),
                ])
            // A snapshot of the native size is the new one too.
            let snapshot = try await hub.snapshot(FrameVariant(size: small, quality: 50, followsNative: true)).get()
            #expect(try pictureSize(snapshot) == large)
            hub.unsubscribe(native, variant: nativeVariant)
            hub.unsubscribe(fixed, variant: fixedVariant)
            try await settle(loop)
        }
    }

    @Test("the black and no-signal pictures take the new size too")
    func healthPicturesFollowTheSize() async throws {
        try await withEventLoopGroup { group in
            let loop = group.next()
            let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
            let hub = makeHub(clock: clock, loop: loop, made: NIOLockedValueBox([]))
            let variant = FrameVariant(size: small, quality: 70, followsNative: true)
            for health in [CameraHealth.black, .noSignal] {
                hub.setHealth(health)
                hub.setFormat(size: health == .black ? large : small)
                try await settle(loop)
                clock.advance(by: 100)
                let frame = try await hub.snapshot(variant).get()
                #expect(try pictureSize(frame) == (health == .black ? large : small), "\(health)")
            }
            hub.shutdown()
        }
    }
}
