import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

private let size = PixelSize(width: 160, height: 120)
private let native = FrameVariant(size: size, quality: 70, passthrough: true)

/// What a scripted JPEG source hands over, shared with the test (the source lives on the hub's loop).
/// It stands in for an MJPEG webcam: only the hub's handling of encoded frames is under test here;
/// the real device is tested in the HIL guest (Tools/device-checks/video.sh).
private final class Script: Sendable {
    private struct State {
        var frames: [SourceFrame] = []
        var cycle = false
        var next = 0
        var health = VideoSourceHealth.live
        var started = 0
        var askedSinceStart = 0
        var holdBack = 0
    }

    private let state = NIOLockedValueBox(State())

    init(_ frames: [SourceFrame], cycle: Bool = true, holdBack: Int = 0) {
        state.withLockedValue {
            $0.frames = frames
            $0.cycle = cycle
            $0.holdBack = holdBack
        }
    }

    var health: VideoSourceHealth {
        get { state.withLockedValue { $0.health } }
        set { state.withLockedValue { $0.health = newValue } }
    }

    var starts: Int { state.withLockedValue { $0.started } }

    func start() {
        state.withLockedValue {
            $0.started += 1
            $0.askedSinceStart = 0
        }
    }

    /// The next scripted frame: none for the first `holdBack` requests after a start (a device warming up).
    func next() -> SourceFrame? {
        state.withLockedValue { state in
            state.askedSinceStart += 1
            guard state.started > 0, state.askedSinceStart > state.holdBack, !state.frames.isEmpty else { return nil }
            guard state.cycle || state.next < state.frames.count else { return nil }
            defer { state.next += 1 }
            return state.frames[state.next % state.frames.count]
        }
    }
}

private final class ScriptedJPEGSource: VideoSource {
    let script: Script
    init(_ script: Script) { self.script = script }
    var nativeSize: PixelSize { size }
    var framesPerSecond: Int { 20 }
    var health: VideoSourceHealth { script.health }
    func start() throws { script.start() }
    func stop() {}
    func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? { nil }
    func nextFrame(number: UInt64, timeMilliseconds: Int64) throws -> SourceFrame? { script.next() }
}

/// Three different JPEGs of the synthetic scene, as a webcam would send them.
private func webcamJPEGs(count: Int = 3) throws -> [[UInt8]] {
    let renderer = SyntheticRenderer(cameraName: "Webcam", size: size, seed: 9)
    let encoder = try JPEGEncoder()
    return try (1...count).map { number in
        try encoder.encode(renderer.render(SceneState(frameNumber: UInt64(number))), quality: 85)
    }
}

private func withHub(_ script: Script, _ body: (FrameHub) async throws -> Void) async throws {
    try await withEventLoopGroup { group in
        let hub = FrameHub(
            nativeSize: size, framesPerSecond: 20, mediaLoop: group.next(), clock: ManualClock(),
            makeSource: { _ in ScriptedJPEGSource(script) })
        try await body(hub)
        hub.shutdown()
    }
}

private final class PixelCounter: FrameObserver {
    private let box = NIOLockedValueBox([I420Image]())
    func observe(_ image: I420Image, sequence: UInt64, timeMilliseconds: Int64) {
        box.withLockedValue { $0.append(image) }
    }
    var images: [I420Image] { box.withLockedValue { $0 } }
}

@Suite("FrameHub MJPEG passthrough")
struct FrameHubPassthroughTests {
    @Test("a native viewer gets the source's own JPEG bytes, padding trimmed, with no decode and no encode")
    func passthrough() async throws {
        let jpegs = try webcamJPEGs()
        let padded = jpegs[2] + [UInt8](repeating: 0, count: 3000)
        let script = Script([.jpeg(jpegs[0], size: size), .jpeg(jpegs[1], size: size), .jpeg(padded, size: size)])
        try await withHub(script) { hub in
            let viewer = FrameCollector()
            hub.subscribe(viewer, variant: native)
            #expect(await eventually { viewer.frames.count >= 6 })
            hub.unsubscribe(viewer, variant: native)
            let received = viewer.frames.map { Array(buffer: $0.jpeg) }
            #expect(received.allSatisfy { jpegs.contains($0) })
            #expect(Set(received).count == 3, "all three frames arrive, the padded one without its padding")
            let counts = try await settledCounts(hub)
            #expect(counts.variantsEncoded == 0)
            #expect(counts.encodeNanoseconds == 0)
            #expect(counts.jpegsDecoded == 0)
            #expect(counts.jpegsPassedThrough >= 6)
        }
    }

