import DecoyCore
import DecoyFaults
import DecoyServer
import Foundation
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

/// `drop:` ends the connections its match takes, at the moment it fires, and journals the
/// sessions it ends.
@Suite(.serialized) struct DropActionTests {
    @Test func aDropResetsTheOpenStreamsOfOneCameraAndJournalsThem() async throws {
        try await HonestJournalTests.withSandbox([], clock: SystemClock()) { sandbox in
            let port = sandbox.runtime.port
            let (first, second) = try await Blocking.run {
                let first = try MJPEGReader(port: port, target: "/axis-cgi/mjpg/video.cgi?camera=1&resolution=160x120")
                let second = try MJPEGReader(
                    port: port, target: "/axis-cgi/mjpg/video.cgi?cameraId=1002&resolution=160x120")
                _ = (try first.nextJPEG(), try second.nextJPEG())
                return (first, second)
            }
            defer { second.close() }
            let failure = await sandbox.perform(.drop(FaultMatch(cameraID: 1001), reset: true))
            #expect(failure == nil)
            let (ended, goesOn) = try await Blocking.run {
                (try first.socket.readUntilEnd(), try second.nextJPEG())
            }
            #expect(ended.reset, "the client sees ECONNRESET")
            #expect(!goesOn.isEmpty, "the other camera's stream goes on")
            let streams = { sandbox.journal.snapshot().entries.compactMap(\.stream) }
            #expect(try await poll { !streams().isEmpty })
            let record = try #require(streams().first)
            #expect(record.camera == "Test cam" && record.ended == .fault)
            #expect(record.fault == "drop camera 1001 (reset)", "\(record.fault ?? "nil")")
            let step = sandbox.journal.snapshot().entries.compactMap(\.step).last
            #expect(step?.action == "drop camera 1001 (reset)")
        }
    }

    @Test func aDropStepParsesWithTheMatchKeysOfARule() throws {
        let scenario = try ScenarioLoader.parse(
            """
            name: drop
            duration: 20s
            timeline:
              - at: 10s
                drop: { camera: Front yard, how: close }
              - at: 12s
                drop: { client: 127.0.0.1 }
            """, file: "drop.yaml")
        #expect(
            scenario.timeline.map(\.action) == [
                .drop(FaultMatch(cameraID: 182_399_567), reset: false),
                .drop(FaultMatch(client: "127.0.0.1"), reset: true),
            ])
        let bad = diagnostics(
            """
            name: drop
            duration: 20s
            timeline:
              - at: 1s
                drop: { camera: Front yard, how: gently }
            """)
        #expect(bad.count == 1 && bad[0].message.contains("how"), "\(bad)")
    }
}
