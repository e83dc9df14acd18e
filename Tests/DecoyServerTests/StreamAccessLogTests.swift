import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// Endless streams reach the access log when they start, like every other answer.
    @Suite struct StreamAccessLog {
        @Test func anMJPEGStreamIsLoggedWhenItStarts() async throws {
            try await withServer { server in
                try await Blocking.run {
                    let socket = try RawSocket.connect(port: server.port)
                    defer { socket.close() }
                    try socket.send(Request.get("/axis-cgi/mjpg/video.cgi?resolution=160x120"))
                    _ = try socket.read(through: Array("\r\n\r\n".utf8), limit: 4096)
                }
                var text = ""
                for _ in 0..<50 {
                    text = server.runtime.services.logs.access.text
                    if text.contains("video.cgi") { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(
                    text.contains("admin \"GET /axis-cgi/mjpg/video.cgi?resolution=160x120\" 200 stream"), "\(text)")
            }
        }
    }
}
