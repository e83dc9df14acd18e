import Foundation
import Logging
import NIOCore

/// The cameras Decoy serves, in `get_cam_list` order.
public final class CameraRegistry: Sendable {
    public let cameras: [Camera]
    public let presets: PresetStore
    /// The recorded events; nil when Decoy keeps no files (no state folder and no recordings folder).
    public let events: EventStore?
    /// The sandbox's first start records example events in the background (see `EventSeeder`).
    public let seeding: Task<Int, Never>?

    /// Builds every configured camera; each camera's frames are made on one loop of `mediaGroup`
    /// (spread round-robin), never on a network loop.
    ///
    /// The recordings folder is `storage.recordings`, or `recordings` inside the state folder; when
    /// it cannot be created, or `ffmpeg` is missing, recording stays off and the log says why.
    /// `audioSources` makes each listening camera's sound source and `videoSources` each camera's
    /// picture source (synthetic unless a device-aware factory is injected).
    public init(
        config: DecoyConfig, clock: any DecoyClock, mediaGroup: any EventLoopGroup, stateDirectory: URL?,
        logger: Logger = Logger(label: "decoy.recordings"),
        audioSources: @escaping AudioSourceFactory = AudioSources.synthetic,
        videoSources: @escaping VideoSourceFactory = VideoSources.synthetic
    ) {
        let presets = PresetStore(file: stateDirectory?.appendingPathComponent("ptz-presets.json"))
        let timeZone = LocalTimeZone(identifier: config.storage.timeZone)
        self.presets = presets
        let events = Self.openEvents(config: config, stateDirectory: stateDirectory, timeZone: timeZone, logger: logger)
        self.events = events
        var recordings: RecordingServices?
        if let events, config.cameras.contains(where: { $0.recording.enabled }) {
            if let encoder = RecordingServices.locateEncoder() {
                recordings = RecordingServices(store: events, encoderPath: encoder)
            } else {
                logger.error(
                    "recording is off: the ffmpeg program is not installed (Tools/setup.sh installs it, or apt-get install ffmpeg)"
                )
            }
        }
        if config.isEmbeddedDefault, let recordings {
            let seeder = EventSeeder(
                store: recordings.store, cameras: config.cameras, encoderPath: recordings.encoderPath,
                timeZone: timeZone)
            seeding =
                seeder.isNeeded
                ? Task.detached(priority: .background) { await seeder.run(now: clock.nowMilliseconds()) } : nil
        } else {
            seeding = nil
        }
        self.cameras = config.cameras.enumerated().map { offset, camera in
            Camera(
                config: camera, index: offset + 1, clock: clock, presets: presets, timeZone: timeZone,
                mediaLoop: mediaGroup.next(), recordings: recordings, audioSources: audioSources,
                videoSources: videoSources)
        }
    }

    public func camera(id: Int64) -> Camera? { cameras.first { $0.config.id == id } }

    /// `camera=N`: 1-based.
    public func camera(index: Int) -> Camera? {
        cameras.indices.contains(index - 1) ? cameras[index - 1] : nil
    }

    /// The camera a client names by id or by name (scenarios accept both).
    public func camera(named name: String) -> Camera? {
        cameras.first { $0.config.name == name } ?? Int(decimal: name).flatMap { camera(id: Int64($0)) }
    }

    /// Stops every frame pipeline. Prefer `stop()`, which also finishes clips being recorded.
    public func shutdown() {
        seeding?.cancel()
        cameras.forEach {
            $0.hub.shutdown()
            $0.audio?.shutdown()
        }
    }

    /// Stops every frame pipeline; clips being recorded are finished and kept.
    public func stop() async {
        seeding?.cancel()
        _ = await seeding?.value
        for camera in cameras { await camera.shutdown() }
    }

    private static func openEvents(
        config: DecoyConfig, stateDirectory: URL?, timeZone: LocalTimeZone, logger: Logger
    ) -> EventStore? {
        guard
            let folder = config.storage.recordingsDirectory ?? stateDirectory?.appendingPathComponent("recordings").path
        else { return nil }
        do {
            let root = try StorageRoot(path: folder)
            let retention = RetentionPolicy(
                maximumBytes: config.storage.maxSizeBytes,
                maximumAgeMilliseconds: config.storage.maxAgeDays.map { Int64($0 * 86_400_000) })
            return EventStore(
                root: root, cameras: config.cameras, timeZone: timeZone, retention: retention, logger: logger)
        } catch {
            logger.error("recordings are off: \(error)")
            return nil
        }
    }
}
