import DecoyCore
import DecoyServer
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// How a stream session ended, as the transport reports it to the journal.
    @Suite struct StreamSessionEndings {
        static let target = "/axis-cgi/mjpg/video.cgi?camera=1&resolution=160x120"

        /// Opens a stream, reads two parts, runs `end` and waits for the server to close it.
        static func session(_ end: @escaping @Sendable (DecoyRuntime) -> Void) async throws -> StreamSession {
            let hooks = RecordingJournal()
            return try await withFaultServer(rules: [], journal: hooks, { $0.server.restartDelaySeconds = 1 }) {
                runtime in
                let port = runtime.port
                let reader = try await Blocking.run { try MJPEGReader(port: port, target: Self.target) }
                defer { reader.close() }
                _ = try await Blocking.run { (try reader.nextJPEG(), try reader.nextJPEG()) }
                end(runtime)
                _ = try await Blocking.run { try reader.socket.waitForClose() }
                #expect(try await poll { hooks.ended.count == 1 })
                return try #require(hooks.ended.first)
            }
        }

        @Test func aCameraGoingOfflineEndsItsStreams() async throws {
            let session = try await Self.session { $0.services.cameras.cameras[0].setHealth(.offline) }
            #expect(session.ending == .cameraOffline)
            #expect(session.framesSent >= 2)
        }

        @Test func aRestartEndsStreamsAsRestart() async throws {
            let session = try await Self.session { $0.server.scheduleRestart() }
            #expect(session.ending == .restart)
        }

        @Test func aShutdownEndsStreamsAsClosedByTheServer() async throws {
            let session = try await Self.session { runtime in Task { await runtime.server.stop() } }
            #expect(session.ending == .serverClosed)
        }
    }
}
