import DecoyCore
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// A camera that goes offline drops its streams, as a real one does, and refuses new ones until it is back.
    @Suite struct CameraOfflineStream {
        @Test func anOpenStreamIsClosedWhenTheCameraGoesOffline() async throws {
            try await withServer { server in
                let camera = server.runtime.services.cameras.cameras[0]
                let port = server.port
                let target = "/axis-cgi/mjpg/video.cgi?camera=1"
                let reader = try await Blocking.run { try MJPEGReader(port: port, target: target) }
                defer { reader.close() }
                let first = try await Blocking.run { try reader.nextJPEG() }
                #expect(first.count > 4)
                camera.setHealth(.offline)
                // The server closes the connection (whatever part was under way when it did).
                _ = try await Blocking.run { try reader.socket.waitForClose() }

                await #expect(throws: MJPEGError.self) {
                    try await Blocking.run { _ = try MJPEGReader(port: port, target: target) }
                }
                camera.setHealth(.live)
                let again = try await Blocking.run { () throws -> [UInt8] in
                    let next = try MJPEGReader(port: port, target: target)
                    defer { next.close() }
                    return try next.nextJPEG()
                }
                #expect(try FrameInspector.number(again) > 0)
            }
        }
    }
}
