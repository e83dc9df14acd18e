import DecoyMedia
import Testing

/// Direction checks through the world's chroma ramps (U grows to the right, V grows downwards), measured on
/// decoded JPEGs as a client would see them.
@Suite("PTZ moves the view over the world")
struct PTZTests {
    let renderer = Fixture.renderer()

    func decoded(_ viewport: Viewport) throws -> I420Image {
        try Fixture.roundTrip(renderer.render(SceneState(viewport: viewport)))
    }

    @Test("panning right raises mean U and leaves V alone")
    func panRight() throws {
        let frames = try [-1, -0.5, 0, 0.5, 1].map { try decoded(Viewport(pan: $0)) }
        let means = frames.map(\.meanU)
        #expect(zip(means, means.dropFirst()).allSatisfy { $1 > $0 + 5 }, "mean U \(means)")
        #expect(abs(frames[0].meanV - frames[4].meanV) < 1)
    }

    @Test("tilting up lowers mean V and leaves U alone")
    func tiltUp() throws {
        let frames = try [-1, 0, 1].map { try decoded(Viewport(tilt: $0)) }
        let means = frames.map(\.meanV)
        #expect(zip(means, means.dropFirst()).allSatisfy { $1 < $0 - 5 }, "mean V \(means)")
        #expect(abs(frames[0].meanU - frames[2].meanU) < 1)
    }

    @Test("zooming in shrinks the left-to-right spread of U")
    func zoomIn() throws {
        let spreads = try [1, 2, 4].map { zoom -> Double in
            let frame = try decoded(Viewport(zoom: zoom))
            let columns = frame.chromaSize.width
            let edge = columns / 10
            return frame.meanU(columns: (columns - edge)..<columns) - frame.meanU(columns: 0..<edge)
        }
        #expect(zip(spreads, spreads.dropFirst()).allSatisfy { $1 < $0 * 0.7 }, "spreads \(spreads)")
        #expect(spreads[2] > 0)
    }

    @Test("at pan ±1 the view touches the world's edge and goes no further")
    func edges() throws {
        let right = renderer.render(SceneState(viewport: Viewport(pan: 1)))
        let columns = right.chromaSize.width
        #expect(abs(right.meanU(columns: (columns - 1)..<columns) - 196) < 2)
        #expect(renderer.render(SceneState(viewport: Viewport(pan: 3))) == right)
        let left = renderer.render(SceneState(viewport: Viewport(pan: -1)))
        #expect(abs(left.meanU(columns: 0..<1) - 60) < 2)
        #expect(abs(left.meanU(columns: (columns - 1)..<columns) - 128) < 4)
    }
}
