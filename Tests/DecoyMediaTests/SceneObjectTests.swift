import DecoyMedia
import Testing

@Suite("Scene objects: where they are, how they cross, what the renderer draws")
struct SceneObjectTests {
    let start = MotionFixture.start
    let size = Fixture.vga

    func object(_ kind: SceneObjectKind, duration: Int64 = 8000, seed: UInt64 = 1) -> SceneObject {
        SceneObject(kind: kind, startMilliseconds: start, durationMilliseconds: duration, seed: seed)
    }

    @Test("present only from the start for the duration", arguments: SceneObjectKind.allCases)
    func activeSpan(kind: SceneObjectKind) {
        let crossing = object(kind)
        #expect(crossing.bounds(atMilliseconds: start - 1, in: size) == nil)
        #expect(crossing.bounds(atMilliseconds: start, in: size) != nil)
        #expect(crossing.bounds(atMilliseconds: start + 7999, in: size) != nil)
        #expect(crossing.bounds(atMilliseconds: start + 8000, in: size) == nil)
        #expect(object(kind, duration: 0).bounds(atMilliseconds: start, in: size) == nil)
        #expect(object(kind, duration: -5).bounds(atMilliseconds: start, in: size) == nil)
        #expect(crossing.bounds(atMilliseconds: start + 10, in: PixelSize(width: 0, height: 0)) == nil)
        let extreme = SceneObject(kind: kind, startMilliseconds: .min, durationMilliseconds: .max)
        #expect(extreme.bounds(atMilliseconds: .max, in: size) == nil)
    }

    @Test("walkers cross from one edge to the other, steadily", arguments: [SceneObjectKind.person, .vehicle, .pet])
    func crossing(kind: SceneObjectKind) throws {
        let crossing = object(kind, duration: 4000)
        let first = try #require(crossing.bounds(atMilliseconds: start, in: size))
        let last = try #require(crossing.bounds(atMilliseconds: start + 3999, in: size))
        #expect(first.clipped(to: size).isEmpty && last.clipped(to: size).width <= size.width / 50, "\(first) \(last)")
        let xs = stride(from: start, to: start + 4000, by: 200).compactMap {
            crossing.bounds(atMilliseconds: $0, in: size)?.x
        }
        let steps = zip(xs, xs.dropFirst()).map { $1 - $0 }
        #expect(steps.allSatisfy { $0 > 0 } || steps.allSatisfy { $0 < 0 }, "\(xs)")
    }

    @Test("a long event keeps crossing back and forth, each crossing no longer than the kind allows")
    func repeatedCrossings() throws {
        let event = object(.person, duration: 30_000)
        var directions: [Int] = []
        var inView = 0
        for time in stride(from: start, to: start + 30_000, by: 250) {
            let now = try #require(event.bounds(atMilliseconds: time, in: size))
            let next = try #require(event.bounds(atMilliseconds: time + 100, in: size))
            if !now.clipped(to: size).isEmpty { inView += 1 }
            let direction = (next.x - now.x).signum()
            if direction != 0, directions.last != direction { directions.append(direction) }
        }
        #expect(directions.count == 4, "30 s of a person is four crossings of 7.5 s: \(directions)")
        #expect(inView >= 110, "in view in \(inView) of 120 samples")
    }

    @Test("vehicles cross faster than people")
    func vehicleFaster() throws {
        let person = object(.person, duration: 30_000)
        let vehicle = object(.vehicle, duration: 30_000)
        func speed(_ crossing: SceneObject) throws -> Int {
            let a = try #require(crossing.bounds(atMilliseconds: start + 1000, in: size))
            let b = try #require(crossing.bounds(atMilliseconds: start + 1500, in: size))
            return abs(b.x - a.x)
        }
        let (fast, slow) = (try speed(vehicle), try speed(person))
        #expect(fast > slow * 3 / 2, "vehicle \(fast) px, person \(slow) px per 0.5 s")
    }

