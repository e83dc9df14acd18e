import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

private let qvga = PixelSize(width: 320, height: 240)
private let small = PixelSize(width: 160, height: 120)

/// A hub over the synthetic source, counting how often the source is asked for a frame.
private func makeHub(
    fps: Int = 10, loop: any EventLoop, renders: NIOLockedValueBox<Int> = NIOLockedValueBox(0),
    clock: ManualClock = ManualClock()
) -> FrameHub {
    FrameHub(
        nativeSize: qvga, framesPerSecond: fps, mediaLoop: loop, clock: clock,
        makeSource: { _ in
            CountingSource(
                inner: SyntheticVideoSource(cameraName: "Hub test", size: qvga, fps: fps, seed: 3) { number, time in
                    SceneState(frameNumber: number, timeMilliseconds: time)
                }, renders: renders)
        })
}

/// Passes frames through and counts the requests.
private final class CountingSource: VideoSource {
    let inner: SyntheticVideoSource
    let renders: NIOLockedValueBox<Int>

    init(inner: SyntheticVideoSource, renders: NIOLockedValueBox<Int>) {
        self.inner = inner
        self.renders = renders
    }

    var nativeSize: PixelSize { inner.nativeSize }
    var framesPerSecond: Int { inner.framesPerSecond }
    func start() throws {}
    func stop() {}
    func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? {
        renders.withLockedValue { $0 += 1 }
        return try inner.frame(number: number, timeMilliseconds: timeMilliseconds)
    }
}

/// Unsubscribes and waits until the hub has stopped.
private func stop(_ hub: FrameHub, _ subscriptions: [(FrameCollector, FrameVariant)]) async -> Bool {
    for (collector, variant) in subscriptions { hub.unsubscribe(collector, variant: variant) }
    return await eventually { !hub.counts.running }
}

@Suite("FrameHub")
struct FrameHubTests {
    @Test("with no subscribers nothing is rendered or encoded")
    func idle() async throws {
        try await withEventLoopGroup { group in
            let renders = NIOLockedValueBox(0)
            let hub = makeHub(loop: group.next(), renders: renders)
            try await Task.sleep(for: .milliseconds(300))
            let counts = try await settledCounts(hub)
            #expect(counts.framesProduced == 0)
            #expect(counts.variantsEncoded == 0)
            #expect(!counts.running)
            #expect(renders.withLockedValue { $0 } == 0)
        }
    }

    @Test("a subscriber receives frames of its variant with increasing sequence numbers")
    func subscriberReceivesFrames() async throws {
        try await withEventLoopGroup { group in
            let hub = makeHub(loop: group.next())
            let viewer = FrameCollector()
            let variant = FrameVariant(size: qvga, quality: 70)
            hub.subscribe(viewer, variant: variant)
            #expect(await eventually { viewer.frames.count >= 4 })
            #expect(hub.counts.running)
            let frames = viewer.frames
            let sequences = frames.map(\.sequence)
            #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }, "\(sequences)")
            #expect(frames.allSatisfy { $0.variant == variant })
            #expect(await stop(hub, [(viewer, variant)]))
        }
    }

    @Test("after the last unsubscribe the hub stops producing frames")
    func stopsAfterUnsubscribe() async throws {
        try await withEventLoopGroup { group in
            let renders = NIOLockedValueBox(0)
            let hub = makeHub(loop: group.next(), renders: renders)
            let viewer = FrameCollector()
            let variant = FrameVariant(size: qvga, quality: 70)
            hub.subscribe(viewer, variant: variant)
            #expect(await eventually { viewer.frames.count >= 2 })
            #expect(await stop(hub, [(viewer, variant)]))
            let stopped = try await settledCounts(hub)
            let rendered = renders.withLockedValue { $0 }
            try await Task.sleep(for: .milliseconds(300))
            let later = try await settledCounts(hub)
            #expect(later == stopped)
            #expect(!later.running)
            #expect(renders.withLockedValue { $0 } == rendered)
        }
    }

