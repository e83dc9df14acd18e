import DecoyCore
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// A camera whose resolution changes mid-stream (a scenario's `camera` step): the stream goes
    /// on, and a real client sees the new size from the next frame on.
    @Suite struct FormatChangeStream {
        @Test func ffmpegSeesTheNewSizeWithoutTheStreamEnding() async throws {
            let ffmpeg = try ChildProcess.tool("ffmpeg")
            let vga = PixelSize(width: 640, height: 480)
            let qvga = PixelSize(width: 320, height: 240)
            try await withServer({ $0.cameras[0].resolution = vga }) { server in
                let camera = server.runtime.services.cameras.cameras[0]
                let frames = 30
                let child = try ChildProcess(
                    ffmpeg,
                    [
                        "-nostdin", "-hide_banner", "-loglevel", "error", "-rw_timeout", "15000000", "-i",
                        "http://admin:admin@127.0.0.1:\(server.port)/axis-cgi/mjpg/video.cgi?camera=1",
                        "-frames:v", "\(frames)", "-c:v", "copy", "-f", "image2pipe", "-",
                    ])
                // Once ffmpeg has had a few frames, the camera switches to 320x240.
                let streaming = try await Blocking.run { () -> Bool in
                    for _ in 0..<500 {
                        if server.runtime.server.streamCounts(forCamera: camera.config.id).framesSent >= 5 {
                            return true
                        }
                        Blocking.sleep(milliseconds: 20)
                    }
                    return false
                }
                try #require(streaming, "ffmpeg never got 5 frames")
                camera.setFormat(size: qvga)
                let result = try await Blocking.run { child.wait(timeout: .seconds(40)) }
                #expect(result.status == 0, "\(result.stderrText)")
                let jpegs = RealClients.splitJPEGs([UInt8](result.stdout))
                #expect(jpegs.count == frames)
                let sizes = try jpegs.map(FrameInspector.size)
                let changed = try #require(sizes.firstIndex(of: qvga), "\(sizes)")
                #expect(changed >= 5)
                #expect(sizes[..<changed].allSatisfy { $0 == vga }, "\(sizes)")
                #expect(sizes[changed...].allSatisfy { $0 == qvga }, "\(sizes)")
                // One stream throughout: the frame ids run on across the change.
                let ids = try jpegs.map(FrameInspector.number)
                #expect(ids.isStrictlyIncreasing, "\(ids)")
                #expect(server.runtime.server.streamCounts(forCamera: camera.config.id).framesSent >= UInt64(frames))
            }
        }
    }
}
