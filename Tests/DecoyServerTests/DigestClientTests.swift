import DecoyCore
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// Real Digest clients against `authChallenge: both` and `digest`: curl (SHA-256, the first
    /// Digest it knows, and MD5 on request) and ffmpeg (MD5, the last challenge).
    @Suite struct DigestClients {
        static func both(_ config: inout DecoyConfig) { config.server.authChallenge = .both }
        static func digestOnly(_ config: inout DecoyConfig) { config.server.authChallenge = .digest }

        @Test func curlAuthenticatesWithDigestOnEveryKindOfPath() async throws {
            let curl = try ChildProcess.tool("curl")
            try await withServer(Self.digestOnly) { server in
                for path in [
                    "/api/v1/get_cam_list", "/api/v1/get_status", "/axis-cgi/jpg/image.cgi?resolution=160x120",
                    "/api/v1/get_cam_event_list?cameraId=-1&endtime=-1",
                ] {
                    let result = try await ChildProcess.run(
                        curl,
                        [
                            "-sS", "--digest", "-u", "admin:admin", "-o", "/dev/null", "-w", "%{http_code}", "-v",
                            "http://127.0.0.1:\(server.port)\(path)",
                        ])
                    #expect(result.stdoutText == "200", "\(path): \(result.stderrText.suffix(800))")
                    #expect(result.stderrText.contains("Authorization: Digest username=\"admin\""), "\(path)")
                }
                let wrong = try await ChildProcess.run(
                    curl,
                    [
                        "-sS", "--digest", "-u", "admin:nope", "-o", "/dev/null", "-w", "%{http_code}",
                        "http://127.0.0.1:\(server.port)/api/v1/get_cam_list",
                    ])
                #expect(wrong.stdoutText == "401")
            }
        }

        @Test func curlAnyauthChoosesDigestWhenBothAreOffered() async throws {
            let curl = try ChildProcess.tool("curl")
            try await withServer(Self.both) { server in
                let result = try await ChildProcess.run(
                    curl,
                    [
                        "-sS", "--anyauth", "-u", "admin:admin", "-o", "/dev/null", "-w", "%{http_code}", "-v",
                        "http://127.0.0.1:\(server.port)/api/v1/get_status",
                    ])
                #expect(result.stdoutText == "200", "\(result.stderrText.suffix(800))")
                let challenges = result.stderrText.split(whereSeparator: \.isNewline).filter {
                    $0.hasPrefix("< WWW-Authenticate:")
                }
                #expect(challenges.count == 3, "\(challenges)")
                #expect(challenges.first?.contains("Basic realm=\"tinyCam\"") == true)
                #expect(result.stderrText.contains("Authorization: Digest"))
            }
        }

        @Test func ffmpegReadsASnapshotWithDigestMD5() async throws {
            let ffmpeg = try ChildProcess.tool("ffmpeg")
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await withServer(Self.both) { server in
                let output = folder + "/snap.jpg"
                let result = try await ChildProcess.run(
                    ffmpeg,
                    [
                        "-hide_banner", "-loglevel", "error", "-i",
                        "http://admin:admin@127.0.0.1:\(server.port)/axis-cgi/jpg/image.cgi?resolution=160x120",
                        "-frames:v", "1", "-y", output,
                    ])
                #expect(result.status == 0, "\(result.stderrText)")
                let jpeg = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
                #expect(try JPEGDecoder().decodeI420(jpeg).size == PixelSize(width: 160, height: 120))
                let log = try await HTTP.get(port: server.port, "/axis-cgi/admin/accesslog.cgi")
                #expect(log.bodyText.contains("admin \"GET /axis-cgi/jpg/image.cgi"), "\(log.bodyText)")
            }
        }
    }
}
