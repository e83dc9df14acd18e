import DecoyMedia
import Testing

@Suite("Motion detector: fires on moving things, not on noise, JPEG, the overlay or lighting")
struct MotionDetectorTests {
    let size = Fixture.vga

    /// Analyses `frames` frames of the renderer at 15 fps, `state(index)` giving each frame's scene.
    ///
    /// Seconds of CPU work: it yields after every frame, since tests run on the cooperative thread
    /// pool (one thread per core, two on CI) and a test holding a thread that long stalls every other
    /// test's async work, the test servers' request handling included, into their timeouts.
    func measure(
        _ detector: MotionDetector, frames: Int, jpegQuality: Int? = nil, noise: SensorNoise? = nil,
        brightening: (Int) -> Int = { _ in 0 }, state: (Int) -> SceneState
    ) async throws -> [MotionMeasurement] {
        let renderer = Fixture.renderer(size)
        var noise = noise
        var results: [MotionMeasurement] = []
        for index in 0..<frames {
            var frame = renderer.render(state(index))
            noise?.add(to: &frame)
            frame.brighten(by: brightening(index))
            if let jpegQuality { frame = try Fixture.roundTrip(frame, quality: jpegQuality) }
            results.append(detector.analyze(frame))
            await Task.yield()
        }
        return results
    }

    func still(_ index: Int) -> SceneState {
        SceneState(frameNumber: UInt64(index), timeMilliseconds: MotionFixture.time(ofFrame: index))
    }

    @Test("fires on the moving box, with the region on the box", arguments: [nil, 70])
    func movingBox(jpegQuality: Int?) async throws {
        let warmUp = 15
        let results = try await measure(MotionFixture.detector(), frames: 45, jpegQuality: jpegQuality) { index in
            var state = still(index)
            state.movingObject = index >= warmUp
            return state
        }
        for index in warmUp..<results.count {
            let box = MovingObject.bounds(atMilliseconds: MotionFixture.time(ofFrame: index), in: size)
            let result = results[index]
            #expect(result.isMotion, "frame \(index): \(result.changedPercent) %")
            #expect(result.region.map { $0.overlaps(box) } == true, "frame \(index): \(result) vs \(box)")
        }
    }

