import DecoyCore
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// The clients people point at a camera: curl, ffprobe and ffmpeg.
    @Suite struct RealClients {
        /// Camera 1 at 640x480, so that asking for 320x240 proves the scaling.
        static func vgaCamera(_ config: inout DecoyConfig) {
            config.cameras[0].resolution = PixelSize(width: 640, height: 480)
        }

        @Test func curlWithBasicGetsTheCameraList() async throws {
            let curl = try ChildProcess.tool("curl")
            try await withServer { server in
                let result = try await ChildProcess.run(
                    curl,
                    [
                        "-sS", "--max-time", "20", "-u", "admin:admin", "-D", "-",
                        "http://127.0.0.1:\(server.port)/api/v1/get_cam_list",
                    ])
                #expect(result.status == 0, "\(result.stderrText)")
                let parts = result.stdoutText.components(separatedBy: "\r\n\r\n")
                try #require(parts.count == 2, "\(result.stdoutText)")
                #expect(parts[0].hasPrefix("HTTP/1.1 200 OK"))
                #expect(parts[0].contains("Content-Type: application/json; charset=utf-8"))
                let root = try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: Any]
                let cameras = try #require(root?["data"] as? [[String: Any]])
                #expect(cameras.map { $0["id"] as? Int } == [1001, 1002])
            }
        }

        @Test func curlWithURLCredentialsIsChallengedThenStreams() async throws {
            let curl = try ChildProcess.tool("curl")
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let output = folder + "/stream.mjpeg"
            try await withServer { server in
                // --anyauth: curl sends nothing until the server's challenge says which scheme to use.
                let result = try await ChildProcess.run(
                    curl,
                    [
                        "-sS", "-v", "--anyauth", "--max-time", "3", "-o", output,
                        "http://admin:admin@127.0.0.1:\(server.port)/axis-cgi/mjpg/video.cgi?resolution=160x120",
                    ])
                #expect(result.status == 28, "stopped by --max-time while streaming: \(result.stderrText)")
                let statuses = result.stderrText.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("< HTTP/") }
                #expect(
                    statuses.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == [
                        "< HTTP/1.1 401 Unauthorized", "< HTTP/1.1 200 OK",
                    ], "\(result.stderrText)")
                #expect(result.stderrText.contains("< WWW-Authenticate: Basic realm=\"tinyCam\""))
                let body = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
                #expect(body.starts(with: Array("--myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: ".utf8)))
            }
        }

        @Test func curlSavesASnapshotAtTheRequestedResolution() async throws {
            let curl = try ChildProcess.tool("curl")
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let output = folder + "/snapshot.jpg"
            try await withServer { server in
                let result = try await ChildProcess.run(
                    curl,
                    [
                        "-sS", "--max-time", "20", "-u", "admin:admin", "-o", output, "-w",
                        "%{http_code} %{content_type}",
                        "http://127.0.0.1:\(server.port)/axis-cgi/jpg/image.cgi?camera=1&resolution=176x144",
                    ])
                #expect(result.stdoutText == "200 image/jpeg", "\(result.stderrText)")
                let jpeg = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
                #expect(try FrameInspector.size(jpeg) == PixelSize(width: 176, height: 144))
                _ = try FrameInspector.number(jpeg)
            }
        }

        @Test func ffprobeFollowsTheChallengeAndSeesMJPEG() async throws {
            let ffprobe = try ChildProcess.tool("ffprobe")
            try await withServer(Self.vgaCamera) { server in
                let result = try await ChildProcess.run(
                    ffprobe,
                    [
                        "-v", "error", "-rw_timeout", "15000000", "-select_streams", "v:0", "-show_entries",
                        "stream=codec_name,width,height", "-of", "json",
                        "http://admin:admin@127.0.0.1:\(server.port)/axis-cgi/mjpg/video.cgi?resolution=320x240",
                    ], timeout: .seconds(40))
                #expect(result.status == 0, "\(result.stderrText)")
                let root = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
                let stream = try #require((root?["streams"] as? [[String: Any]])?.first, "\(result.stdoutText)")
                #expect(stream["codec_name"] as? String == "mjpeg")
                #expect(stream["width"] as? Int == 320)
                #expect(stream["height"] as? Int == 240)
            }
        }

        @Test func ffmpegReadsIntactFramesInOrder() async throws {
            let ffmpeg = try ChildProcess.tool("ffmpeg")
            let frames = 12
            try await withServer { server in
                let result = try await ChildProcess.run(
                    ffmpeg,
                    [
                        "-nostdin", "-hide_banner", "-loglevel", "error", "-rw_timeout", "15000000", "-i",
                        "http://admin:admin@127.0.0.1:\(server.port)/axis-cgi/mjpg/video.cgi?resolution=160x120",
                        "-frames:v", "\(frames)", "-c:v", "copy", "-f", "image2pipe", "-",
                    ], timeout: .seconds(40))
                #expect(result.status == 0, "\(result.stderrText)")
                let jpegs = Self.splitJPEGs([UInt8](result.stdout))
                #expect(jpegs.count == frames)
                let ids = try jpegs.map(FrameInspector.number)
                #expect(ids.isStrictlyIncreasing, "\(ids)")
                for jpeg in jpegs { #expect(try FrameInspector.size(jpeg) == PixelSize(width: 160, height: 120)) }
            }
        }

        /// Splits concatenated baseline JPEGs at each EOI (`FF D9`) followed by SOI or the end.
        static func splitJPEGs(_ bytes: [UInt8]) -> [[UInt8]] {
            var result: [[UInt8]] = []
            var start = 0
            var index = 0
            while index + 1 < bytes.count {
                if bytes[index] == 0xFF && bytes[index + 1] == 0xD9
                    && (index + 2 == bytes.count || bytes[(index + 2)...].starts(with: [0xFF, 0xD8]))
                {
                    result.append(Array(bytes[start...(index + 1)]))
                    start = index + 2
                    index += 2
                } else {
                    index += 1
                }
            }
            return result
        }
    }
}