    @Test("a face approaches in the centre: it grows and stays centred")
    func faceApproaches() throws {
        let face = object(.face)
        let early = try #require(face.bounds(atMilliseconds: start + 500, in: size))
        let late = try #require(face.bounds(atMilliseconds: start + 7500, in: size))
        #expect(late.height > early.height * 2, "\(early) \(late)")
        for rect in [early, late] { #expect(abs(rect.x + rect.width / 2 - size.width / 2) <= 1, "\(rect)") }
    }

    @Test("every kind stays between the overlay lines at every frame size", arguments: SceneObjectKind.allCases)
    func belowOverlay(kind: SceneObjectKind) throws {
        for size in [Fixture.qvga, Fixture.vga, Fixture.hd] {
            let regions = SyntheticOverlay.dynamicRegions(for: size)
            for seed in 0..<UInt64(8) {
                let crossing = object(kind, duration: 20_000, seed: seed)
                for time in stride(from: start, to: start + 20_000, by: 500) {
                    let rect = try #require(crossing.bounds(atMilliseconds: time, in: size))
                    #expect(rect.y >= regions[0].maxY && rect.maxY <= regions[1].y, "\(size) seed \(seed): \(rect)")
                }
            }
        }
    }

    @Test(
        "the renderer draws each kind inside its bounds only, in distinct colour", arguments: SceneObjectKind.allCases)
    func drawn(kind: SceneObjectKind) throws {
        let renderer = Fixture.renderer()
        let crossing = object(kind)
        let time = start + 3000
        let plain = renderer.render(SceneState(frameNumber: 3, timeMilliseconds: time))
        let with = renderer.render(SceneState(frameNumber: 3, timeMilliseconds: time, objects: [crossing]))
        let bounds = try #require(crossing.bounds(atMilliseconds: time, in: size)).clipped(to: size)
        #expect(with.lumaDiffers(from: plain, in: bounds))
        #expect(!with.lumaDiffers(from: plain, outside: [bounds]))
        #expect(!with.sameChroma(as: plain))
        let again = renderer.render(SceneState(frameNumber: 3, timeMilliseconds: time, objects: [crossing]))
        #expect(again.lumaDifferenceBounds(from: with) == nil && again.sameChroma(as: with), "deterministic")
        let after = SceneState(frameNumber: 3, timeMilliseconds: time + 8000)
        var afterWith = after
        afterWith.objects = [crossing]
        let (later, laterPlain) = (renderer.render(afterWith), renderer.render(after))
        #expect(later.lumaDifferenceBounds(from: laterPlain) == nil && later.sameChroma(as: laterPlain), "gone after")
    }

    @Test("objects are fixed to the view: PTZ does not move them")
    func fixedToView() throws {
        let renderer = Fixture.renderer()
        let crossing = object(.person)
        let time = start + 4000
        let bounds = try #require(crossing.bounds(atMilliseconds: time, in: size))
        let panned = SceneState(timeMilliseconds: time, viewport: Viewport(pan: 0.6, tilt: -0.3, zoom: 2))
        var withPerson = panned
        withPerson.objects = [crossing]
        let changed = try #require(renderer.render(withPerson).lumaDifferenceBounds(from: renderer.render(panned)))
        #expect(bounds.encloses(changed), "\(changed) outside \(bounds)")
    }
}

@Suite("Ambient activity: something crosses the scene every interval or so")
struct AmbientActivityTests {
    let interval: Int64 = 60_000

    /// Every crossing starting in [0, `count` intervals), in order.
    func crossings(_ activity: AmbientActivity, intervals count: Int64) -> [SceneObject] {
        var found: [SceneObject] = []
        var time: Int64 = -1
        while let next = activity.nextObject(after: time),
            next.startMilliseconds < count * activity.meanIntervalMilliseconds
        {
            found.append(next)
            time = next.startMilliseconds
        }
        return found
    }

    @Test("the same seed gives the same crossings; another seed others")
    func deterministic() {
        let one = crossings(AmbientActivity(seed: 9), intervals: 10)
        #expect(one == crossings(AmbientActivity(seed: 9), intervals: 10))
        #expect(one != crossings(AmbientActivity(seed: 10), intervals: 10))
    }

    @Test("about one crossing of 6–8 s per interval, never two at once", arguments: [UInt64(1), 2, 3])
    func rate(seed: UInt64) {
        let activity = AmbientActivity(seed: seed, meanIntervalMilliseconds: interval)
        let found = crossings(activity, intervals: 10)
        #expect(found.count >= 10)
        #expect(found.allSatisfy { (6000...8000).contains($0.durationMilliseconds) && $0.kind != .face })
        for (earlier, later) in zip(found, found.dropFirst()) {
            #expect(earlier.startMilliseconds + earlier.durationMilliseconds <= later.startMilliseconds)
        }
    }

    @Test("objects(atMilliseconds:) shows a crossing exactly while it is under way")
    func objectsInView() throws {
        let activity = AmbientActivity(seed: 4)
        let first = try #require(activity.nextObject(after: 0))
        let end = first.startMilliseconds + first.durationMilliseconds
        #expect(activity.objects(atMilliseconds: first.startMilliseconds - 1).isEmpty)
        #expect(activity.objects(atMilliseconds: first.startMilliseconds) == [first])
        #expect(activity.objects(atMilliseconds: end - 1) == [first])
        #expect(activity.objects(atMilliseconds: end).isEmpty)
        #expect(activity.nextObject(after: first.startMilliseconds) != first)
    }

    @Test("over many intervals people, vehicles and pets all cross")
    func kinds() {
        let kinds = Set(
            crossings(AmbientActivity(seed: 5, meanIntervalMilliseconds: 10_000), intervals: 100).map(\.kind))
        #expect(kinds == [.person, .vehicle, .pet])
    }

    @Test("intervals too short for a crossing are raised to the minimum; early times work")
    func shortInterval() {
        let activity = AmbientActivity(seed: 1, meanIntervalMilliseconds: 5)
        #expect(activity.meanIntervalMilliseconds == AmbientActivity.minimumIntervalMilliseconds)
        #expect(activity.nextObject(after: -1_000_000) != nil)
        #expect(activity.nextObject(after: .max) == nil)
    }
}
