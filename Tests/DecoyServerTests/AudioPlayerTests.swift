import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// `receive.wav` in the players the issue names beside ffprobe and SoX (AudioStream): ffmpeg
    /// decodes it, GStreamer's wavparse negotiates it, and a browser's `<audio>` element plays it.
    @Suite struct AudioPlayers {
        static func url(_ port: Int, credentials: String = "") -> String {
            "http://\(credentials)127.0.0.1:\(port)/axis-cgi/audio/receive.wav?camera=1"
        }

        @Test func ffmpegDecodesTwoSecondsOfPCM() async throws {
            let ffmpeg = try ChildProcess.tool("ffmpeg")
            try await withServer { server in
                let folder = TestServer.temporaryFolder()
                defer { try? FileManager.default.removeItem(atPath: folder) }
                let result = try await ChildProcess.run(
                    ffmpeg,
                    [
                        "-nostdin", "-v", "error", "-t", "2", "-i", Self.url(server.port, credentials: "admin:admin@"),
                        "-f", "s16le", "-acodec", "pcm_s16le", "\(folder)/pcm.raw",
                    ], timeout: .seconds(30))
                #expect(!result.timedOut && result.status == 0, "\(result.stderrText)")
                let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/pcm.raw"))
                #expect(bytes.count == 2 * 8000 * 2, "2 s of 16-bit mono at 8000 Hz, got \(bytes.count) bytes")
                #expect(bytes.contains { $0 != 0 }, "the marker tone, not silence")
            }
        }

        @Test func gstreamerWavparseNegotiatesPCM16Mono8000() async throws {
            let gst = try ChildProcess.tool("gst-launch-1.0")
            try await withServer { server in
                let result = try await ChildProcess.run(
                    gst,
                    [
                        "-v", "souphttpsrc", "location=\(Self.url(server.port))", "user-id=admin", "user-pw=admin", "!",
                        "wavparse", "!", "fakesink", "num-buffers=20",
                    ], timeout: .seconds(30))
                let output = result.stdoutText + result.stderrText
                #expect(!result.timedOut && result.status == 0, "\(output)")
                #expect(
                    output.contains(
                        "wavparse0.GstPad:src: caps = audio/x-raw, format=(string)S16LE, layout=(string)interleaved, "
                            + "channels=(int)1, rate=(int)8000"), "\(output)")
                #expect(output.contains("Got EOS"), "20 buffers arrived and the pipeline ended: \(output)")
            }
        }

        /// The official web UI plays `receive.wav` in an `<audio>` element. Chromium buffers about
        /// 200 KB of an endless WAV before it reports metadata (12–15 s at 8000 Hz; see the README),
        /// so the page waits for `canplay` and then calls `play()`, as a click on the speaker does.
        /// The MJPEG `<img>` keeps the page loading, so `--dump-dom` waits for `--timeout`.
        @Test(.timeLimit(.minutes(1))) func chromiumAudioElementPlaysIt() async throws {
            let chromium = try ChildProcess.tool("chromium")
            try await withServer { server in
                let folder = TestServer.temporaryFolder()
                defer { try? FileManager.default.removeItem(atPath: folder) }
                let query = "user=admin&pwd=admin"
                let page = """
                    <html><body><audio id="a" preload="auto" src="\(Self.url(server.port))&\(query)"></audio>
                    <img src="http://127.0.0.1:\(server.port)/axis-cgi/mjpg/video.cgi?camera=1&fps=1&\(query)">
                    <pre id="out">pending</pre>
                    <script>
                    const a = document.getElementById('a'), out = document.getElementById('out'), seen = [];
                    const show = () => { out.textContent = 'events=' + seen.join(',') + ' error=' + (a.error ? a.error.code : 'none'); };
                    for (const name of ['loadedmetadata', 'canplay', 'playing', 'error']) {
                      a.addEventListener(name, () => { seen.push(name); show(); });
                    }
                    a.addEventListener('canplay', () => a.play().catch(e => { seen.push('rejected:' + e.name); show(); }), { once: true });
                    </script></body></html>
                    """
                try page.write(toFile: folder + "/page.html", atomically: true, encoding: .utf8)
                let result = try await ChildProcess.run(
                    chromium,
                    [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--mute-audio",
                        "--autoplay-policy=no-user-gesture-required", "--user-data-dir=\(folder)/profile",
                        "--timeout=35000", "--dump-dom", "file://\(folder)/page.html",
                    ], timeout: .seconds(50))
                let dom = result.stdoutText
                let out = try #require(
                    dom.range(of: "<pre id=\"out\">").map { String(dom[$0.upperBound...].prefix { $0 != "<" }) },
                    "\(dom.prefix(500)) \(result.stderrText.suffix(500))")
                #expect(out.hasPrefix("events=loadedmetadata,canplay,playing"), "\(out)")
                #expect(out.hasSuffix("error=none"), "\(out)")
            }
        }
    }
}
