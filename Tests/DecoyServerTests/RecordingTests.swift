import DecoyCore
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// Events recorded from the frames the camera really produced, read by real clients: ffprobe,
    /// curl and a headless Chromium playing the clip in a `<video>` element.
    @Suite struct Recordings {
        /// Camera 1 records with short pre- and post-rolls; `createmotion.cgi` events last 2 s.
        static func recordingCamera(_ config: inout DecoyConfig) {
            config.cameras[0].recording.enabled = true
            config.cameras[0].recording.preRollSeconds = 1
            config.cameras[0].recording.postRollSeconds = 1
            config.events.triggerDurationSeconds = 2
        }

        /// The events listed now (newest first).
        static func events(port: Int, query: String = "") async throws -> [[String: Any]] {
            let response = try await HTTP.get(port: port, "/api/v1/get_cam_event_list?\(query)")
            guard response.status == 200, let events = try response.jsonData() as? [[String: Any]] else {
                throw ResponseError("get_cam_event_list answered \(response.status): \(response.bodyText)")
            }
            return events
        }

        /// Polls the event list until `count` events are listed (recording takes a few seconds).
        static func waitForEvents(port: Int, count: Int, seconds: Int = 30) async throws -> [[String: Any]] {
            for _ in 0..<(seconds * 10) {
                let listed = try await events(port: port)
                if listed.count >= count { return listed }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw ResponseError("fewer than \(count) events were recorded within \(seconds) s")
        }

        /// The file path a `video`/`image` URL names (`/api/v1/get_file?file=<encoded>`), decoded.
        static func filePath(_ url: String) throws -> String {
            let prefix = "/api/v1/get_file?file="
            guard url.hasPrefix(prefix), let path = String(url.dropFirst(prefix.count)).removingPercentEncoding else {
                throw ResponseError("unexpected file URL \(url)")
            }
            return path
        }

        @Test func aTriggeredEventIsRecordedAsAnMP4ThatFFprobeReads() async throws {
            let ffprobe = try ChildProcess.tool("ffprobe")
            try await withServer(Self.recordingCamera) { server in
                let trigger = try await HTTP.get(port: server.port, "/axis-cgi/motion/createmotion.cgi?camera=1")
                #expect(trigger.status == 200 && trigger.body.isEmpty)
                let status = try await HTTP.get(port: server.port, "/api/v1/get_status?cameraId=1001")
                #expect(status.bodyText == #"{"data":{"motion":true,"health":"live"}}"#)
                let event = try #require(try await Self.waitForEvents(port: server.port, count: 1).first)
                #expect(event["motion"] as? String == "motion")
                let duration = try #require(event["duration"] as? Int)
                let video = try Self.filePath(try #require(event["video"] as? String))
                let name = try #require(RecordingName(videoFileName: String(video.split(separator: "/").last!)))
                #expect(video.hasPrefix("/Test cam/"))
                #expect(duration == (name.seconds ?? -1) * 1000)
                // Pre-roll 1 s + event 2 s + post-roll 1 s.
                #expect((3...5).contains(name.seconds ?? 0), "\(video)")

                let file = server.stateDirectory + "/recordings" + video
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
                let moov = try #require(Self.find("moov", in: bytes))
                let mdat = try #require(Self.find("mdat", in: bytes))
                #expect(moov < mdat, "faststart: the index comes before the media data")

                let probe = try await ChildProcess.run(
                    ffprobe,
                    [
                        "-v", "error", "-show_entries", "stream=codec_name,pix_fmt,width,height:format=duration", "-of",
                        "default=noprint_wrappers=1",
                        "http://admin:admin@127.0.0.1:\(server.port)" + (event["video"] as! String),
                    ])
                #expect(probe.status == 0, "\(probe.stderrText)")
                #expect(probe.stdoutText.contains("codec_name=h264"))
                #expect(probe.stdoutText.contains("pix_fmt=yuv420p"))
                #expect(probe.stdoutText.contains("width=320") && probe.stdoutText.contains("height=240"))
                let seconds = probe.stdoutText.split(separator: "\n").first { $0.hasPrefix("duration=") }
                    .flatMap { Double($0.dropFirst("duration=".count)) }
                #expect(abs((seconds ?? 0) - Double(name.seconds ?? 0)) <= 1, "\(probe.stdoutText)")

                let image = try #require(event["image"] as? String)
                let thumbnail = try await HTTP.get(port: server.port, image)
                #expect(thumbnail.header("Content-Type") == "image/jpeg")
                #expect(try JPEGDecoder().decodeI420(thumbnail.body).size == PixelSize(width: 320, height: 240))

                let ranged = try await HTTP.exchange(
                    port: server.port,
                    Request.get(event["video"] as! String, close: true, headers: ["Range: bytes=100-199"]))
                #expect(ranged.status == 206)
                #expect(ranged.body == Array(bytes[100..<200]))
                #expect(ranged.header("Content-Range") == "bytes 100-199/\(bytes.count)")
            }
        }

        @Test func headlessChromiumPlaysARecordedClip() async throws {
            let chromium = try ChildProcess.tool("chromium")
            try await withServer(Self.recordingCamera) { server in
                _ = try await HTTP.get(port: server.port, "/axis-cgi/motion/createmotion.cgi?camera=1")
                let event = try #require(try await Self.waitForEvents(port: server.port, count: 1).first)
                let video = try #require(event["video"] as? String)
                let folder = TestServer.temporaryFolder()
                defer { try? FileManager.default.removeItem(atPath: folder) }
                // The official web UI appends the token the same way: `&token=` after the `?file=` query.
                let source = "http://127.0.0.1:\(server.port)\(video)&user=guest&pwd=guest"
                let page = """
                    <html><body><video id="v" muted preload="auto" src="\(source)"></video><pre id="out">pending</pre>
                    <script>
                    const v = document.getElementById('v'), out = document.getElementById('out');
                    v.addEventListener('loadeddata', () => {
                      out.textContent = 'readyState=' + v.readyState + ' duration=' + v.duration + ' width=' + v.videoWidth;
                    });
                    v.addEventListener('error', () => { out.textContent = 'error ' + (v.error && v.error.code); });
                    </script></body></html>
                    """
                try page.write(toFile: folder + "/page.html", atomically: true, encoding: .utf8)
                let result = try await ChildProcess.run(
                    chromium,
                    [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--mute-audio",
                        "--user-data-dir=\(folder)/profile", "--virtual-time-budget=15000", "--dump-dom",
                        "file://\(folder)/page.html",
                    ], timeout: .seconds(45))
                let dom = result.stdoutText
                let out = try #require(
                    dom.range(of: "<pre id=\"out\">").map { String(dom[$0.upperBound...].prefix { $0 != "<" }) },
                    "\(dom.prefix(500)) \(result.stderrText.suffix(500))")
                let fields = Dictionary(
                    uniqueKeysWithValues: out.split(separator: " ").compactMap { pair -> (String, String)? in
                        let parts = pair.split(separator: "=", maxSplits: 1)
                        return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
                    })
                #expect(Int(fields["readyState"] ?? "") ?? 0 >= 2, "\(out)")
                let name = try #require(
                    RecordingName(videoFileName: String(try Self.filePath(video).split(separator: "/").last!)))
                #expect(abs((Double(fields["duration"] ?? "") ?? 0) - Double(name.seconds ?? 0)) <= 1, "\(out)")
                #expect(fields["width"] == "320", "\(out)")
            }
        }

        @Test func theMotionDetectorRecordsTheMovingObject() async throws {
            try await withServer({ config in
                Self.recordingCamera(&config)
                config.cameras[0].movingObject = true
                config.cameras[0].motionDetection.enabled = true
                config.cameras[0].motionDetection.cooldownSeconds = 1
                config.cameras[0].recording.maxDurationSeconds = 4
            }) { server in
                // Nobody watches: detection alone keeps the camera rendering, and the box crossing it is motion.
                let event = try #require(try await Self.waitForEvents(port: server.port, count: 1).first)
                #expect(event["motion"] as? String == "motion")
                #expect(event["image"] is String)
            }
        }

        static func find(_ tag: String, in bytes: [UInt8]) -> Int? {
            let needle = Array(tag.utf8)
            guard bytes.count >= needle.count else { return nil }
            return (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }
        }
    }
}