    /// Runs `object` across a 640x480 scene (one second of empty scene first, so the background is learnt)
    /// and checks every frame: no motion before it appears, motion with the region on it while it is wholly in
    /// view. `iris` may drift the exposure and `brightening` the luma of every pixel meanwhile.
    func expectDetected(
        _ object: SceneObject, jpegQuality: Int?, iris: @escaping (Int) -> Double = { _ in 0.5 },
        brightening: (Int) -> Int = { _ in 0 }
    ) async throws {
        let results = try await measure(
            MotionFixture.detector(), frames: 15 + 120, jpegQuality: jpegQuality, brightening: brightening
        ) { index in
            var state = still(index)
            state.objects = [object]
            state.viewport.iris = iris(index)
            return state
        }
        var checked = 0
        for (index, result) in results.enumerated() {
            let time = MotionFixture.time(ofFrame: index)
            guard let bounds = object.bounds(atMilliseconds: time, in: size) else {
                #expect(!result.isMotion, "frame \(index) before the object: \(result)")
                continue
            }
            // Judge only frames where the object is wholly in view; entering and leaving it may be too small.
            guard bounds.clipped(to: size) == bounds else { continue }
            checked += 1
            #expect(result.isMotion, "\(object.kind) frame \(index): \(result.changedPercent) %")
            #expect(
                result.region.map { $0.overlaps(bounds) } == true,
                "\(object.kind) frame \(index): \(result) vs \(bounds)")
        }
        #expect(checked >= 30, "only \(checked) frames had the \(object.kind) wholly in view")
    }

    func crossing(_ kind: SceneObjectKind) -> SceneObject {
        SceneObject(kind: kind, startMilliseconds: MotionFixture.time(ofFrame: 15), durationMilliseconds: 8000, seed: 5)
    }

    @Test(
        "fires on every kind of scene object crossing, with the region on the object",
        arguments: SceneObjectKind.allCases, [nil, 70])
    func sceneObjects(kind: SceneObjectKind, jpegQuality: Int?) async throws {
        try await expectDetected(crossing(kind), jpegQuality: jpegQuality)
    }

    @Test("a person crossing while the exposure drifts (iris opening over 9 s) is found, the drift is not motion")
    func exposureDrift() async throws {
        try await expectDetected(crossing(.person), jpegQuality: 70) { index in 0.5 + 0.4 * Double(index) / 135 }
    }

    /// Without the global offset the background would lag a ±45 luma swing by more than the threshold, so every
    /// cell would differ: motion everywhere, or (with the lighting-change fallback) frames with the person lost.
    @Test("a person crossing while the light swings by 45 luma levels every 2 s is found, the swing is not motion")
    func lightingSwing() async throws {
        try await expectDetected(
            crossing(.person), jpegQuality: 70,
            brightening: { index in
                let phase = index % 60
                return 3 * min(phase, 60 - phase) / 2
            })
    }

    @Test("silent on 60 s of a still scene at 15 fps with sensor noise and JPEG quality 30, overlay masked")
    func stillSceneWithNoise() async throws {
        let results = try await measure(
            MotionFixture.detector(), frames: 900, jpegQuality: 30, noise: SensorNoise(seed: 42), state: still)
        let worst = results.map(\.changedPercent).max() ?? 0
        #expect(results.allSatisfy { !$0.isMotion }, "worst frame changed \(worst) %")
        #expect(worst < MotionSettings().minimumAreaPercent / 5, "worst frame changed \(worst) %")
    }

    @Test("without the overlay mask, the frame-id strip, counter and clock do trigger it")
    func overlayNeedsMask() async throws {
        let results = try await measure(MotionFixture.detector(masked: false), frames: 150, state: still)
        #expect(results.filter(\.isMotion).count > 10)
    }

    @Test("switching the LED on (a global brightness step) is not motion")
    func ledStep() async throws {
        let results = try await measure(MotionFixture.detector(), frames: 40, jpegQuality: 70) { index in
            var state = still(index)
            state.led = index >= 20 ? .on : .off
            return state
        }
        #expect(results.allSatisfy { !$0.isMotion }, "\(results.filter(\.isMotion))")
    }

    /// A flat grey frame of `size` with `patch` painted white.
    func flat(_ size: PixelSize, patch: PixelRect? = nil, luma: UInt8 = 200) -> I420Image {
        var image = I420Image(size: size, fillY: 90)
        if let patch {
            let clipped = patch.clipped(to: size)
            for y in clipped.y..<clipped.maxY {
                for x in clipped.x..<clipped.maxX { image.bytes[y * size.width + x] = luma }
            }
        }
        return image
    }

    @Test("a change inside a masked rectangle never counts; the same change outside does")
    func maskedCells() {
        let patch = PixelRect(x: 200, y: 200, width: 80, height: 80)
        let masked = MotionDetector(settings: MotionSettings(), mask: [patch.outset(by: 4)])
        let unmasked = MotionDetector(
            settings: MotionSettings(), mask: [PixelRect(x: 0, y: 0, width: 100, height: 100)])
        for detector in [masked, unmasked] { _ = detector.analyze(flat(size)) }
        let changed = flat(size, patch: patch)
        #expect(masked.analyze(changed) == .none)
        let result = unmasked.analyze(changed)
        #expect(result.isMotion)
        #expect(result.region == patch, "\(String(describing: result.region))")
    }

    @Test("sensitivity sets how large a luma change counts")
    func sensitivity() {
        let patch = PixelRect(x: 160, y: 160, width: 160, height: 160)
        let weak = flat(size, patch: patch, luma: 105)
        for (sensitivity, fires) in [(50, false), (100, true)] {
            let detector = MotionDetector(settings: MotionSettings(sensitivity: sensitivity))
            _ = detector.analyze(flat(size))
            #expect(detector.analyze(weak).isMotion == fires, "sensitivity \(sensitivity)")
        }
    }

    @Test("the minimum area sets how much of the picture must change")
    func minimumArea() {
        let patch = PixelRect(x: 320, y: 240, width: 64, height: 64)  // 64 of 4 800 cells: 1.33 %
        for (area, fires) in [(0.5, true), (2.0, false)] {
            let detector = MotionDetector(settings: MotionSettings(minimumAreaPercent: area))
            _ = detector.analyze(flat(size))
            let result = detector.analyze(flat(size, patch: patch))
            #expect(result.isMotion == fires, "minimum \(area) %")
            #expect(abs(result.changedPercent - 100.0 * 64 / 4800) < 0.01, "\(result.changedPercent)")
        }
    }

    @Test("the first frame and a new frame size are learnt, not compared; tiny frames work")
    func sizesAndReset() {
        let detector = MotionDetector(settings: MotionSettings())
        #expect(detector.analyze(flat(size)) == .none)
        let tiny = PixelSize(width: 16, height: 16)
        #expect(detector.analyze(flat(tiny, patch: PixelRect(x: 4, y: 4, width: 6, height: 6))) == .none)
        #expect(detector.analyze(flat(tiny, patch: PixelRect(x: 4, y: 4, width: 6, height: 6))) == .none)
        let result = detector.analyze(flat(tiny))
        #expect(result.isMotion)
        #expect(result.region == PixelRect(x: 4, y: 4, width: 6, height: 6))
        detector.reset()
        #expect(detector.analyze(flat(tiny, patch: PixelRect(x: 0, y: 0, width: 8, height: 8))) == .none)
    }

    @Test("an empty or malformed frame reports no motion instead of crashing")
    func badFrames() {
        let detector = MotionDetector(settings: MotionSettings())
        _ = detector.analyze(flat(size))
        var broken = flat(size, patch: PixelRect(x: 0, y: 0, width: 320, height: 240))
        broken.bytes = Array(broken.bytes.prefix(100))
        #expect(detector.analyze(broken) == .none)
        #expect(detector.analyze(I420Image(size: PixelSize(width: 0, height: 0))) == .none)
        #expect(detector.analyze(flat(size)) == .none)
    }

    @Test("settings outside their ranges are moved to the nearest valid value")
    func settingsClamp() {
        #expect(MotionSettings(sensitivity: 0).sensitivity == 1)
        #expect(MotionSettings(sensitivity: 500).sensitivity == 100)
        #expect(MotionSettings(minimumAreaPercent: -3).minimumAreaPercent == 0.01)
        #expect(MotionSettings(minimumAreaPercent: 1e9).minimumAreaPercent == 100)
        #expect(MotionSettings(minimumAreaPercent: .nan).minimumAreaPercent == 0.5)
    }

    @Test("the overlay regions cover every overlay item and leave the scene between them")
    func overlayRegions() throws {
        for size in [Fixture.qvga, Fixture.vga, Fixture.hd] {
            let renderer = Fixture.renderer(size)
            let regions = SyntheticOverlay.dynamicRegions(for: size)
            let plain = renderer.render(SceneState(frameNumber: 1, timeMilliseconds: MotionFixture.start))
            let changed = renderer.render(
                SceneState(frameNumber: 98_765, timeMilliseconds: MotionFixture.start + 61_000, led: .on))
            let lit = renderer.render(SceneState(frameNumber: 1, timeMilliseconds: MotionFixture.start, led: .on))
            #expect(!changed.lumaDiffers(from: lit, outside: regions), "\(size)")
            #expect(plain.lumaDiffers(from: lit, in: regions[1]), "\(size): LED indicator in the bottom region")
            let scene = try #require(regions.count == 2 ? regions[1].y - regions[0].maxY : nil)
            #expect(scene > size.height * 3 / 4, "\(size): scene rows \(scene)")
        }
    }
}

extension I420Image {
    /// Adds `amount` to every luma sample (clamped), as a change of daylight or auto exposure would.
    mutating func brighten(by amount: Int) {
        guard amount != 0 else { return }
        for index in lumaRange { bytes[index] = UInt8(min(max(Int(bytes[index]) + amount, 0), 255)) }
    }
}
