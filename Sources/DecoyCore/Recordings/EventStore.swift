import Foundation
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// The recorded events of every camera: the files under the recordings folder are the truth, and
/// this is their index, rebuilt from the files at start and kept in memory.
///
/// Crash safety comes from the order of file operations, so the rebuild can always tell what
/// happened: a clip is written under a temporary name, synced and renamed last (its thumbnail is
/// renamed into place just before it); pin/unpin rename the clip first and the thumbnail after;
/// delete removes the clip first. At start, temporary files are removed, a thumbnail whose clip
/// was renamed is renamed after it, and a thumbnail without a clip is removed.
public final class EventStore: Sendable {
    public let root: StorageRoot
    private let cameras: [CameraConfig]
    private let timeZone: LocalTimeZone
    private let retention: RetentionPolicy
    private let logger: Logger
    private let index = NIOLockedValueBox(EventIndex())

    /// Opens the folder and rebuilds the index from its files (see the type's comment).
    public init(
        root: StorageRoot, cameras: [CameraConfig], timeZone: LocalTimeZone, retention: RetentionPolicy,
        logger: Logger = Logger(label: "decoy.recordings")
    ) {
        self.root = root
        self.cameras = cameras
        self.timeZone = timeZone
        self.retention = retention
        self.logger = logger
        let rebuilt = Self.rebuild(root: root, cameras: cameras, timeZone: timeZone, logger: logger)
        index.withLockedValue { $0 = rebuilt }
    }

    public var count: Int { index.withLockedValue { $0.count } }

    /// Bytes of every indexed clip and thumbnail (`get_status` `spaceUsed`).
    public var totalBytes: Int64 { index.withLockedValue { $0.totalBytes } }

    /// Newest first, per the query.
    public func list(_ query: EventQuery) -> [EventRecord] { index.withLockedValue { $0.query(query) } }

    /// Whether `cameraID` has an event starting exactly at `time` (Unix milliseconds).
    public func hasEvent(cameraID: Int64, at time: Int64) -> Bool {
        index.withLockedValue { $0.record(at: time)?.cameraID == cameraID }
    }

    public func record(forPath clientPath: String) -> EventRecord? {
        index.withLockedValue { $0.record(forPath: clientPath) }
    }

    /// The absolute path of an indexed clip or thumbnail, checked to be inside the root; nil for
    /// anything else (not indexed, escaping, vanished), without saying which.
    public func servableFile(clientPath: String) -> String? {
        guard record(forPath: clientPath) != nil else { return nil }
        return root.resolve(clientPath: clientPath)
    }

    // MARK: - Adding clips

    /// A finished recording waiting to be put in place.
    public struct FinishedClip: Sendable {
        public var camera: CameraConfig
        public var startMilliseconds: Int64
        public var durationMilliseconds: Int64
        public var type: EventType
        /// The complete, synced MP4 under a temporary name (`StorageRoot.temporaryFile`).
        public var temporaryVideo: String
        public var thumbnailJPEG: [UInt8]?
        public var pinned: Bool

        public init(
            camera: CameraConfig, startMilliseconds: Int64, durationMilliseconds: Int64, type: EventType,
            temporaryVideo: String, thumbnailJPEG: [UInt8]?, pinned: Bool = false
        ) {
            self.camera = camera
            self.startMilliseconds = startMilliseconds
            self.durationMilliseconds = durationMilliseconds
            self.type = type
            self.temporaryVideo = temporaryVideo
            self.thumbnailJPEG = thumbnailJPEG
            self.pinned = pinned
        }
    }

    /// Names the clip, writes its thumbnail, renames both into place and lists the event.
    @discardableResult
    public func commit(_ clip: FinishedClip, now: Int64) throws(StorageError) -> EventRecord {
        let camera = clip.camera.name
        let seconds = Int((clip.durationMilliseconds + 500) / 1000)
        // The index lock is held while naming and renaming so two clips never take one name or one time.
        let record = try locked { index throws(StorageError) -> EventRecord in
            var time = clip.startMilliseconds
            while index.record(at: time) != nil { time += 1 }
            var stampTime = time
            var name = RecordingName(
                stamp: stamp(of: stampTime), seconds: seconds, type: clip.type, pinned: clip.pinned)
            while FileManager.default.fileExists(atPath: root.file(camera: camera, name: name.videoFileName))
                || FileManager.default.fileExists(
                    atPath: root.file(camera: camera, name: name.pinned(!name.pinned).videoFileName))
            {
                stampTime += 1000
                name.stamp = stamp(of: stampTime)
            }
            var bytes = Self.fileSize(clip.temporaryVideo)
            var hasThumbnail = false
            if let jpeg = clip.thumbnailJPEG {
                let temporary = try root.temporaryFile(camera: camera, label: "thumbnail")
                try Self.writeSynced(jpeg, to: temporary)
                try Self.rename(temporary, to: root.file(camera: camera, name: name.thumbnailFileName))
                bytes += Int64(jpeg.count)
                hasThumbnail = true
            }
            Self.syncFile(clip.temporaryVideo)
            Self.setModificationTime(clip.temporaryVideo, milliseconds: time)
            try Self.rename(clip.temporaryVideo, to: root.file(camera: camera, name: name.videoFileName))
            Self.syncFolder(root.folder(camera: camera))
            return index.insert(
                EventRecord(
                    cameraID: clip.camera.id, cameraName: camera, time: time, name: name, hasThumbnail: hasThumbnail,
                    bytes: bytes, cloud: Self.isCloud(time: time, camera: clip.camera)))
        }
        logger.info("recorded \(record.videoPath) (\(record.bytes) bytes)")
        enforceRetention(now: now)
        return record
    }

