import Benchmark
import DecoyMedia
import DecoyTinyCam

/// The per-frame costs of a synthetic camera at 1280x720 (target: rendering ≤ 2 ms on one core),
/// and the per-request cost of building JSON. Peers in the same run: a JPEG encode of the same
/// frame is the ceiling the renderer is compared with.
let benchmarks: @Sendable () -> Void = {
    let size = PixelSize(width: 1280, height: 720)
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(3), maxIterations: 2000)

    /// Renders successive frames; `step` changes the state between frames (the clock, or PTZ).
    func renderBenchmark(_ name: String, step: @escaping @Sendable (inout SceneState) -> Void) {
        Benchmark(name, configuration: config) { benchmark in
            let renderer = SyntheticRenderer(cameraName: "Front yard", size: size, seed: 1)
            var state = SceneState(frameNumber: 0, timeMilliseconds: 1_601_381_164_000, utcOffsetSeconds: 0)
            _ = renderer.render(state)  // builds the cached background outside the measurement
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                state.frameNumber += 1
                state.timeMilliseconds += 66
                step(&state)
                blackHole(renderer.render(state))
            }
        }
    }

    renderBenchmark("Render 1280x720, camera still") { _ in }
    renderBenchmark("Render 1280x720, camera panning") { state in
        state.viewport.pan = Double(state.frameNumber % 200) / 100 - 1
    }
    renderBenchmark("Render 1280x720, camera zooming") { state in
        state.viewport.zoom = 1 + Double(state.frameNumber % 300) / 100
    }

    Benchmark("Encode 1280x720 I420 q70 (turbojpeg)", configuration: config) { benchmark in
        let renderer = SyntheticRenderer(cameraName: "Front yard", size: size, seed: 1)
        let frame = renderer.render(SceneState(frameNumber: 1, timeMilliseconds: 0, utcOffsetSeconds: 0))
        let encoder = try JPEGEncoder()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encode(frame, quality: 70) { $0.count })
        }
    }

    Benchmark("Scale 1280x720 → 640x360", configuration: config) { benchmark in
        let renderer = SyntheticRenderer(cameraName: "Front yard", size: size, seed: 1)
        let frame = renderer.render(SceneState(frameNumber: 1, timeMilliseconds: 0, utcOffsetSeconds: 0))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(frame.scaled(to: PixelSize(width: 640, height: 360)))
        }
    }

    Benchmark("JSON get_cam_list body", configuration: config) { benchmark in
        let camera = JSONValue.object([
            ("name", .string("Front yard")), ("enabled", .bool(true)), ("id", .int(182_399_567)),
            ("ptzCapabilities", .int(230_911)), ("audioListening", .bool(true)), ("cloudAccess", .bool(false)),
        ])
        for _ in benchmark.scaledIterations {
            blackHole(JSONValue.envelope(.array([camera, camera])).serialized)
        }
    }

    motionBenchmarks()
    eventBenchmarks()
}
