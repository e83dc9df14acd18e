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

/// A device stand-in handing over a fixed picture: dark left half, bright right half.
private final class HalvesSource: VideoSource {
    static let size = PixelSize(width: 160, height: 120)
    var nativeSize: PixelSize { Self.size }
    var framesPerSecond: Int { 10 }
    func start() throws {}
    func stop() {}
    func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? {
        var image = I420Image(size: Self.size)
        for row in 0..<Self.size.height {
            for column in 0..<Self.size.width { image.bytes[row * Self.size.width + column] = column < 80 ? 20 : 220 }
        }
        return image
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

    @Test("a device camera's PTZ is digital: a preset zoomed in on the right shows only the bright half")
    func digitalPTZ() async throws {
        try await withEventLoopGroup { group in
            var config = CameraConfig(
                name: "Webcam", id: 1, ptzCapabilities: 0x18, source: .v4l2, resolution: HalvesSource.size)
            config.device = "/dev/video0"
            let presets = PresetStore(file: nil)
            let clock = ManualClock()
            let camera = Camera(
                config: config, index: 1, clock: clock, presets: presets,
                timeZone: LocalTimeZone(identifier: "UTC"), mediaLoop: group.next(),
                videoSources: { _ in HalvesSource() })
            let variant = FrameVariant(size: HalvesSource.size, quality: 90, passthrough: true)
            let wide = try JPEGDecoder().decodeI420(Array(buffer: try await camera.hub.snapshot(variant).get().jpeg))
            try presets.save(Viewport(pan: 1, zoom: 2), as: 1, camera: 1)
            try camera.apply([.gotoPreset(1)])
            clock.advance(by: 1000)  // past the fresh snapshot: the next one is new
            let zoomed = try JPEGDecoder().decodeI420(Array(buffer: try await camera.hub.snapshot(variant).get().jpeg))
            func meanLuma(_ image: I420Image) -> Double {
                Double(image.bytes[image.lumaRange].reduce(0) { $0 + Int($1) }) / Double(image.lumaRange.count)
            }
            #expect(abs(meanLuma(wide) - 120) < 10, "the whole frame: half dark, half bright")
            #expect(meanLuma(zoomed) > 200, "only the bright half")
            await camera.shutdown()
        }
    }
}
