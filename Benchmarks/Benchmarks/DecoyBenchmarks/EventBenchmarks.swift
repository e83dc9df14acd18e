import Benchmark
import DecoyCore
import DecoyTinyCam
import Foundation
import NIOPosix

/// The event list and the index rebuild over 10 000 recorded events (targets: a page of 100 in
/// ≤ 2 ms at p99, including authentication and JSON; the rebuild at start in ≤ 1 s). The clips
/// are small files with real names: the index reads names and metadata, never contents.
func eventBenchmarks() {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(3), maxIterations: 5000)
    let count = 10_000
    let start: Int64 = 1_700_000_000_000

    /// A recordings folder with `count` clips and thumbnails over two cameras, one event a minute.
    func makeFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "decoy-bench-events-\(count)"
        if FileManager.default.fileExists(atPath: folder + "/.complete") { return folder }
        try? FileManager.default.removeItem(atPath: folder)
        let types = EventType.allCases
        for index in 0..<count {
            let camera = index % 2 == 0 ? "Front yard" : "Doorbell"
            let time = start + Int64(index) * 60_000
            let name = RecordingName(
                stamp: LocalStamp(utcMilliseconds: time, offsetSeconds: 0), seconds: 10 + index % 50,
                type: types[index % types.count], pinned: index % 97 == 0)
            let path = folder + "/" + camera
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path + "/" + name.videoFileName, contents: Data(count: 16))
            _ = FileManager.default.createFile(atPath: path + "/" + name.thumbnailFileName, contents: Data(count: 8))
        }
        _ = FileManager.default.createFile(atPath: folder + "/.complete", contents: Data())
        return folder
    }

    func configuration(recordings folder: String) -> DecoyConfig {
        var decoy = DecoyConfig(cameras: DecoyConfig.defaultCameras)
        decoy.storage.recordingsDirectory = folder
        decoy.storage.timeZone = "UTC"
        decoy.storage.maxSizeBytes = nil
        decoy.storage.maxAgeDays = nil
        return decoy
    }

    Benchmark(
        "Event index rebuild, \(count) clips",
        configuration: .init(metrics: [.wallClock, .cpuTotal], maxIterations: 20)
    ) { benchmark in
        let folder = try makeFolder()
        let decoy = configuration(recordings: folder)
        let root = try StorageRoot(path: folder)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let store = EventStore(
                root: root, cameras: decoy.cameras, timeZone: LocalTimeZone(identifier: "UTC"),
                retention: RetentionPolicy())
            precondition(store.count == count)
            blackHole(store)
        }
    }

    // One API over the folder for every sample (building it rebuilds the index, ~0.4 s), warmed
    // up before measuring; one request per sample.
    let listConfig = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 2000)
    Benchmark("get_cam_event_list count=100 over \(count) events (auth, query, JSON)", configuration: listConfig) {
        benchmark in
        let api = try SharedEventAPI.make(configuration(recordings: try makeFolder()))
        var generator = SplitMix(seed: 42)
        func request() -> TinyCamRequest {
            let end = start + Int64(generator.next() % UInt64(count * 60_000))
            return TinyCamRequest(
                method: "GET",
                target: "/api/v1/get_cam_event_list?user=guest&pwd=guest&cameraId=-1&endtime=\(end)&count=100",
                headers: [], clientAddress: "127.0.0.1")
        }
        for _ in 0..<20 { blackHole(await api.handle(request())) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(await api.handle(request()))
        }
    }
}

/// The API built once per process for the event-list benchmark.
enum SharedEventAPI {
    nonisolated(unsafe) private static var api: TinyCamAPI?

    static func make(_ decoy: DecoyConfig) throws -> TinyCamAPI {
        if let api { return api }
        let clock = SystemClock()
        let cameras = CameraRegistry(
            config: decoy, clock: clock, mediaGroup: MultiThreadedEventLoopGroup.singleton, stateDirectory: nil)
        let made = TinyCamAPI(
            services: TinyCamServices(config: decoy, cameras: cameras, clock: clock, stateDirectory: nil))
        api = made
        return made
    }
}

/// A small seeded generator, so every run pages through the same end times.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
