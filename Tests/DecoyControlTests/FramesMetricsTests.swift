import DecoyControl
import DecoyCore
import Foundation
import Testing

@testable import DecoyTestSupport

/// `/metrics` counts MJPEG frames sent to and dropped for viewers, and open streams, per camera.
/// Scrapes call `ControlMetrics.scrape` directly (what `GET /metrics` answers): a blocking curl
/// to the control port would hold a cooperative thread the sandbox needs to answer.
@Suite(.serialized) struct FramesMetricsTests {
    /// The value of `name{…camera_id="id"…}` in a scrape; nil when the series is missing.
    private static func value(_ name: String, camera: Int64, in scrape: String) -> Double? {
        scrape.split(separator: "\n").first { $0.hasPrefix(name + "{") && $0.contains(#"camera_id="\#(camera)""#) }
            .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
    }

    /// curl reading `target` from the tinyCam port (as admin) until `seconds` pass; `arguments` go first.
    private static func stream(
        _ harness: ControlHarness, _ target: String, seconds: Int, _ arguments: [String] = []
    )
        throws -> Process
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "curl", "-sS", "--max-time", String(seconds), "-o", "/dev/null", "-u",
                "\(harness.admin.user):\(harness.admin.password)",
            ]
            + arguments + [harness.tinyCam + target]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private let metrics = ControlMetrics()

    private func scrape(_ harness: ControlHarness) -> String {
        String(decoding: metrics.scrape(harness.sandbox), as: UTF8.self)
    }

    /// Waits (without blocking a thread) for curl to end by its own `--max-time`.
    private static func finished(_ process: Process) async throws -> Bool {
        try await poll(timeout: .seconds(60)) { !process.isRunning }
    }

    @Test func framesSentAndActiveStreamsAppearAndGrowPerCamera() async throws {
        try await ControlHarness.with { harness in
            let camera = try #require(harness.sandbox.runtime.services.cameras.cameras.first).config.id
            let before = scrape(harness)
            #expect(Self.value("decoy_frames_sent_total", camera: camera, in: before) == 0, "\(before)")
            #expect(Self.value("decoy_frames_dropped_total", camera: camera, in: before) == 0, "\(before)")
            #expect(Self.value("decoy_camera_active_streams", camera: camera, in: before) == 0, "\(before)")
            // The stream ends by itself (curl's --max-time): no signal needed.
            let viewer = try Self.stream(harness, "/axis-cgi/mjpg/video.cgi?cameraId=\(camera)", seconds: 6)
            var during = ""
            let streaming = try await poll {
                during = scrape(harness)
                return Self.value("decoy_frames_sent_total", camera: camera, in: during) ?? 0 >= 3
                    && Self.value("decoy_camera_active_streams", camera: camera, in: during) == 1
            }
            #expect(streaming, "\(during)")
            #expect(try await Self.finished(viewer))
            var after = ""
            let ended = try await poll {
                after = scrape(harness)
                return Self.value("decoy_camera_active_streams", camera: camera, in: after) == 0
            }
            #expect(ended, "\(after)")
            let sentDuring = Self.value("decoy_frames_sent_total", camera: camera, in: during) ?? 0
            #expect(Self.value("decoy_frames_sent_total", camera: camera, in: after) ?? 0 >= sentDuring)
        }
    }

    @Test func framesDroppedGrowForAViewerThatReadsTooSlowly() async throws {
        try await ControlHarness.with { harness in
            let camera = try #require(harness.sandbox.runtime.services.cameras.cameras.first).config.id
            // Large, barely compressed frames to a reader taking 1 KiB/s: the buffers fill within
            // a few frames, and from then on the camera's frames are dropped for this viewer.
            let viewer = try Self.stream(
                harness, "/axis-cgi/mjpg/video.cgi?cameraId=\(camera)&compression=0", seconds: 10,
                ["--limit-rate", "1K"])
            var text = ""
            let dropped = try await poll(timeout: .seconds(10)) {
                text = scrape(harness)
                return Self.value("decoy_frames_dropped_total", camera: camera, in: text) ?? 0 > 0
            }
            #expect(dropped, "\(text)")
            #expect(try await Self.finished(viewer))
        }
    }
}

extension FramesMetricsTests {
    @Test func eachCamerasCurrentSizeAndRateAreGauges() async throws {
        try await ControlHarness.with { harness in
            let camera = try #require(harness.sandbox.runtime.services.cameras.cameras.last)
            let id = camera.config.id
            let before = scrape(harness)
            #expect(Self.value("decoy_camera_width_pixels", camera: id, in: before) == 1280, "\(before)")
            #expect(Self.value("decoy_camera_frames_per_second", camera: id, in: before) == 15)
            let performed = try harness.call(
                "POST", "/actions", body: #"{"camera":{"camera":"Doorbell","resolution":"640x360","fps":5}}"#)
            #expect(performed.status == 200, "\(performed.body)")
            try await camera.hub.mediaLoop.submit {}.get()
            let after = scrape(harness)
            #expect(Self.value("decoy_camera_width_pixels", camera: id, in: after) == 640, "\(after)")
            #expect(Self.value("decoy_camera_height_pixels", camera: id, in: after) == 360)
            #expect(Self.value("decoy_camera_frames_per_second", camera: id, in: after) == 5)
            // Synthetic microphones report no device health.
            #expect(!after.contains("decoy_audio_xruns_total"))
        }
    }
}

extension FramesMetricsTests {
    /// RTSP sessions, their frames and bytes, and the H.264 encoder's work appear per camera.
    @Test func rtspSessionsFramesBytesAndH264EncodingAreCounted() async throws {
        try await ControlHarness.with { harness in
            let camera = try #require(harness.sandbox.runtime.services.cameras.cameras.first).config.id
            let before = scrape(harness)
            #expect(Self.value("decoy_rtsp_sessions_total", camera: camera, in: before) == 0, "\(before)")
            let ffprobe = try ChildProcess.tool("ffprobe")
            let port = harness.sandbox.runtime.port
            let url =
                "rtsp://\(harness.admin.user):\(harness.admin.password)@127.0.0.1:\(port)/axis-media/media.amp?cameraId=\(camera)"
            let viewer = try ChildProcess(
                ffprobe, ["-v", "error", "-rtsp_transport", "tcp", "-read_intervals", "%+4", "-show_packets", url])
            var during = ""
            let playing = try await poll {
                during = scrape(harness)
                return Self.value("decoy_rtsp_active_sessions", camera: camera, in: during) == 1
                    && Self.value("decoy_rtsp_frames_sent_total", camera: camera, in: during) ?? 0 >= 3
            }
            #expect(playing, "\(during)")
            #expect(Self.value("decoy_rtsp_sent_bytes_total", camera: camera, in: during) ?? 0 > 1000)
            #expect(Self.value("decoy_h264_frames_encoded_total", camera: camera, in: during) ?? 0 >= 3)
            #expect(Self.value("decoy_h264_encode_seconds_total", camera: camera, in: during) ?? 0 > 0)
            _ = try await Blocking.run { viewer.wait(timeout: .seconds(60)) }
            var after = ""
            let ended = try await poll {
                after = scrape(harness)
                return Self.value("decoy_rtsp_active_sessions", camera: camera, in: after) == 0
            }
            #expect(ended, "\(after)")
            #expect(Self.value("decoy_rtsp_sessions_total", camera: camera, in: after) == 1)
        }
    }
}
