import DecoyMedia
import Foundation
import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Fills a new sandbox with a few recorded events, so `get_cam_event_list` is never empty out of
/// the box: clips of the synthetic camera showing what their type says, recorded at first start
/// in the background (never binary files in the repository), one of them pinned.
///
/// Only the embedded default seeds, and only into a recordings folder that was never seeded
/// (a marker file remembers it, so deleting every event does not bring them back).
///
/// A seeding stopped part-way (Decoy stopped or killed) resumes at the next start without
/// recording any event twice: the first attempt writes its time base before anything else, so
/// every planned event has the same start time in every attempt, and an event already in the
/// index at that time on that camera was committed whole (commits are atomic) and is skipped.
public struct EventSeeder: Sendable {
    /// One seeded event: which camera (index in the config), its type, how long ago, pinned or not.
    public struct Plan: Sendable, Equatable {
        public var camera: Int
        public var type: EventType
        public var hoursAgo: Double
        public var pinned: Bool
    }

    /// Different types on both cameras, one pinned.
    public static let sandboxPlan = [
        Plan(camera: 0, type: .person, hoursAgo: 2, pinned: true),
        Plan(camera: 0, type: .vehicle, hoursAgo: 5, pinned: false),
        Plan(camera: 0, type: .motion, hoursAgo: 26, pinned: false),
        Plan(camera: 1, type: .person, hoursAgo: 1, pinned: false),
        Plan(camera: 1, type: .face, hoursAgo: 3, pinned: false),
        Plan(camera: 1, type: .pet, hoursAgo: 8, pinned: false),
    ]

    static let markerName = ".decoy-seeded"
    /// Holds the time base (Unix milliseconds) of a seeding under way, so a resumed one plans the same times.
    static let progressName = ".decoy-seeding"
    /// Seconds before the object enters, while it is shown, and after it left.
    static let phases = (before: 3.0, during: 5.0, after: 3.0)

    let store: EventStore
    let cameras: [CameraConfig]
    let encoderPath: String
    let timeZone: LocalTimeZone
    let logger: Logger

    public init(
        store: EventStore, cameras: [CameraConfig], encoderPath: String, timeZone: LocalTimeZone,
        logger: Logger = Logger(label: "decoy.seeder")
    ) {
        self.store = store
        self.cameras = cameras
        self.encoderPath = encoderPath
        self.timeZone = timeZone
        self.logger = logger
    }

    /// Whether this folder still wants its seed events.
    public var isNeeded: Bool { access(path(Self.markerName), F_OK) != 0 }

    /// A file of the recordings folder's own (the markers), beside the camera folders.
    private func path(_ name: String) -> String { store.root.path + "/" + name }

    /// Records every planned event relative to `now` (or to the time base of an earlier attempt
    /// that stopped part-way); returns how many were recorded by this call.
    @discardableResult
    public func run(plan: [Plan] = sandboxPlan, now: Int64) async -> Int {
        guard isNeeded else { return 0 }
        let base = timeBase(now: now)
        var recorded = 0
        var resumed = 0
        for item in plan where cameras.indices.contains(item.camera) {
            let start = base - Int64(item.hoursAgo * 3_600_000)
            if store.hasEvent(cameraID: cameras[item.camera].id, at: start) {
                resumed += 1
                continue
            }
            do {
                try await record(item, start: start, now: now)
                recorded += 1
            } catch is CancellationError {
                return recorded
            } catch {
                logger.error("could not seed a \(item.type.rawValue) event: \(error)")
            }
        }
        if (try? EventStore.writeSynced([], to: path(Self.markerName))) != nil { unlink(path(Self.progressName)) }
        let earlier = resumed > 0 ? " (\(resumed) more were seeded by an earlier start that stopped part-way)" : ""
        logger.info("seeded \(recorded) example events into \(store.root.path)\(earlier)")
        return recorded
    }

    /// The time base an earlier, interrupted attempt wrote, else `now`, written (synced) before any
    /// event is recorded.
    private func timeBase(now: Int64) -> Int64 {
        let progress = path(Self.progressName)
        if let text = try? String(contentsOfFile: progress, encoding: .utf8),
            let base = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            logger.info("resuming the example events an earlier start began seeding")
            return base
        }
        do {
            // Written aside and renamed, so a crash never leaves a half-written time base.
            try EventStore.writeSynced(Array("\(now)\n".utf8), to: progress + ".new")
            try EventStore.rename(progress + ".new", to: progress)
            // The rename itself on disk before any event is: else a power cut could keep an event
            // and lose the base it was planned from.
            EventStore.syncFolder(store.root.path)
        } catch {
            logger.warning("could not note the seeding's progress in \(progress): \(error)")
        }
        return now
    }

    private func record(_ item: Plan, start: Int64, now: Int64) async throws {
        let camera = cameras[item.camera]
        let fps = camera.fps
        let total = Self.phases.before + Self.phases.during + Self.phases.after
        let frames = Int(total * Double(fps))
        let objectStart = start + Int64(Self.phases.before * 1000)
        let object = CameraActivity.object(
            for: item.type, start: objectStart, end: objectStart + Int64(Self.phases.during * 1000),
            seed: UInt64(item.camera * 31 + Int(item.hoursAgo)))
        let renderer = SyntheticRenderer(cameraName: camera.name, size: camera.resolution, seed: camera.seed)
        let jpeg = try JPEGEncoder()
        let output = try store.root.temporaryFile(camera: camera.name, label: "seed")
        let encoder = ClipEncoder(executable: encoderPath, output: output, framesPerSecond: fps)
        var thumbnail: [UInt8]?
        let thumbnailFrame = Int((Self.phases.before + Self.phases.during / 2) * Double(fps))
        for number in 0..<frames {
            if Task.isCancelled {
                encoder.cancel()
                throw CancellationError()
            }
            let time = start + Int64(number) * 1000 / Int64(fps)
            let state = SceneState(
                frameNumber: UInt64(number + 1), timeMilliseconds: time,
                utcOffsetSeconds: timeZone.utcOffsetSeconds(atMilliseconds: time),
                objects: object.map { [$0] } ?? [])
            let bytes = try jpeg.encode(renderer.render(state), quality: camera.recording.quality)
            if number == thumbnailFrame { thumbnail = bytes }
            // Back-pressure from the encoder process, which works in real time: this wait is real
            // time on purpose (on a virtual clock it would move time while nothing happens in it).
            while !encoder.append(ByteBuffer(bytes: bytes)) { try await Task.sleep(nanoseconds: 5_000_000) }
        }
        try await encoder.finish()
        try store.commit(
            .init(
                camera: camera, startMilliseconds: start, durationMilliseconds: Int64(frames) * 1000 / Int64(fps),
                type: item.type, temporaryVideo: output, thumbnailJPEG: thumbnail, pinned: item.pinned),
            now: now)
    }
}
