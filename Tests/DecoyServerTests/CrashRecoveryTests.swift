import DecoyCore
import Foundation
import Testing

@testable import DecoyTestSupport

#if canImport(Glibc)
    import Glibc
#endif

extension ServerIntegration {
    /// `kill -9` in the middle of a recording: every completed event is still listed after a
    /// restart, the half-written clip never is, and its temporary file is cleaned up.
    @Suite struct CrashRecovery {
        static func config(port: Int) -> String {
            """
            server: { listen: "127.0.0.1:\(port)" }
            cameras:
              - name: Crash cam
                id: 7
                resolution: 320x240
                fps: 10
                recording: { enabled: true, preRoll: 1, postRoll: 1 }
            events: { triggerDuration: 2 }
            """
        }

        /// Starts `decoy serve` on a free port and waits until it answers.
        static func start(_ decoy: String, config: String, state: String) async throws -> (ChildProcess, Int) {
            for _ in 0..<5 {
                let port = Int.random(in: 20_000...40_000)
                try Self.config(port: port).write(toFile: config, atomically: true, encoding: .utf8)
                let child = try ChildProcess(decoy, ["serve", "--config", config, "--state-dir", state])
                for _ in 0..<100 {
                    if let response = try? await HTTP.get(port: port, "/api/v1/get_cam_list"), response.status == 200 {
                        return (child, port)
                    }
                    if !child.isRunning { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                kill(child.processIdentifier, SIGKILL)
                _ = child.wait(timeout: .seconds(5))
            }
            throw ResponseError("decoy did not start")
        }

        static func videos(port: Int) async throws -> [String] {
            let response = try await HTTP.get(port: port, "/api/v1/get_cam_event_list")
            let events = try #require(try response.jsonData() as? [[String: Any]])
            return events.compactMap { $0["video"] as? String }
        }

        @Test func killDuringARecordingLosesOnlyThatClip() async throws {
            let decoy = try ServerIntegration.CLI.decoy()
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let state = folder + "/state"
            let config = folder + "/crash.yaml"
            let cameraFolder = state + "/recordings/Crash cam"

            var (child, port) = try await Self.start(decoy, config: config, state: state)
            // One complete event (2 s + rolls) …
            _ = try await HTTP.get(port: port, "/axis-cgi/motion/createmotion.cgi?camera=1")
            var completed: [String] = []
            for _ in 0..<200 where completed.isEmpty {
                completed = try await Self.videos(port: port)
                try await Task.sleep(for: .milliseconds(100))
            }
            try #require(completed.count == 1, "the first event was not recorded")
            // … then one in progress when the process is killed.
            _ = try await HTTP.get(port: port, "/axis-cgi/motion/createmotion.cgi?camera=1")
            var partial: [String] = []
            for _ in 0..<100 where partial.isEmpty {
                partial = ((try? FileManager.default.contentsOfDirectory(atPath: cameraFolder)) ?? [])
                    .filter { $0.hasPrefix(StorageRoot.temporaryPrefix) }
                try await Task.sleep(for: .milliseconds(50))
            }
            try #require(!partial.isEmpty, "no clip was being written")
            kill(child.processIdentifier, SIGKILL)
            _ = child.wait(timeout: .seconds(10))

            (child, port) = try await Self.start(decoy, config: config, state: state)
            defer {
                child.interrupt()
                _ = child.wait(timeout: .seconds(10))
            }
            #expect(try await Self.videos(port: port) == completed)
            let left = try FileManager.default.contentsOfDirectory(atPath: cameraFolder)
            #expect(!left.contains { $0.hasPrefix(StorageRoot.temporaryPrefix) }, "\(left)")
            #expect(left.count == 2, "the completed clip and its thumbnail: \(left)")
        }

        @Test func ctrlCDuringARecordingKeepsTheClip() async throws {
            let decoy = try ServerIntegration.CLI.decoy()
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let state = folder + "/state"
            let config = folder + "/stop.yaml"
            var (child, port) = try await Self.start(decoy, config: config, state: state)
            _ = try await HTTP.get(port: port, "/axis-cgi/motion/createmotion.cgi?camera=1")
            try await Task.sleep(for: .milliseconds(1500))
            child.interrupt()
            let result = child.wait(timeout: .seconds(20))
            #expect(result.status == 0, "\(result.stderrText)")
            (child, port) = try await Self.start(decoy, config: config, state: state)
            defer {
                child.interrupt()
                _ = child.wait(timeout: .seconds(10))
            }
            #expect(try await Self.videos(port: port).count == 1, "the clip cut short by the shutdown is kept")
        }
    }
}
