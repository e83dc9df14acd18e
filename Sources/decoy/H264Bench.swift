import ArgumentParser
import DecoyCore
import DecoyMedia
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// `decoy h264-bench`: Decoy's side of `Tools/h264-bench.sh` (hidden: a measurement, not a feature).
///
/// Renders the frames a synthetic camera shows, optionally writes them as raw I420 for the C
/// reference harness, then streams them through a real `FrameHub` (one H.264 subscriber, a manual
/// clock advanced as fast as the hub keeps up), so what is measured is Decoy's whole H.264 path:
/// the encoder as the hub drives it, the copy into the shared frame and the delivery.
struct H264Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "h264-bench", abstract: "Measure Decoy's H.264 encoding (used by Tools/h264-bench.sh).",
        shouldDisplay: false)

    @Option(help: "Frames to encode per pass.") var frames = 300
    @Option(help: "Picture size.") var size = "640x480"
    @Option(help: "Frame rate (the clock advances one interval per frame).") var fps = 30
    @Option(help: "H.264 quality 1...100.") var quality = 70
    @Option(help: "Passes; the best is reported.") var passes = 3
    @Option(name: .customLong("write-frames"), help: "Write the frames as raw I420 to this file.")
    var writeFrames: String?

    func run() throws {
        guard let size = PixelSize(size) else { throw ValidationError("--size must be WxH, got \(self.size)") }
        let renderer = SyntheticRenderer(cameraName: "Bench", size: size, seed: 1)
        let start: Int64 = 1_700_000_000_000
        let pictures = (0..<frames).map { index in
            renderer.render(
                SceneState(frameNumber: UInt64(index + 1), timeMilliseconds: start + Int64(index) * 1000 / Int64(fps)))
        }
        if let writeFrames {
            guard FileManager.default.createFile(atPath: writeFrames, contents: nil),
                let file = FileHandle(forWritingAtPath: writeFrames)
            else { throw ValidationError("cannot write \(writeFrames)") }
            for picture in pictures { file.write(Data(picture.bytes)) }
            try file.close()
        }
        let variant = H264Variant(size: size, rateControl: .quality(quality))
        var best: Pass?
        for _ in 0..<passes {
            let pass = try measure(pictures, variant: variant)
            if best == nil || pass.cpuSeconds < best!.cpuSeconds { best = pass }
        }
        guard let best else { return }
        let qp = H264RateControl.quantizer(forQuality: quality)
        print(
            "decoy: \(best.frames) frames \(size), \(best.bytes) bytes (QP \(qp), GOP \(fps)); best of \(passes) passes: "
                + String(
                    format: "%.3f s wall (%.1f fps), %.3f s CPU (%.1f fps), encoder alone %.3f s (%.1f fps)",
                    best.wallSeconds, Double(best.frames) / best.wallSeconds, best.cpuSeconds,
                    Double(best.frames) / best.cpuSeconds, best.encoderSeconds,
                    Double(best.frames) / best.encoderSeconds))
    }

    private struct Pass {
        var frames: Int
        var bytes: Int
        var wallSeconds: Double
        var cpuSeconds: Double
        var encoderSeconds: Double
    }

    /// One pass: a hub over `pictures`, subscribed for `pictures.count` frames.
    private func measure(_ pictures: [I420Image], variant: H264Variant) throws -> Pass {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let clock = ManualClock(startMilliseconds: 0, timers: .onAdvance)
        let size = variant.size
        let fps = self.fps
        let hub = FrameHub(
            nativeSize: size, framesPerSecond: fps, mediaLoop: group.next(), clock: clock,
            makeSource: { _ in ReplaySource(pictures, fps: fps) })
        let counter = AccessUnitCounter()
        let wall = ProcessClock.now(CLOCK_MONOTONIC)
        let cpu = ProcessClock.now(CLOCK_PROCESS_CPUTIME_ID)
        hub.subscribe(counter, variant: variant)  // the first frame now, then one per interval
        try hub.mediaLoop.submit {}.wait()  // subscribed (and the timer of the second frame set) before the clock moves
        clock.advance(by: Int64(pictures.count - 1) * 1000 / Int64(fps))
        let counts = try hub.mediaLoop.submit { hub.counts }.wait()
        let wallSeconds = ProcessClock.now(CLOCK_MONOTONIC) - wall
        let cpuSeconds = ProcessClock.now(CLOCK_PROCESS_CPUTIME_ID) - cpu
        hub.unsubscribe(counter, variant: variant)
        hub.shutdown()
        let (frames, bytes) = counter.totals
        guard frames == pictures.count, counts.h264FramesEncoded == frames else {
            throw ValidationError("expected \(pictures.count) access units, got \(frames)")
        }
        return Pass(
            frames: frames, bytes: bytes, wallSeconds: wallSeconds, cpuSeconds: cpuSeconds,
            encoderSeconds: Double(counts.h264EncodeNanoseconds) / 1e9)
    }
}

/// Hands out pre-rendered frames in order, so rendering is not part of the measurement.
private final class ReplaySource: VideoSource {
    private let pictures: [I420Image]
    let framesPerSecond: Int
    private var next = 0

    init(_ pictures: [I420Image], fps: Int) {
        self.pictures = pictures
        self.framesPerSecond = fps
    }

    var nativeSize: PixelSize { pictures[0].size }
    func start() throws {}
    func stop() {}
    func frame(number: UInt64, timeMilliseconds: Int64) throws -> I420Image? {
        defer { next += 1 }
        return pictures[next % pictures.count]
    }
}

/// Counts access units and their bytes.
private final class AccessUnitCounter: H264Subscriber {
    private let box = NIOLockedValueBox((frames: 0, bytes: 0))
    func deliver(_ frame: H264Frame) {
        box.withLockedValue {
            $0.frames += 1
            $0.bytes += frame.payload.readableBytes + 4 * frame.nalRanges.count  // with start codes
        }
    }
    var totals: (frames: Int, bytes: Int) { box.withLockedValue { ($0.frames, $0.bytes) } }
}

/// Seconds on a POSIX clock.
private enum ProcessClock {
    static func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
