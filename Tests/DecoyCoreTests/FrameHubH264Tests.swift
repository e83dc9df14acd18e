import DecoyCore
import DecoyMedia
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Keeps every access unit it is given, and whether it was told the camera went offline.
private final class AccessUnits: H264Subscriber {
    private let box = NIOLockedValueBox((frames: [H264Frame](), offline: false))
    func deliver(_ frame: H264Frame) { box.withLockedValue { $0.frames.append(frame) } }
    func cameraWentOffline() { box.withLockedValue { $0.offline = true } }
    var frames: [H264Frame] { box.withLockedValue { $0.frames } }
    var sequences: [UInt64] { frames.map(\.sequence) }
    var keyframes: [UInt64] { frames.filter(\.isKeyframe).map(\.sequence) }
    var wasToldOffline: Bool { box.withLockedValue { $0.offline } }
}

private let small = PixelSize(width: 160, height: 120)
private let larger = PixelSize(width: 320, height: 240)

/// A long group of pictures, so every IDR after the first is one a join or a change made.
private let longGOP = H264Variant(size: small, keyframeInterval: 1000)

/// A synthetic camera of `small` (10 fps unless told), on a manual clock at 10 000 ms whose timers
/// fire as it advances.
private struct CameraRig {
    let loop: any EventLoop
    let clock = ManualClock(startMilliseconds: 10_000, timers: .onAdvance)
    let hub: FrameHub

    init(loop: any EventLoop, framesPerSecond: Int = 10) {
        self.loop = loop
        hub = FrameHub(
            nativeSize: small, framesPerSecond: framesPerSecond, mediaLoop: loop, clock: clock,
            makeSource: { format in
                SyntheticVideoSource(
                    cameraName: "H.264 test", size: format.size, fps: format.framesPerSecond, seed: 5
                ) { number, time in SceneState(frameNumber: number, timeMilliseconds: time) }
            })
    }

    /// A new subscriber of `variant`, subscribed (and given what the hub had for it) on return.
    func watch(_ variant: H264Variant) async throws -> AccessUnits {
        let viewer = AccessUnits()
        hub.subscribe(viewer, variant: variant)
        try await settle(loop)
        return viewer
    }
}

/// Runs `body` with a fresh camera, shut down afterwards (every subscriber goes with it).
private func withCamera(framesPerSecond: Int = 10, _ body: (CameraRig) async throws -> Void) async throws {
    try await withEventLoopGroup { group in
        let camera = CameraRig(loop: group.next(), framesPerSecond: framesPerSecond)
        try await body(camera)
        camera.hub.shutdown()
        try await settle(camera.loop)
    }
}

@Suite("FrameHub H.264 variants")
struct FrameHubH264Tests {
    @Test("two subscribers of a variant get the same access units, encoded once per frame")
    func encodedOnceShared() async throws {
        try await withCamera { camera in
            let first = try await camera.watch(longGOP)
            let second = try await camera.watch(longGOP)
            camera.clock.advance(by: 1_000)
            let counts = try await settledCounts(camera.hub)
            #expect(first.sequences == Array(1...11))
            #expect(counts.h264FramesEncoded == 11, "one encode per frame, not per subscriber")
            #expect(counts.h264EncodeNanoseconds > 0)
            #expect(counts.variantsEncoded == 0, "no JPEG was made for H.264 viewers")
            // The second joined after frame 1 was handed out: it starts at the IDR its joining asked for.
            #expect(second.sequences == Array(2...11))
            for (mine, theirs) in zip(first.frames.dropFirst(), second.frames) {
                #expect(storageAddress(mine.payload) == storageAddress(theirs.payload), "shared, not copied")
            }
        }
    }

    @Test("with no subscriber left nothing is encoded and the camera stops")
    func stopsWithoutSubscribers() async throws {
        try await withCamera { camera in
            let viewer = try await camera.watch(longGOP)
            camera.clock.advance(by: 300)
            camera.hub.unsubscribe(viewer, variant: longGOP)
            let stopped = try await settledCounts(camera.hub)
            #expect(!stopped.running)
            #expect(stopped.h264FramesEncoded == 4)
            camera.clock.advance(by: 1_000)
            let later = try await settledCounts(camera.hub)
            #expect(later.h264FramesEncoded == 4)
            #expect(later.framesProduced == stopped.framesProduced)
            #expect(viewer.frames.count == 4)
        }
    }

    @Test("a joining subscriber starts on an IDR at the next frame; forced IDRs are 100 ms apart at least")
    func keyframeOnJoin() async throws {
        try await withCamera(framesPerSecond: 20) { camera in
            let early = try await camera.watch(longGOP)
            camera.clock.advance(by: 2_000)  // frames 1...41, 50 ms apart: only the first is an IDR
            #expect(early.keyframes == [1])

            let joiner = try await camera.watch(longGOP)
            camera.clock.advance(by: 50)  // frame 42, forced
            #expect(joiner.sequences == [42])
            #expect(joiner.frames.first?.nalTypes == [.sequenceParameterSet, .pictureParameterSet, .idrSlice])

            let late = try await camera.watch(longGOP)  // 50 ms after the forced IDR: deferred
            camera.clock.advance(by: 300)  // frames 43...48
            #expect(late.sequences.first == 44, "the forced IDR of frame 42 was at +0 ms, the next may come at +100")
            #expect(late.frames.first?.isKeyframe == true)
            #expect(early.keyframes == [1, 42, 44])
            #expect(early.sequences == Array(1...48), "the first subscriber missed nothing")

            camera.hub.requestKeyframe(longGOP)  // the RTSP layer may ask too, under the same limit
            try await settle(camera.loop)
            camera.clock.advance(by: 300)
            #expect(early.keyframes == [1, 42, 44, 49])
        }
    }

