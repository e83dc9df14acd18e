import Benchmark
import DecoyMedia

/// The per-frame costs of motion detection at 640x480 (target: ≤ 2 % of one core at 15 fps, i.e. ≤ 1.3 ms
/// per frame) and of rendering a frame with a person crossing, next to the plain render benchmarks.
func motionBenchmarks() {
    let size = PixelSize(width: 640, height: 480)
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(3), maxIterations: 2000)
    let start: Int64 = 1_601_381_164_000
    let person = SceneObject(kind: .person, startMilliseconds: start, durationMilliseconds: 3_600_000, seed: 3)

    // Rendered once: the benchmark closure runs once per sample, and building the world each time would
    // dominate the run.
    let renderer = SyntheticRenderer(cameraName: "Front yard", size: size, seed: 1)
    let frames = (0..<16).map { index in
        renderer.render(
            SceneState(frameNumber: UInt64(index), timeMilliseconds: start + Int64(index) * 66, objects: [person]))
    }

    Benchmark("Motion detection 640x480", configuration: config) { benchmark in
        let detector = MotionDetector(settings: MotionSettings(), mask: SyntheticOverlay.dynamicRegions(for: size))
        // Learns the background and warms the caches outside the measurement, as on a camera that has been
        // running for a while.
        for frame in frames { blackHole(detector.analyze(frame)) }
        var index = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            index = (index + 1) % frames.count
            blackHole(detector.analyze(frames[index]))
        }
    }

    Benchmark("Render 640x480 with a person", configuration: config) { benchmark in
        let renderer = SyntheticRenderer(cameraName: "Front yard", size: size, seed: 1)
        var state = SceneState(frameNumber: 0, timeMilliseconds: start, objects: [person])
        _ = renderer.render(state)  // builds the cached background outside the measurement
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            state.frameNumber += 1
            state.timeMilliseconds += 66
            blackHole(renderer.render(state))
        }
    }
}
