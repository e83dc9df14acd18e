import DecoyMedia
import Testing

@Suite("LED, iris and focus effects")
struct SceneEffectsTests {
    let renderer = Fixture.renderer()

    func frame(led: LEDMode = .off, viewport: Viewport = .home) -> I420Image {
        renderer.render(SceneState(viewport: viewport, led: led))
    }

    @Test("LED on makes the decoded frame clearly brighter")
    func ledOnIsBrighter() throws {
        let on = try Fixture.roundTrip(frame(led: .on))
        let off = try Fixture.roundTrip(frame(led: .off))
        #expect(on.meanY > off.meanY + 25, "on \(on.meanY), off \(off.meanY)")
    }

    @Test("LED auto only adds the indicator in the bottom-right corner")
    func ledAutoIndicator() throws {
        let size = renderer.size
        let auto = frame(led: .auto)
        let off = frame(led: .off)
        let changed = try #require(auto.lumaDifferenceBounds(from: off))
        let corner = PixelRect(
            x: size.width / 2, y: size.height * 9 / 10, width: size.width / 2, height: size.height / 10)
        #expect(corner.encloses(changed), "changed area \(changed)")
        #expect(frame(led: .on).lumaDifferenceBounds(from: frame(led: .off)) != nil)
    }

    @Test("a wider iris gives a brighter picture")
    func iris() {
        let means = [0.1, 0.5, 0.9].map { frame(viewport: Viewport(iris: $0)).meanY }
        #expect(means[0] < means[1] - 10 && means[1] < means[2] - 10, "means \(means)")
    }

    @Test("moving focus away from 0.5 removes detail in either direction")
    func focus() {
        let sharp = frame(viewport: Viewport(focus: 0.5)).lumaDetail
        let near = frame(viewport: Viewport(focus: 0)).lumaDetail
        let far = frame(viewport: Viewport(focus: 1)).lumaDetail
        let slight = frame(viewport: Viewport(focus: 0.4)).lumaDetail
        #expect(near < sharp / 2 && far < sharp / 2, "sharp \(sharp), near \(near), far \(far)")
        #expect(slight < sharp && slight > near, "slight \(slight)")
    }
}
