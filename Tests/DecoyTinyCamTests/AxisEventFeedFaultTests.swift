import DecoyCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import DecoyTinyCam

/// `AxisEventFeed` on a real event loop, stepped by a manual clock: what a subscriber receives
/// under the `events` faults (silence, delay, duplicate).
@Suite("Axis event feeds: looks on the server's clock, and the event faults")
struct AxisEventFeedFaultTests {
    private static let config = DecoyConfig.testDefault.with { $0.server.profile = .axis }

    /// Runs `body` with a feed of the LED status topic on camera 1, its received messages and the clock.
    private func withFeed(
        _ body: (AxisEventService, ManualClock, Camera, @Sendable () async throws -> [String]) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let clock = ManualClock(timers: .onAdvance)
        let cameras = CameraRegistry(config: Self.config, clock: clock, mediaGroup: group, stateDirectory: nil)
        let service = AxisEventService(cameras: cameras, clock: clock, deviceID: "00408C000001")
        let received = NIOLockedValueBox([String]())
        let loop = group.next()
        let filter = try AxisTopicFilter(expressions: ["tns1:Device/tnsaxis:Light/Status"])
        let feed = try await loop.submit {
            let feed = AxisEventFeed(
                subscription: AxisEventSubscription(catalog: service.catalog, filter: filter), clock: clock, on: loop,
                faults: service.faults
            ) { notes in
                received.withLockedValue {
                    $0 += notes.filter { $0.source.first?.value == "0" }.map { $0.data[0].value }
                }
                return true
            }
            feed.start()
            return NIOLoopBound(feed, eventLoop: loop)
        }.get()
        // What arrived once the loop has run everything the clock handed it.
        let messages: @Sendable () async throws -> [String] = {
            try await loop.submit {}.get()
            return received.withLockedValue { $0 }
        }
        try await body(service, clock, cameras.cameras[0], messages)
        try await loop.submit { feed.value.cancel() }.get()
        cameras.shutdown()
        try await group.shutdownGracefully()
    }

    @Test("a change is sent at the next look; silence holds it back until its window ends")
    func silence() async throws {
        try await withFeed { service, clock, camera, messages in
            #expect(try await messages() == ["OFF"], "Initialized")
            try camera.setLED(.on)
            clock.advance(by: 100)
            #expect(try await messages() == ["OFF", "ON"])
            service.faults.add(.silence, untilMilliseconds: clock.nowMilliseconds() + 1000)
            try camera.setLED(.off)
            clock.advance(by: 500)
            #expect(try await messages() == ["OFF", "ON"], "nothing during the silence")
            clock.advance(by: 600)
            #expect(try await messages() == ["OFF", "ON", "OFF"], "the held-back change after it")
        }
    }

    @Test("a delay sends each change that much later; duplicate sends it twice")
    func delayAndDuplicate() async throws {
        try await withFeed { service, clock, camera, messages in
            service.faults.add(.delay(milliseconds: 2000), untilMilliseconds: clock.nowMilliseconds() + 5000)
            try camera.setLED(.on)
            clock.advance(by: 100)
            #expect(try await messages() == ["OFF"])
            clock.advance(by: 1900)
            #expect(try await messages() == ["OFF"])
            clock.advance(by: 100)
            #expect(try await messages() == ["OFF", "ON"])
            clock.advance(by: 3000)
            service.faults.add(.duplicate, untilMilliseconds: clock.nowMilliseconds() + 1000)
            try camera.setLED(.off)
            clock.advance(by: 100)
            #expect(try await messages() == ["OFF", "ON", "OFF", "OFF"])
        }
    }
}
