import DecoyCore
import DecoyMedia
import DecoyTinyCam
import NIOPosix
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

/// The `camera` action: parsing, errors where they are, and what it does to the camera.
@Suite struct CameraActionTests {
    private func scenario(_ step: String) -> String {
        "name: x\nduration: 5s\ntimeline:\n  - at: 1s\n    camera: \(step)\n"
    }

    @Test func everyStateReadsAndOnlineIsLive() throws {
        let words = ["offline": CameraHealth.offline, "online": .live, "frozen": .frozen, "black": .black]
            .merging(["noSignal": .noSignal]) { a, _ in a }
        for (word, health) in words {
            let parsed = try ScenarioLoader.parse(scenario("{ camera: Doorbell, state: \(word) }"), file: "s.yaml")
            #expect(
                parsed.timeline.map(\.action) == [.camera(camera: "Doorbell", change: .init(health: health))], "\(word)"
            )
        }
        let byID = try ScenarioLoader.parse(scenario("{ camera: 1455317736, state: frozen }"), file: "s.yaml")
        #expect(byID.timeline.first?.action.summary == "camera 1455317736 frozen")
    }

    @Test func aBadStateIsReportedWhereItIsWithTheValidStates() {
        let text = diagnostics(scenario("{ camera: Doorbell, state: asleep }")).map(\.description)
        #expect(
            text.contains {
                $0.hasPrefix(
                    "s.yaml:5:40: error: 'timeline[0].camera.state' must be one of offline, online, frozen, black, "
                        + "noSignal, got 'asleep'")
            }, "\(text)")
    }

    @Test func resolutionAndRateRead() throws {
        let parsed = try ScenarioLoader.parse(
            scenario("{ camera: Doorbell, resolution: 1280x720, fps: 5 }"), file: "s.yaml")
        let change = CameraChange(resolution: PixelSize(width: 1280, height: 720), framesPerSecond: 5)
        #expect(parsed.timeline.map(\.action) == [.camera(camera: "Doorbell", change: change)])
        #expect(parsed.timeline.first?.action.summary == "camera Doorbell 1280x720, 5 fps")
        let both = try ScenarioLoader.parse(scenario("{ camera: Doorbell, state: frozen, fps: 2 }"), file: "s.yaml")
        #expect(both.timeline.first?.action.summary == "camera Doorbell frozen, 2 fps")
    }

    @Test func aBadResolutionOrRateIsReportedWhereItIs() {
        let size = diagnostics(scenario("{ camera: Doorbell, resolution: 1281x720 }")).map(\.description)
        #expect(
            size.contains {
                $0.hasPrefix(
                    "s.yaml:5:45: error: 'timeline[0].camera.resolution' must be WxH with even sides from 64x48 "
                        + "to 3840x2160, got '1281x720'")
            }, "\(size)")
        let rate = diagnostics(scenario("{ camera: Doorbell, fps: 0 }")).map(\.description)
        #expect(rate.contains { $0.hasPrefix("s.yaml:5:38: error: 'timeline[0].camera.fps'") }, "\(rate)")
    }

    @Test func anUnknownCameraIsReportedWithTheNearestName() {
        let text = diagnostics(scenario("{ camera: Dorbell, state: offline }")).map(\.description)
        #expect(
            text.contains {
                $0.hasPrefix(
                    "s.yaml:5:23: error: 'timeline[0].camera.camera': no camera 'Dorbell' (did you mean 'Doorbell'?)")
            }, "\(text)")
    }

    @Test func aMissingStateOrUnknownKeyIsReported() {
        let missing = diagnostics(scenario("{ camera: Doorbell }")).map(\.description)
        #expect(
            missing.contains {
                $0.hasPrefix("s.yaml:5:13: error: 'timeline[0].camera' needs a 'state', 'resolution' or 'fps'")
            }, "\(missing)")
        let unknown = diagnostics(scenario("{ camera: Doorbell, stat: offline }")).map(\.description)
        #expect(unknown.contains { $0.contains("unknown key 'stat' under 'timeline[0].camera'") }, "\(unknown)")
    }

    @Test func theCameraOfflineScenarioReadsAsDocumented() throws {
        let scenario = try ScenarioLoader.load(path: packageRoot + "/Scenarios/camera-offline.yaml")
        #expect(scenario.name == "camera-offline")
        #expect(
            scenario.timeline.map(\.action) == [
                .camera(camera: "Front yard", change: .init(health: .offline)),
                .camera(camera: "Front yard", change: .init(health: .live)),
            ])
        #expect(scenario.timeline.map(\.timing) == [.at(3000), .after("down", delayMilliseconds: 5000)])
        #expect(scenario.expectations.map(\.name).count == 3)
    }

    @Test func performingItSetsTheCamerasHealth() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let config = Scenario.defaultConfig
        let clock = ManualClock()
        let cameras = CameraRegistry(config: config, clock: clock, mediaGroup: group, stateDirectory: nil)
        let services = TinyCamServices(config: config, cameras: cameras, clock: clock, stateDirectory: nil)
        let performer = StateActionPerformer(services: services, faults: nil, clock: RunClock())
        let doorbell = try #require(cameras.camera(named: "Doorbell"))
        #expect(performer.perform(.camera(camera: "Doorbell", change: .init(health: .offline))) == nil)
        #expect(doorbell.health == .offline)
        #expect(performer.perform(.camera(camera: String(doorbell.config.id), change: .init(health: .live))) == nil)
        #expect(doorbell.health == .live)
        #expect(performer.perform(.camera(camera: "Nope", change: .init(health: .black))) == "no camera 'Nope'")
        let hd = PixelSize(width: 1280, height: 720)
        #expect(
            performer.perform(.camera(camera: "Doorbell", change: .init(resolution: hd, framesPerSecond: 3))) == nil)
        try await doorbell.hub.mediaLoop.submit {}.get()  // the format changes on the media loop
        #expect(doorbell.hub.format == VideoFormat(size: hd, framesPerSecond: 3))
        #expect(doorbell.health == .live)
        cameras.shutdown()
        try? await group.shutdownGracefully()
    }
}