    @Test("two subscribers of one variant share each encoded frame: one encode per frame")
    func encodeOncePerVariant() async throws {
        try await withEventLoopGroup { group in
            let hub = makeHub(loop: group.next())
            let first = FrameCollector()
            let second = FrameCollector()
            let variant = FrameVariant(size: small, quality: 60)
            withLoopBlocked(hub.mediaLoop) {
                hub.subscribe(first, variant: variant)
                hub.subscribe(second, variant: variant)
            }
            #expect(await eventually { first.frames.count >= 3 && second.frames.count >= 3 })
            let counts = try await settledCounts(hub)
            #expect(counts.framesProduced >= 3)
            #expect(counts.variantsEncoded == counts.framesProduced)

            let bySequence = Dictionary(second.frames.map { ($0.sequence, $0) }, uniquingKeysWith: { a, _ in a })
            var shared = 0
            for frame in first.frames {
                guard let other = bySequence[frame.sequence] else { continue }
                #expect(storageAddress(frame.part) == storageAddress(other.part))
                #expect(frame.part == other.part)
                shared += 1
            }
            #expect(shared >= 3)
            #expect(await stop(hub, [(first, variant), (second, variant)]))
        }
    }

    @Test("two variants are encoded separately, each at its own size")
    func twoVariants() async throws {
        try await withEventLoopGroup { group in
            let hub = makeHub(loop: group.next())
            let large = FrameCollector()
            let little = FrameCollector()
            let largeVariant = FrameVariant(size: qvga, quality: 70)
            let littleVariant = FrameVariant(size: small, quality: 40)
            withLoopBlocked(hub.mediaLoop) {
                hub.subscribe(large, variant: largeVariant)
                hub.subscribe(little, variant: littleVariant)
            }
            #expect(await eventually { large.frames.count >= 3 && little.frames.count >= 3 })
            let counts = try await settledCounts(hub)
            #expect(counts.variantsEncoded == 2 * counts.framesProduced)

            let decoder = try JPEGDecoder()
            // Read both on the hub's loop, between two frames: each produced frame has then reached both.
            let (bigs, littles) = try await hub.mediaLoop.submit { (large.frames, little.frames) }.get()
            let bigFrame = try #require(bigs.last)
            let smallFrame = try #require(littles.first { $0.sequence == bigFrame.sequence })
            #expect(storageAddress(bigFrame.part) != storageAddress(smallFrame.part))
            #expect(try decoder.size(of: Array(bigFrame.jpeg.readableBytesView)) == qvga)
            #expect(try decoder.size(of: Array(smallFrame.jpeg.readableBytesView)) == small)
            #expect(await stop(hub, [(large, largeVariant), (little, littleVariant)]))
        }
    }

    @Test("snapshots reuse a fresh frame and encode each variant once")
    func snapshotReusesFreshFrame() async throws {
        try await withEventLoopGroup { group in
            // One frame per second, and the three snapshots queued together so they run back to back on the
            // media loop: all three fall well within one frame interval, however busy the machine is.
            let hub = makeHub(fps: 1, loop: group.next())
            let variant = FrameVariant(size: small, quality: 70)
            var futures: [EventLoopFuture<EncodedFrame>] = []
            withLoopBlocked(hub.mediaLoop) {
                futures = [
                    hub.snapshot(variant), hub.snapshot(variant), hub.snapshot(FrameVariant(size: qvga, quality: 70)),
                ]
            }
            let first = try await futures[0].get()
            let second = try await futures[1].get()
            let other = try await futures[2].get()
            #expect(first.sequence == second.sequence)
            #expect(storageAddress(first.part) == storageAddress(second.part))
            #expect(other.sequence == first.sequence)
            #expect(other.variant.size == qvga)
            let counts = try await settledCounts(hub)
            #expect(counts.framesProduced == 1)
            #expect(counts.variantsEncoded == 2)
            #expect(!counts.running)
        }
    }