    @Test("an IDR comes every keyframe interval: one second of frames by default")
    func groupOfPictures() async throws {
        try await withCamera { camera in
            let viewer = try await camera.watch(H264Variant(size: small))
            camera.clock.advance(by: 2_500)
            #expect(viewer.keyframes == [1, 11, 21])
        }
    }

    @Test("a stream slower than the camera takes frames evenly, with its own rate and interval")
    func slowerStream() async throws {
        try await withCamera { camera in
            let viewer = try await camera.watch(H264Variant(size: small, framesPerSecond: 5))
            camera.clock.advance(by: 2_000)
            #expect(viewer.sequences == Array(stride(from: 1, through: 21, by: 2)))
            #expect(viewer.frames.allSatisfy { $0.framesPerSecond == 5 })
            #expect(viewer.keyframes == [1, 11, 21], "one second at 5 fps is 5 of its frames")
        }
    }

    @Test("a new camera size starts new encoders: an IDR with new SPS and PPS, at once")
    func formatChange() async throws {
        try await withCamera { camera in
            let native = try await camera.watch(H264Variant(size: small, keyframeInterval: 1000, followsNative: true))
            let fixed = try await camera.watch(longGOP)
            camera.clock.advance(by: 300)
            let before = try #require(native.frames.last)
            camera.hub.setFormat(size: larger)
            try await settle(camera.loop)
            camera.clock.advance(by: 300)

            let changed = native.frames.filter { $0.sequence > before.sequence }
            #expect(changed.count == 3)
            #expect(changed.map(\.isKeyframe) == [true, false, false])
            #expect(changed.allSatisfy { $0.size == larger })
            let first = try #require(changed.first)
            #expect(first.parameterSets.sequence.size == larger)
            #expect(first.parameterSets != before.parameterSets)
            #expect(Array(buffer: first.nalUnits[0]) == first.parameterSets.sequenceParameterSet)

            let fixedAfter = fixed.frames.filter { $0.sequence > before.sequence }
            #expect(fixedAfter.first?.isKeyframe == true, "a new picture source: a fresh start for every stream")
            #expect(fixedAfter.allSatisfy { $0.size == small && $0.parameterSets == before.parameterSets })
        }
    }

    @Test("SPS and PPS are known before any frame and are what the stream's first IDR carries")
    func parameterSetsBeforeFrames() async throws {
        try await withCamera { camera in
            let sets = try await camera.hub.parameterSets(longGOP).get()
            let idle = try await settledCounts(camera.hub)
            #expect(idle.framesProduced == 0 && idle.h264FramesEncoded == 0 && !idle.running)
            #expect(sets.sequence.size == small)
            #expect(sets.sequence.isConstrainedBaseline)

            let viewer = try await camera.watch(longGOP)
            let first = try #require(viewer.frames.first)
            let inBand = first.nalUnits.prefix(2).map { Array(buffer: $0) }
            #expect(inBand == [sets.sequenceParameterSet, sets.pictureParameterSet])
            #expect(try await camera.hub.parameterSets(longGOP).get() == sets, "the running encoder's, the same")

            let odd = H264Variant(size: PixelSize(width: 161, height: 120))
            await #expect(throws: H264Error.self) { try await camera.hub.parameterSets(odd).get() }
        }
    }

    @Test("frames carry the clock's times, and the same clock times give the same bytes")
    func followsTheClock() async throws {
        var runs: [[H264Frame]] = []
        for pause in [0, 30] {
            try await withCamera { camera in
                let viewer = try await camera.watch(H264Variant(size: small, keyframeInterval: 4))
                for _ in 0..<4 {
                    if pause > 0 { try await Task.sleep(for: .milliseconds(pause)) }
                    camera.clock.advance(by: 250)
                }
                runs.append(viewer.frames)
            }
        }
        #expect(runs[0].map(\.timeMilliseconds) == (0...10).map { 10_000 + Int64($0) * 100 })
        #expect(runs[0].map(\.sequence) == runs[1].map(\.sequence))
        #expect(runs[0].map(\.timeMilliseconds) == runs[1].map(\.timeMilliseconds))
        #expect(runs[0].map { Array(buffer: $0.payload) } == runs[1].map { Array(buffer: $0.payload) })
    }

    @Test("a frozen camera's stream goes on: P-frames of the same picture, with advancing times")
    func frozen() async throws {
        try await withCamera { camera in
            let viewer = try await camera.watch(longGOP)
            camera.clock.advance(by: 200)
            camera.hub.setHealth(.frozen)
            try await settle(camera.loop)
            camera.clock.advance(by: 300)
            let frames = viewer.frames
            #expect(frames.map(\.sequence) == Array(1...6))
            #expect(frames.map(\.timeMilliseconds) == (0...5).map { 10_000 + Int64($0) * 100 })
            #expect(frames.dropFirst().allSatisfy { !$0.isKeyframe })
            let live = frames[2].payload.readableBytes
            #expect(frames[4...].allSatisfy { $0.payload.readableBytes < live }, "an unchanged picture costs little")
        }
    }

    @Test("a camera going offline tells its H.264 subscribers")
    func offline() async throws {
        try await withCamera { camera in
            let viewer = try await camera.watch(longGOP)
            camera.hub.setHealth(.offline)
            try await settle(camera.loop)
            #expect(viewer.wasToldOffline)
        }
    }
}
