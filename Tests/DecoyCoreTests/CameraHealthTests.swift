import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

private let size = PixelSize(width: 320, height: 240)

/// Synthetic frames (each with its frame id), counting in `asked` how often the hub asks for one.
private final class CountedSource: VideoSource {
    let inner = SyntheticVideoSource(cameraName: "Health", size: size, fps: 20, seed: 5) { number, time in
        SceneState(frameNumber: number, timeMilliseconds: time)
    }
    let asked: NIOLockedValueBox<Int>

    init(asked: NIOLockedValueBox<Int>) { self.asked = asked }

    var nativeSize: PixelSize { size }
    var framesPerSecond: Int { 20 }
    func start() throws {}
    func stop() {}
    func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? {
        asked.withLockedValue { $0 += 1 }
        return try inner.frame(number: number, timeMilliseconds: timeMilliseconds)
    }
}

/// Records frames and the offline signal.
private final class HealthCollector: FrameSubscriber {
    private let box = NIOLockedValueBox((frames: [EncodedFrame](), offline: 0))

    func deliver(_ frame: EncodedFrame) { box.withLockedValue { $0.frames.append(frame) } }
    func cameraWentOffline() { box.withLockedValue { $0.offline += 1 } }

    var frames: [EncodedFrame] { box.withLockedValue { $0.frames } }
    var offlineSignals: Int { box.withLockedValue { $0.offline } }
}

private let variant = FrameVariant(size: size, quality: 80)

/// A running hub with one collector; `body` gets the hub, the collector and the source.
private func withRunningHub(
    _ body: (FrameHub, HealthCollector, _ asked: NIOLockedValueBox<Int>) async throws -> Void
) async throws {
    try await withEventLoopGroup { group in
        let source = NIOLockedValueBox(0)
        let hub = FrameHub(
            nativeSize: size, framesPerSecond: 20, mediaLoop: group.next(), clock: ManualClock(),
            makeSource: { _ in CountedSource(asked: source) })
        let collector = HealthCollector()
        hub.subscribe(collector, variant: variant)
        #expect(await eventually { collector.frames.count >= 2 })
        try await body(hub, collector, source)
        hub.unsubscribe(collector, variant: variant)
        #expect(await eventually { !hub.counts.running })
    }
}

/// Sets `health` and returns how many frames had been delivered by then: every later frame follows it.
private func switchTo(_ health: CameraHealth, _ hub: FrameHub, _ collector: HealthCollector) async throws -> Int {
    hub.setHealth(health)
    return try await hub.mediaLoop.submit { collector.frames.count }.get()
}

private func pixels(_ frame: EncodedFrame) throws -> I420Image {
    try JPEGDecoder().decodeI420(Array(buffer: frame.jpeg))
}

@Suite("Camera health in the frame hub")
struct CameraHealthTests {
    @Test("frozen: the source is not asked, identical pictures keep coming as new frames")
    func frozen() async throws {
        try await withRunningHub { hub, collector, source in
            let from = try await switchTo(.frozen, hub, collector)
            let asked = source.withLockedValue { $0 }
            #expect(await eventually { collector.frames.count >= from + 4 })
            let frozen = Array(collector.frames[(from - 1)...])
            #expect(source.withLockedValue { $0 } == asked)
            let first = Array(buffer: frozen[0].jpeg)
            #expect(frozen.allSatisfy { Array(buffer: $0.jpeg) == first })
            #expect(frozen.allSatisfy { $0.timeMilliseconds == frozen[0].timeMilliseconds })
            let sequences = frozen.map(\.sequence)
            #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }, "\(sequences)")
            #expect(hub.health == .frozen)
        }
    }

    @Test("back to live: the source is asked again and the picture moves on")
    func liveResumes() async throws {
        try await withRunningHub { hub, collector, source in
            let frozenFrom = try await switchTo(.frozen, hub, collector)
            #expect(await eventually { collector.frames.count >= frozenFrom + 2 })
            let asked = source.withLockedValue { $0 }
            let from = try await switchTo(.live, hub, collector)
            let frozenPicture = try pixels(collector.frames[from - 1])
            #expect(await eventually { collector.frames.count >= from + 2 })
            #expect(source.withLockedValue { $0 } > asked)
            let next = collector.frames[from]
            #expect(FrameID.decode(try pixels(next)) == UInt32(next.sequence))
            #expect(try pixels(next) != frozenPicture)
        }
    }

    @Test("black: video black of the native size, no overlay, source not asked")
    func black() async throws {
        try await withRunningHub { hub, collector, source in
            let from = try await switchTo(.black, hub, collector)
            let asked = source.withLockedValue { $0 }
            #expect(await eventually { collector.frames.count >= from + 2 })
            let image = try pixels(collector.frames[from])
            #expect(image.size == size)
            #expect(image.bytes[image.lumaRange].allSatisfy { (14...18).contains($0) })
            #expect(image.bytes[image.uOffset...].allSatisfy { (126...130).contains($0) })
            #expect(FrameID.decode(image) == nil)
            #expect(source.withLockedValue { $0 } == asked)
        }
    }

    @Test("noSignal: the NO SIGNAL card with the frame's own id")
    func noSignal() async throws {
        try await withRunningHub { hub, collector, source in
            let from = try await switchTo(.noSignal, hub, collector)
            let asked = source.withLockedValue { $0 }
            #expect(await eventually { collector.frames.count >= from + 2 })
            for frame in collector.frames[from...].prefix(2) {
                let image = try pixels(frame)
                #expect(FrameID.decode(image) == UInt32(frame.sequence))
                let expected = NoSignalCard(size: size).render(frameNumber: UInt32(frame.sequence))
                let differences = zip(image.bytes, expected.bytes).filter { abs(Int($0) - Int($1)) > 24 }.count
                #expect(differences < image.bytes.count / 100, "\(differences) samples differ from the card")
            }
            #expect(source.withLockedValue { $0 } == asked)
        }
    }

    @Test("offline: subscribers are told, no frames come, snapshots fail; online again resumes")
    func offline() async throws {
        try await withRunningHub { hub, collector, _ in
            let from = try await switchTo(.offline, hub, collector)
            #expect(await eventually { collector.offlineSignals == 1 })
            await #expect(throws: FrameHubError.self) { try await hub.snapshot(variant).get() }
            // Let the loop run a few frame intervals' worth of ticks: none delivers.
            for _ in 0..<3 { try await hub.mediaLoop.scheduleTask(in: hub.frameInterval) {}.futureResult.get() }
            #expect(collector.frames.count == from)
            let late = HealthCollector()
            hub.subscribe(late, variant: variant)
            #expect(await eventually { late.offlineSignals == 1 })
            hub.unsubscribe(late, variant: variant)
            hub.setHealth(.live)
            #expect(await eventually { collector.frames.count > from })
            #expect(try await hub.snapshot(variant).get().jpeg.readableBytes > 0)
            #expect(collector.offlineSignals == 1)
        }
    }
}
