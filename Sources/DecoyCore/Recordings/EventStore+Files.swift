import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

extension EventStore {
    /// Reads every configured camera's folder (see the type's comment for the repairs it makes).
    static func rebuild(
        root: StorageRoot, cameras: [CameraConfig], timeZone: LocalTimeZone, logger: Logger
    )
        -> EventIndex
    {
        var found: [EventRecord] = []
        for camera in cameras {
            let folder = root.folder(camera: camera.name)
            guard root.isOwnFolder(camera: camera.name) else {
                logger.error("the recordings folder of '\(camera.name)' is a link out of \(root.path): not used")
                continue
            }
            let entries = DirectoryListing.entries(of: folder)
            var files = [String: DirectoryEntry]()
            for entry in entries where entry.isRegularFile {
                if entry.name.hasPrefix(StorageRoot.temporaryPrefix) {
                    unlink(folder + "/" + entry.name)
                    logger.notice("removed the unfinished recording \(folder)/\(entry.name)")
                } else {
                    files[entry.name] = entry
                }
            }
            var thumbnailsUsed = Set<String>()
            for entry in files.values {
                guard let name = RecordingName(videoFileName: entry.name) else { continue }
                var thumbnail = files[name.thumbnailFileName]
                let other = name.pinned(!name.pinned).thumbnailFileName
                if thumbnail == nil, let stale = files[other] {
                    // A pin or unpin stopped between its two renames: finish it.
                    if (try? rename(folder + "/" + other, to: folder + "/" + name.thumbnailFileName)) != nil {
                        thumbnail = stale
                        thumbnailsUsed.insert(other)
                    }
                }
                if thumbnail != nil { thumbnailsUsed.insert(name.thumbnailFileName) }
                let guess = utcMilliseconds(of: name.stamp, in: timeZone)
                let modified = entry.modifiedMilliseconds
                let exact =
                    LocalStamp(
                        utcMilliseconds: modified, offsetSeconds: timeZone.utcOffsetSeconds(atMilliseconds: modified))
                    == name.stamp
                let time = exact ? modified : guess
                found.append(
                    EventRecord(
                        cameraID: camera.id, cameraName: camera.name, time: time, name: name,
                        hasThumbnail: thumbnail != nil, bytes: entry.bytes + (thumbnail?.bytes ?? 0),
                        cloud: isCloud(time: time, camera: camera)))
            }
            for name in files.keys where name.hasSuffix(".mp4.jpg") && !thumbnailsUsed.contains(name) {
                let video = String(name.dropLast(4))
                guard let recording = RecordingName(videoFileName: video),
                    files[recording.videoFileName] == nil,
                    files[recording.pinned(!recording.pinned).videoFileName] == nil
                else { continue }
                unlink(folder + "/" + name)
                logger.notice("removed the thumbnail \(folder)/\(name), whose clip is gone")
            }
        }
        found.sort { ($0.time, $0.videoPath) < ($1.time, $1.videoPath) }
        var index = EventIndex()
        for record in found { index.insert(record) }
        return index
    }

    /// The UTC time of a local stamp. The zone's offset is taken at the stamp read as UTC, then
    /// again at the result, which is right on both sides of a daylight-saving change.
    static func utcMilliseconds(of stamp: LocalStamp, in timeZone: LocalTimeZone) -> Int64 {
        let first = stamp.utcMilliseconds(
            offsetSeconds: timeZone.utcOffsetSeconds(atMilliseconds: stamp.utcMilliseconds(offsetSeconds: 0)))
        return stamp.utcMilliseconds(offsetSeconds: timeZone.utcOffsetSeconds(atMilliseconds: first))
    }

    static func rename(_ from: String, to: String) throws(StorageError) {
        guard Glibc.rename(from, to) == 0 else {
            throw .failed("cannot rename \(from) to \(to): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `bytes` to a new file and syncs it to disk before returning.
    static func writeSynced(_ bytes: [UInt8], to path: String) throws(StorageError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .failed("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw .failed("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw .failed("cannot sync \(path): \(String(cString: strerror(errno)))") }
    }

    /// Syncs a finished file written by someone else (the encoder).
    static func syncFile(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Makes renames and removals in a folder durable.
    static func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Keeps the event's exact start (to the millisecond) in the clip's modification time, which a
    /// rename preserves, so times stay unique and equal across restarts (names hold only seconds).
    static func setModificationTime(_ path: String, milliseconds: Int64) {
        let seconds = Int(milliseconds / 1000)
        let nanoseconds = Int(milliseconds % 1000) * 1_000_000
        var times = [
            timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds),
        ]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }
}
