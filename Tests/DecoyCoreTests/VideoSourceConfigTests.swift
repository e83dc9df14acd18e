import DecoyCore
import DecoyMedia
import Testing

/// The diagnostics for a file with one camera made of `lines` (indented under it).
private func diagnostics(_ lines: String) -> [ConfigDiagnostic] {
    let yaml = "cameras:\n  - name: Webcam\n    id: 1\n" + lines
    do {
        _ = try ConfigLoader.parse(yaml, file: "cams.yaml")
        Issue.record("expected errors, but the file parsed")
        return []
    } catch let error as ConfigError {
        return error.diagnostics
    } catch {
        Issue.record("expected a ConfigError, got \(error)")
        return []
    }
}

@Suite("VideoSource configuration and factory")
struct VideoSourceConfigTests {
    @Test("a v4l2 camera reads device, format, resolution and fps")
    func reads() throws {
        let yaml = """
            cameras:
              - name: Webcam
                id: 1
                source: v4l2
                device: /dev/video0
                format: mjpeg
                resolution: 1280x720
                fps: 25
              - name: ByID
                id: 2
                source: v4l2
                device: usb-046d_HD_Pro_Webcam_C920-video-index0
            """
        let cameras = try ConfigLoader.parse(yaml, file: "cams.yaml").cameras
        #expect(cameras[0].source == .v4l2)
        #expect(cameras[0].device == "/dev/video0")
        #expect(cameras[0].captureFormat == .mjpeg)
        #expect(cameras[0].resolution == PixelSize(width: 1280, height: 720))
        #expect(cameras[0].fps == 25)
        #expect(cameras[1].captureFormat == .auto)
        #expect(cameras[1].device == "usb-046d_HD_Pro_Webcam_C920-video-index0")
    }

    @Test(
        "mistakes are reported at their line and column with what to do",
        arguments: [
            ("    source: v4l2\n", "no 'device'", 4),
            ("    source: v4l2\n    device: ''\n", "must be a V4L2 device", 5),
            ("    source: v4l2\n    device: /dev/video0\n    format: h264\n", "must be one of auto, mjpeg", 6),
            ("    device: /dev/video0\n", "only for 'source: v4l2'", 4),
            ("    format: yuyv\n", "only for 'source: v4l2'", 4),
            ("    source: webcam\n", "must be one of synthetic, v4l2", 4),
        ])
    func errors(lines: String, message: String, line: Int) {
        let found = diagnostics(lines)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
        #expect(found.first?.line == line, "\(found)")
        #expect(found.first?.file == "cams.yaml")
    }

    @Test("without device support a v4l2 camera gets a source with no signal; synthetic stays synthetic")
    func syntheticFactory() {
        var camera = CameraConfig(name: "Webcam", id: 1, source: .v4l2)
        camera.device = "/dev/video0"
        let request = VideoSourceRequest(config: camera) { number, time in SceneState(frameNumber: number) }
        let source = VideoSources.synthetic(request)
        #expect(source is UnavailableVideoSource)
        #expect(source.health == .noSignal)
        #expect(source.health.cameraHealth == .noSignal)
        let synthetic = VideoSources.synthetic(
            VideoSourceRequest(config: CameraConfig(name: "S", id: 2)) { _, _ in SceneState() })
        #expect(synthetic is SyntheticVideoSource)
        #expect(synthetic.health == .live)
        #expect(VideoSourceHealth.reopening.cameraHealth == .noSignal)
    }

    @Test("a camera whose device is unavailable still serves: snapshots are the NO SIGNAL card")
    func cameraServesNoSignal() async throws {
        try await withEventLoopGroup { group in
            var config = CameraConfig(
                name: "Webcam", id: 1, source: .v4l2, resolution: PixelSize(width: 160, height: 120))
            config.device = "/dev/video-missing"
            let camera = Camera(
                config: config, index: 1, clock: ManualClock(), presets: PresetStore(file: nil),
                timeZone: LocalTimeZone(identifier: "UTC"), mediaLoop: group.next())
            let frame = try await camera.hub.snapshot(
                FrameVariant(size: config.resolution, quality: 70, passthrough: true)
            ).get()
            let image = try JPEGDecoder().decodeI420(Array(buffer: frame.jpeg))
            #expect(image.size == config.resolution)
            #expect(camera.health == .noSignal)
            await camera.shutdown()
        }
    }
}