    // MARK: - param.cgi file actions

    /// `action=pin|unpin`: renames clip then thumbnail; returns the event as it is now.
    @discardableResult
    public func setPinned(_ pinned: Bool, clientPath: String) throws(StorageError) -> EventRecord {
        try locked { index throws(StorageError) -> EventRecord in
            guard var record = index.record(forPath: clientPath), root.resolve(clientPath: clientPath) != nil else {
                throw .notFound(clientPath)
            }
            guard record.name.pinned != pinned else { return record }
            let old = record.name
            let new = old.pinned(pinned)
            // Never overwrite: a clip of the other name may exist (laid there by hand or by an old build).
            guard access(root.file(camera: record.cameraName, name: new.videoFileName), F_OK) != 0 else {
                throw .conflict(
                    "\(StorageRoot.clientPath(camera: record.cameraName, name: new.videoFileName)) already exists")
            }
            try Self.rename(
                root.file(camera: record.cameraName, name: old.videoFileName),
                to: root.file(camera: record.cameraName, name: new.videoFileName))
            if record.hasThumbnail {
                try? Self.rename(
                    root.file(camera: record.cameraName, name: old.thumbnailFileName),
                    to: root.file(camera: record.cameraName, name: new.thumbnailFileName))
            }
            Self.syncFolder(root.folder(camera: record.cameraName))
            record.name = new
            index.replace(record)
            return record
        }
    }

    /// `action=delete`: removes clip then thumbnail.
    public func delete(clientPath: String) throws(StorageError) {
        try locked { index throws(StorageError) in
            guard let record = index.record(forPath: clientPath), root.resolve(clientPath: clientPath) != nil else {
                throw .notFound(clientPath)
            }
            remove(record, from: &index)
        }
    }

    // MARK: - Retention

    /// Removes the oldest unpinned events while the total size or the oldest age is over the
    /// policy; pinned events are never removed automatically.
    public func enforceRetention(now: Int64) {
        let removed = index.withLockedValue { index -> [EventRecord] in
            var removed: [EventRecord] = []
            let candidates = index.oldestFirst.filter { !$0.name.pinned }
            for record in candidates {
                let tooBig = retention.maximumBytes.map { index.totalBytes > $0 } ?? false
                let tooOld = retention.maximumAgeMilliseconds.map { now - record.time > $0 } ?? false
                guard tooBig || tooOld else { break }
                remove(record, from: &index)
                removed.append(record)
            }
            return removed
        }
        for record in removed { logger.info("retention removed \(record.videoPath)") }
    }

    private func remove(_ record: EventRecord, from index: inout EventIndex) {
        // Only files that still resolve inside the root are removed (a camera folder may have been
        // replaced by a symlink since the index was built).
        if let video = root.resolve(clientPath: record.videoPath) { unlink(video) }
        if let thumbnail = record.thumbnailPath.flatMap(root.resolve(clientPath:)) { unlink(thumbnail) }
        Self.syncFolder(root.folder(camera: record.cameraName))
        index.remove(at: record.time)
    }

    /// Runs `body` under the index lock, keeping its typed error.
    private func locked<T>(_ body: (inout EventIndex) throws(StorageError) -> T) throws(StorageError) -> T {
        let result = index.withLockedValue { index in
            Result { () throws(StorageError) -> T in try body(&index) }
        }
        return try result.get()
    }

    private func stamp(of time: Int64) -> LocalStamp {
        LocalStamp(utcMilliseconds: time, offsetSeconds: timeZone.utcOffsetSeconds(atMilliseconds: time))
    }

    /// Deterministic from the time, so the same events are "in the cloud" after every restart.
    static func isCloud(time: Int64, camera: CameraConfig) -> Bool {
        guard camera.cloudAccess, camera.cloudShare > 0 else { return false }
        var mixer = UInt64(bitPattern: time) &+ UInt64(bitPattern: camera.id)
        mixer = (mixer ^ (mixer >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixer = (mixer ^ (mixer >> 27)) &* 0x94d0_49bb_1331_11eb
        mixer ^= mixer >> 31
        return Int(mixer % 100) < camera.cloudShare
    }
}

/// How much the recordings folder may hold (`storage.maxSize`, `storage.maxAge`).
public struct RetentionPolicy: Sendable, Equatable {
    public var maximumBytes: Int64?
    public var maximumAgeMilliseconds: Int64?

    public init(maximumBytes: Int64? = nil, maximumAgeMilliseconds: Int64? = nil) {
        self.maximumBytes = maximumBytes
        self.maximumAgeMilliseconds = maximumAgeMilliseconds
    }
}
