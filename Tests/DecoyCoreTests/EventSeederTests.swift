import DecoyMedia
import Foundation
import Testing

@testable import DecoyCore

/// The sandbox's example events: a seeding stopped part-way resumes without recording any
/// event twice.
@Suite(
    "EventSeeder: example events, resumed after a stop",
    .enabled("needs ffmpeg (Tools/setup.sh installs it)") { RecordingServices.locateEncoder() != nil })
struct EventSeederTests {
    private static let hour: Int64 = 3_600_000
    /// Long enough that the stop after the first event lands before the last, even on a loaded machine.
    private static let plan = [EventType.person, .vehicle, .pet, .face, .motion, .audio, .person, .vehicle]
        .enumerated().map { EventSeeder.Plan(camera: 0, type: $1, hoursAgo: Double($0 * 3 + 1), pinned: $0 == 0) }

    private struct Sandbox {
        let url: URL
        let root: StorageRoot
        let camera: CameraConfig

        init() throws {
            url = try temporaryDirectory()
            root = try StorageRoot(path: url.appendingPathComponent("recordings").path)
            var camera = CameraConfig(name: "Front yard", id: 182_399_567)
            camera.resolution = PixelSize(width: 160, height: 120)
            camera.fps = 5
            self.camera = camera
        }

        /// A store opened as a (re)start opens it: the index rebuilt from the files.
        func store() -> EventStore {
            EventStore(
                root: root, cameras: [camera], timeZone: LocalTimeZone(identifier: "UTC"), retention: RetentionPolicy())
        }

        func seeder(_ store: EventStore) throws -> EventSeeder {
            EventSeeder(
                store: store, cameras: [camera], encoderPath: try #require(RecordingServices.locateEncoder()),
                timeZone: LocalTimeZone(identifier: "UTC"))
        }

        var times: [Int64] { store().list(EventQuery(cameras: [camera.id])).map(\.time).sorted() }
    }

    @Test func aSeedingStoppedAfterItsFirstEventResumesWithTheOthersOnly() async throws {
        let sandbox = try Sandbox()
        defer { try? FileManager.default.removeItem(at: sandbox.url) }
        let now: Int64 = 1_780_000_000_000
        let first = sandbox.store()
        let seeding = Task { await (try? sandbox.seeder(first))?.run(plan: Self.plan, now: now) ?? -1 }
        for _ in 0..<600 where first.count == 0 { try await Task.sleep(for: .milliseconds(20)) }
        seeding.cancel()
        let recordedFirst = await seeding.value
        try #require(recordedFirst >= 1 && recordedFirst < Self.plan.count, "stopped part-way: \(recordedFirst)")

        // Restarted an hour later: same planned times, the rest recorded, nothing twice.
        let restarted = try sandbox.seeder(sandbox.store())
        #expect(restarted.isNeeded)
        let recordedThen = await restarted.run(plan: Self.plan, now: now + Self.hour)
        #expect(recordedFirst + recordedThen == Self.plan.count)
        #expect(sandbox.times == Self.plan.map { now - Int64($0.hoursAgo) * Self.hour }.sorted())
        #expect(!restarted.isNeeded, "seeded")
        #expect(!FileManager.default.fileExists(atPath: sandbox.root.path + "/.decoy-seeding"), "progress removed")
        #expect(await restarted.run(plan: Self.plan, now: now + 2 * Self.hour) == 0)
    }
}
