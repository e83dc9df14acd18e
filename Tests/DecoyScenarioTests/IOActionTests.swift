import DecoyCore
import DecoyFaults
import DecoyTinyCam
import NIOPosix
import Testing

@testable import DecoyScenario

/// The `io` action: a camera's virtual input changes, as a door contact wired to it would.
@Suite struct IOActionTests {
    private static let porch =
        "name: x\nduration: 5s\nconfig:\n  cameras:\n    - name: Porch\n      id: 5\n      io: {inputs: [Door, Gate], outputs: [Siren]}\n"

    @Test func parsesCameraInputAndState() throws {
        let scenario = try ScenarioLoader.parse(
            Self.porch + "timeline:\n  - at: 1s\n    io: { camera: Porch, input: Gate, active: true }\n", file: "s.yaml"
        )
        #expect(scenario.timeline.first?.action == .io(camera: "Porch", input: "Gate", active: true))
        #expect(scenario.config.cameras.first?.io == CameraIOConfig(inputs: ["Door", "Gate"], outputs: ["Siren"]))
    }

    @Test func refusesAnUnknownInputOrAMissingKey() {
        let unknown = diagnostics(
            Self.porch + "timeline:\n  - at: 1s\n    io: { camera: Porch, input: Window, active: true }\n")
        #expect(
            unknown.first?.message.contains("camera 'Porch' has no input 'Window'; its inputs: Door, Gate") == true,
            "\(unknown)")
        let output = diagnostics(
            Self.porch + "timeline:\n  - at: 1s\n    io: { camera: Porch, input: Siren, active: true }\n")
        #expect(output.first?.message.contains("has no input 'Siren'") == true, "\(output)")
        let missing = diagnostics(Self.porch + "timeline:\n  - at: 1s\n    io: { camera: Porch, input: Door }\n")
        #expect(missing.first?.message.contains("needs 'camera' (name or id), 'input'") == true, "\(missing)")
        let config = diagnostics(
            "name: x\nduration: 5s\nconfig:\n  cameras:\n    - name: P\n      id: 5\n      io: {inputs: [A, A]}\n")
        #expect(config.first?.message.contains("port name 'A' is used twice") == true, "\(config)")
    }

    @Test func setsTheInputThatEveryViewReads() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var config = Scenario.defaultConfig
        config.cameras[0].io = CameraIOConfig(inputs: ["Door"])
        let clock = ManualClock()
        let cameras = CameraRegistry(config: config, clock: clock, mediaGroup: group, stateDirectory: nil)
        let services = TinyCamServices(config: config, cameras: cameras, clock: clock, stateDirectory: nil)
        let performer = StateActionPerformer(services: services, faults: FaultLayer(seed: 1), clock: RunClock())
        let name = config.cameras[0].name
        #expect(performer.perform(.io(camera: name, input: "Door", active: true)) == nil)
        #expect(cameras.cameras[0].io.isActive(.input(0)))
        var subscription = AxisEventSubscription(catalog: services.axisEvents.catalog, filter: .all)
        let port = subscription.start(at: clock.nowMilliseconds()).first { $0.topic == "tns1:Device/tnsaxis:IO/Port" }
        #expect(port?.data == [AxisSimpleItem(name: "state", value: "1")])
        #expect(performer.perform(.io(camera: name, input: "Door", active: false)) == nil)
        #expect(!cameras.cameras[0].io.isActive(.input(0)))
        #expect(
            performer.perform(.io(camera: name, input: "Nope", active: true)) == "camera '\(name)' has no input 'Nope'")
        cameras.shutdown()
        try? await group.shutdownGracefully()
    }
}

/// The `events` action: a fault on every Axis event stream for a window.
@Suite struct EventsActionTests {
    @Test func parsesOneFaultForADuration() throws {
        let scenario = try ScenarioLoader.parse(
            "name: x\nduration: 30s\ntimeline:\n  - at: 1s\n    events: { for: 10s, silence: true }\n"
                + "  - at: 2s\n    events: { for: 5s, delay: 2s }\n  - at: 3s\n    events: { for: 1s, duplicate: true }\n",
            file: "s.yaml")
        #expect(
            scenario.timeline.map(\.action) == [
                .events(.silence, forMilliseconds: 10_000), .events(.delay(milliseconds: 2000), forMilliseconds: 5000),
                .events(.duplicate, forMilliseconds: 1000),
            ])
        #expect(scenario.timeline[1].action.summary == "events delayed 2 s for 5 s")
        let two = diagnostics(
            "name: x\nduration: 5s\ntimeline:\n  - at: 1s\n    events: { for: 1s, silence: true, duplicate: true }\n")
        #expect(two.first?.message.contains("exactly one of: silence: true, delay") == true, "\(two)")
        let off = diagnostics("name: x\nduration: 5s\ntimeline:\n  - at: 1s\n    events: { for: 1s, silence: false }\n")
        #expect(off.first?.message.contains("must be true") == true, "\(off)")
    }
}
