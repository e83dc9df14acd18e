import DecoyMedia
import Testing

@Suite("Synthetic renderer: determinism, caching, what changes between frames")
struct RendererTests {
    let time: Int64 = 1_700_000_000_000

    @Test("same seed and state give identical bytes, also after other states")
    func deterministic() {
        let state = SceneState(frameNumber: 77, timeMilliseconds: time, viewport: Viewport(pan: 0.3, zoom: 1.7))
        let first = Fixture.renderer()
        let reference = first.render(state)
        _ = first.render(SceneState(viewport: Viewport(tilt: -1, focus: 0), led: .on, movingObject: true))
        #expect(first.render(state) == reference)
        #expect(Fixture.renderer().render(state) == reference)
    }

    @Test("different seeds draw different worlds")
    func seedsDiffer() {
        let state = SceneState(timeMilliseconds: time)
        #expect(Fixture.renderer(seed: 1).render(state) != Fixture.renderer(seed: 2).render(state))
    }

    @Test("a new frame number changes only the strip and the counter")
    func frameNumberChange() throws {
        let renderer = Fixture.renderer()
        let size = renderer.size
        let before = renderer.render(SceneState(frameNumber: 41, timeMilliseconds: time))
        let after = renderer.render(SceneState(frameNumber: 42, timeMilliseconds: time))
        let strip = PixelRect(x: 0, y: 0, width: size.width, height: FrameID.stripHeight(for: size))
        let counterCorner = PixelRect(x: 0, y: size.height * 9 / 10, width: size.width / 4, height: size.height / 10)
        #expect(after.lumaDiffers(from: before, in: strip))
        #expect(after.lumaDiffers(from: before, in: counterCorner))
        #expect(!after.lumaDiffers(from: before, outside: [strip, counterCorner]))
        #expect(after.sameChroma(as: before))
    }

    @Test("a new second changes only the clock in the top-right corner")
    func clockChange() throws {
        let renderer = Fixture.renderer()
        let size = renderer.size
        let before = renderer.render(SceneState(frameNumber: 1, timeMilliseconds: time))
        let after = renderer.render(SceneState(frameNumber: 1, timeMilliseconds: time + 1000))
        let changed = try #require(after.lumaDifferenceBounds(from: before))
        let clockCorner = PixelRect(
            x: size.width / 2, y: FrameID.stripHeight(for: size), width: size.width / 2, height: size.height / 10)
        #expect(clockCorner.encloses(changed), "changed area \(changed)")
        #expect(after.sameChroma(as: before))
        #expect(renderer.render(SceneState(frameNumber: 1, timeMilliseconds: time + 999)) == before)
    }

    @Test("the moving object moves with time and is drawn only when enabled")
    func movingObject() throws {
        let renderer = Fixture.renderer()
        let early = SceneState(timeMilliseconds: time + 100, movingObject: true)
        let late = SceneState(timeMilliseconds: time + 900, movingObject: true)
        let changed = try #require(renderer.render(late).lumaDifferenceBounds(from: renderer.render(early)))
        let from = MovingObject.bounds(atMilliseconds: early.timeMilliseconds, in: renderer.size)
        let to = MovingObject.bounds(atMilliseconds: late.timeMilliseconds, in: renderer.size)
        #expect(to.x > from.x)
        let union = PixelRect(x: from.x, y: from.y, width: to.maxX - from.x, height: from.height)
        #expect(union.encloses(changed), "changed area \(changed), object \(from) -> \(to)")
        var still = early
        still.movingObject = false
        var stillLate = late
        stillLate.movingObject = false
        #expect(renderer.render(still) == renderer.render(stillLate))
        #expect(renderer.render(still) != renderer.render(early))
    }

    @Test("the background is rebuilt only when the viewport or LED changes")
    func backgroundCache() {
        let renderer = Fixture.renderer(Fixture.qvga)
        for frame in 0..<5 { _ = renderer.render(SceneState(frameNumber: UInt64(frame), timeMilliseconds: time)) }
        #expect(renderer.backgroundRenderCount == 1)
        _ = renderer.render(SceneState(viewport: Viewport(pan: 1)))
        #expect(renderer.backgroundRenderCount == 2)
        _ = renderer.render(SceneState(viewport: Viewport(pan: 5)))  // clamps to the same viewport
        #expect(renderer.backgroundRenderCount == 2)
        _ = renderer.render(SceneState(viewport: Viewport(pan: 1), led: .on))
        #expect(renderer.backgroundRenderCount == 3)
    }

    @Test(
        "odd and small sizes render with a readable frame id",
        arguments: [
            PixelSize(width: 321, height: 241), PixelSize(width: 160, height: 120), PixelSize(width: 1279, height: 719),
        ])
    func oddSizes(size: PixelSize) {
        let frame = Fixture.renderer(size).render(SceneState(frameNumber: 31337, led: .auto, movingObject: true))
        #expect(frame.size == size)
        #expect(frame.bytes.count == I420Image.byteCount(for: size))
        #expect(FrameID.decode(frame) == 31337)
    }
}