    @Test("a snapshot taken more than one frame interval later shows a new frame")
    func snapshotAfterIntervalIsNew() async throws {
        try await withEventLoopGroup { group in
            let clock = ManualClock()
            let hub = makeHub(fps: 20, loop: group.next(), clock: clock)
            let variant = FrameVariant(size: small, quality: 70)
            let first = try await hub.snapshot(variant).get()
            clock.advance(by: 120)  // freshness is clock time
            let second = try await hub.snapshot(variant).get()
            #expect(second.sequence > first.sequence)
            let counts = try await settledCounts(hub)
            #expect(counts.framesProduced == 2)
            #expect(!counts.running)
        }
    }

    @Test("a snapshot is a JPEG of the variant's size")
    func snapshotDecodes() async throws {
        try await withEventLoopGroup { group in
            let hub = makeHub(loop: group.next())
            let decoder = try JPEGDecoder()
            for size in [small, qvga, PixelSize(width: 100, height: 50)] {
                let frame = try await hub.snapshot(FrameVariant(size: size, quality: 80)).get()
                let jpeg = Array(frame.jpeg.readableBytesView)
                #expect(Array(jpeg.prefix(2)) == [0xFF, 0xD8])
                #expect(Array(jpeg.suffix(2)) == [0xFF, 0xD9])
                #expect(try decoder.decodeI420(jpeg).size == size)
                #expect(frame.variant.size == size)
            }
        }
    }

    @Test("a frame's part is the MJPEG part headers, the JPEG and the next boundary")
    func partLayoutOfHubFrame() async throws {
        try await withEventLoopGroup { group in
            let hub = makeHub(loop: group.next())
            let frame = try await hub.snapshot(FrameVariant(size: small, quality: 50)).get()
            let jpeg = Array(frame.jpeg.readableBytesView)
            let expected =
                Array("Content-Type: image/jpeg\r\nContent-Length: \(jpeg.count)\r\n\r\n".utf8) + jpeg
                + Array("\r\n--myboundary\r\n".utf8)
            #expect(Array(frame.part.readableBytesView) == expected)
        }
    }

    @Test("the frame interval follows the frame rate")
    func frameInterval() async throws {
        try await withEventLoopGroup { group in
            #expect(makeHub(fps: 10, loop: group.next()).frameInterval == .milliseconds(100))
            #expect(makeHub(fps: 1, loop: group.next()).frameInterval == .seconds(1))
        }
    }
}

@Suite("EncodedFrame and MJPEG framing")
struct EncodedFrameTests {
    @Test("part = headers + JPEG + CRLF and boundary; jpeg is a slice of the same storage")
    func layout() {
        let fakeJPEG: [UInt8] = [0xFF, 0xD8, 0x01, 0x02, 0x0D, 0x0A, 0xFF, 0xD9]
        let frame = fakeJPEG.withUnsafeBytes {
            EncodedFrame(
                sequence: 9, timeMilliseconds: 1234, framesPerSecond: 10,
                variant: FrameVariant(size: small, quality: 70), jpeg: $0,
                allocator: ByteBufferAllocator())
        }
        let head = "Content-Type: image/jpeg\r\nContent-Length: 8\r\n\r\n"
        let tail = "\r\n--myboundary\r\n"
        #expect(Array(frame.part.readableBytesView) == Array(head.utf8) + fakeJPEG + Array(tail.utf8))
        #expect(Array(frame.jpeg.readableBytesView) == fakeJPEG)
        #expect(storageAddress(frame.jpeg) == storageAddress(frame.part) + UInt(head.utf8.count))
        #expect(frame.sequence == 9)
        #expect(frame.timeMilliseconds == 1234)
    }

    @Test("the stream constants are the Axis layout")
    func constants() {
        #expect(MJPEGFraming.contentType == "multipart/x-mixed-replace; boundary=myboundary")
        #expect(MJPEGFraming.preamble == "--myboundary\r\n")
        #expect(
            MJPEGFraming.partHeader(jpegLength: 23817) == "Content-Type: image/jpeg\r\nContent-Length: 23817\r\n\r\n")
        #expect(MJPEGFraming.partTrailer == "\r\n--myboundary\r\n")
    }

    @Test("a variant prints as size@quality")
    func variantDescription() {
        #expect(FrameVariant(size: qvga, quality: 70).description == "320x240@q70")
    }
}