    @Test("a scaled or re-compressed viewer gets a decoded and re-encoded picture, and the encode time is counted")
    func reencoded() async throws {
        let jpegs = try webcamJPEGs()
        let script = Script(jpegs.map { .jpeg($0, size: size) })
        try await withHub(script) { hub in
            let small = FrameVariant(size: PixelSize(width: 80, height: 60), quality: 50)
            let compressed = FrameVariant(size: size, quality: 40)
            let (a, b) = (FrameCollector(), FrameCollector())
            hub.subscribe(a, variant: small)
            hub.subscribe(b, variant: compressed)
            #expect(await eventually { a.frames.count >= 3 && b.frames.count >= 3 })
            hub.unsubscribe(a, variant: small)
            hub.unsubscribe(b, variant: compressed)
            let decoder = try JPEGDecoder()
            for frame in a.frames { #expect(try decoder.decodeI420(Array(buffer: frame.jpeg)).size == small.size) }
            #expect(b.frames.allSatisfy { !jpegs.contains(Array(buffer: $0.jpeg)) })
            let counts = try await settledCounts(hub)
            #expect(counts.encodeNanoseconds > 0)
            #expect(counts.jpegsDecoded > 0)
            #expect(counts.jpegsDecoded <= counts.framesProduced, "one decode per frame for both variants")
            #expect(counts.jpegsPassedThrough == 0)
        }
    }

    @Test("a passthrough viewer of a pixel source shares the encode of the same plain variant")
    func passthroughOfPixels() async throws {
        let image = SyntheticRenderer(cameraName: "P", size: size, seed: 1).render(SceneState())
        let script = Script([.pixels(image)])
        try await withHub(script) { hub in
            let (a, b) = (FrameCollector(), FrameCollector())
            hub.subscribe(a, variant: native)
            hub.subscribe(b, variant: native.encodedEquivalent)
            #expect(await eventually { a.frames.count >= 3 && b.frames.count >= 3 })
            hub.unsubscribe(a, variant: native)
            hub.unsubscribe(b, variant: native.encodedEquivalent)
            let counts = try await settledCounts(hub)
            #expect(counts.variantsEncoded <= counts.framesProduced)
            #expect(storageAddress(a.frames.last!.part) == storageAddress(b.frames.last!.part))
        }
    }

    @Test("broken JPEGs are dropped and counted, never delivered")
    func broken() async throws {
        let jpegs = try webcamJPEGs(count: 2)
        let truncated = Array(jpegs[1].prefix(jpegs[1].count / 2))
        let script = Script([.jpeg(jpegs[0], size: size), .jpeg(truncated, size: size), .jpeg([1, 2, 3], size: size)])
        try await withHub(script) { hub in
            let viewer = FrameCollector()
            hub.subscribe(viewer, variant: native)
            #expect(await eventually { hub.counts.jpegsDropped >= 4 && viewer.frames.count >= 2 })
            hub.unsubscribe(viewer, variant: native)
            #expect(viewer.frames.allSatisfy { Array(buffer: $0.jpeg) == jpegs[0] })
        }
    }

    @Test("when the source has nothing new, nothing is delivered again")
    func nothingNew() async throws {
        let jpegs = try webcamJPEGs(count: 2)
        let script = Script(jpegs.map { .jpeg($0, size: size) }, cycle: false)
        try await withHub(script) { hub in
            let viewer = FrameCollector()
            hub.subscribe(viewer, variant: native)
            #expect(await eventually { viewer.frames.count >= 2 })
            // Let the hub tick on (20 fps) with nothing new; every tick that delivered would add a frame.
            let ticked = try await hub.mediaLoop.scheduleTask(in: .milliseconds(400)) { viewer.frames.count }
                .futureResult.get()
            hub.unsubscribe(viewer, variant: native)
            #expect(ticked == 2)
        }
    }

    @Test("an observer gets the JPEG's pixels, decoded once per frame")
    func observer() async throws {
        let jpegs = try webcamJPEGs()
        let script = Script(jpegs.map { .jpeg($0, size: size) })
        try await withHub(script) { hub in
            let observer = PixelCounter()
            let viewer = FrameCollector()
            hub.addObserver(observer)
            hub.subscribe(viewer, variant: native)
            #expect(await eventually { observer.images.count >= 3 })
            // The viewer leaves first: a frame made between the two (for the observer alone) is
            // still decoded, where the other order could count one the observer never had.
            hub.unsubscribe(viewer, variant: native)
            hub.removeObserver(observer)
            #expect(observer.images.allSatisfy { $0.size == size })
            let counts = try await settledCounts(hub)
            #expect(counts.jpegsDecoded == counts.framesProduced)
            #expect(counts.variantsEncoded == 0, "the viewer still gets the source's bytes")
        }
    }

    @Test("a source without signal shows the NO SIGNAL card; a forced health wins; live lifts the force")
    func sourceHealth() async throws {
        let jpegs = try webcamJPEGs()
        let script = Script(jpegs.map { .jpeg($0, size: size) })
        script.health = .reopening
        try await withHub(script) { hub in
            let viewer = FrameCollector()
            hub.subscribe(viewer, variant: native)
            #expect(await eventually { viewer.frames.count >= 2 })
            #expect(hub.health == .noSignal)
            #expect(hub.sourceHealth == .reopening)
            let card = try JPEGDecoder().decodeI420(Array(buffer: viewer.frames.last!.jpeg))
            #expect(card.meanU > 170, "dark blue card")
            hub.setHealth(.black)
            #expect(hub.health == .black)
            hub.setHealth(.live)
            #expect(hub.health == .noSignal)
            script.health = .live
            #expect(await eventually { hub.health == .live })
            #expect(await eventually { viewer.frames.last.map { jpegs.contains(Array(buffer: $0.jpeg)) } ?? false })
            hub.unsubscribe(viewer, variant: native)
        }
    }

    @Test("a snapshot of an idle camera starts its source and waits for its first frame")
    func snapshotStartsSource() async throws {
        let jpegs = try webcamJPEGs(count: 1)
        let script = Script([.jpeg(jpegs[0], size: size)], holdBack: 3)
        try await withHub(script) { hub in
            #expect(script.starts == 0)
            let frame = try await hub.snapshot(native).get()
            #expect(Array(buffer: frame.jpeg) == jpegs[0])
            #expect(script.starts == 1)
            #expect(!hub.counts.running, "no stream was started")
        }
    }
}

extension I420Image {
    fileprivate var meanU: Double { Double(bytes[uRange].reduce(0) { $0 + Int($1) }) / Double(uRange.count) }
}
