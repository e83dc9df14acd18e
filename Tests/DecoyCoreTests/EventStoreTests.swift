import DecoyCore
import Foundation
import Testing

/// A recordings folder laid out by hand, as a crash or a user could leave it.
private struct Folder {
    let url: URL
    let root: StorageRoot
    static let camera = CameraConfig(name: "Front yard", id: 182_399_567)
    static let cloudCamera = CameraConfig(name: "Doorbell", id: 1_455_317_736, cloudAccess: true)

    init() throws {
        url = try temporaryDirectory()
        root = try StorageRoot(path: url.appendingPathComponent("recordings").path)
    }

    func write(_ name: String, camera: String = Folder.camera.name, bytes: Int = 10, modified: Date? = nil) throws {
        let folder = root.folder(camera: camera)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try Data(repeating: 7, count: bytes).write(to: URL(fileURLWithPath: path))
        if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path) }
    }

    func names(camera: String = Folder.camera.name) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.folder(camera: camera))) ?? []).sorted()
    }

    func store(
        retention: RetentionPolicy = RetentionPolicy(), cameras: [CameraConfig] = [camera, cloudCamera]
    )
        -> EventStore
    {
        EventStore(root: root, cameras: cameras, timeZone: LocalTimeZone(identifier: "UTC"), retention: retention)
    }

    /// A finished clip under a temporary name, as the encoder leaves it.
    func clip(
        start: Int64, seconds: Int64 = 10, type: EventType = .motion, bytes: Int = 100
    ) throws
        -> EventStore.FinishedClip
    {
        let temporary = try root.temporaryFile(camera: Folder.camera.name, label: "clip")
        try Data(repeating: 1, count: bytes).write(to: URL(fileURLWithPath: temporary))
        return EventStore.FinishedClip(
            camera: Folder.camera, startMilliseconds: start, durationMilliseconds: seconds * 1000, type: type,
            temporaryVideo: temporary, thumbnailJPEG: [0xFF, 0xD8, 0xFF, 0xD9])
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

private let all: Set<Int64> = [182_399_567, 1_455_317_736]

@Suite("EventStore: the files are the truth")
struct EventStoreTests {
    @Test("the index is rebuilt from the files; partial files and orphan thumbnails are cleaned, pins repaired")
    func rebuild() throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.write("2020-09-29 15.06.04 120sec person.mp4")
        try folder.write("2020-09-29 15.06.04 120sec person.mp4.jpg")
        try folder.write("2020-09-29 14.52.43 58sec vehicle_pin.mp4")
        // A pin stopped between its two renames: the clip is pinned, the thumbnail not yet.
        try folder.write("2020-09-29 14.52.43 58sec vehicle.mp4.jpg")
        // A delete stopped after removing the clip: the thumbnail is an orphan.
        try folder.write("2020-09-29 10.00.00 5sec motion.mp4.jpg")
        try folder.write(StorageRoot.temporaryPrefix + "clip-1234")
        try folder.write("notes.txt")
        try folder.write("2016-10-21 10.03.33.mp4")
        let store = folder.store()
        let listed = store.list(EventQuery(cameras: all))
        #expect(
            listed.map(\.name.videoFileName) == [
                "2020-09-29 15.06.04 120sec person.mp4", "2020-09-29 14.52.43 58sec vehicle_pin.mp4",
                "2016-10-21 10.03.33.mp4",
            ])
        #expect(listed.map(\.hasThumbnail) == [true, true, false])
        #expect(listed[0].time == 1_601_391_964_000)
        #expect(
            folder.names() == [
                "2016-10-21 10.03.33.mp4", "2020-09-29 14.52.43 58sec vehicle_pin.mp4",
                "2020-09-29 14.52.43 58sec vehicle_pin.mp4.jpg", "2020-09-29 15.06.04 120sec person.mp4",
                "2020-09-29 15.06.04 120sec person.mp4.jpg", "notes.txt",
            ])
        #expect(store.totalBytes == 50, "three clips and two thumbnails of 10 bytes")
    }

    @Test("events of one second get unique times, the same after every restart (the clip's mtime keeps the ms)")
    func uniqueTimes() throws {
        let folder = try Folder()
        defer { folder.remove() }
        let first = try folder.store().commit(try folder.clip(start: 1_601_381_164_250), now: 0)
        let second = try folder.store().commit(try folder.clip(start: 1_601_381_164_250), now: 0)
        let third = try folder.store().commit(try folder.clip(start: 1_601_381_164_999), now: 0)
        #expect(first.time == 1_601_381_164_250)
        // A store opened later sees the first clip and moves the new one by a millisecond; names never collide.
        #expect(Set([first.name, second.name, third.name]).count == 3)
        let reopened = folder.store().list(EventQuery(cameras: all)).map(\.time)
        #expect(Set(reopened).count == 3)
        #expect(reopened.contains(1_601_381_164_250))
        #expect(folder.store().list(EventQuery(cameras: all)).map(\.time) == reopened)
    }

    @Test("a commit names the clip after its start, length and type and writes the thumbnail beside it")
    func commitNames() throws {
        let folder = try Folder()
        defer { folder.remove() }
        let store = folder.store()
        let record = try store.commit(try folder.clip(start: 1_601_381_164_000, seconds: 120, type: .person), now: 0)
        #expect(record.videoPath == "/Front yard/2020-09-29 12.06.04 120sec person.mp4")
        #expect(record.thumbnailPath == "/Front yard/2020-09-29 12.06.04 120sec person.mp4.jpg")
        #expect(
            folder.names() == ["2020-09-29 12.06.04 120sec person.mp4", "2020-09-29 12.06.04 120sec person.mp4.jpg"])
        #expect(store.servableFile(clientPath: record.videoPath) != nil)
        #expect(store.servableFile(clientPath: "/Front yard/../recordings/Front yard/x") == nil)
    }

    @Test("pin and unpin rename clip and thumbnail; delete removes both")
    func pinAndDelete() throws {
        let folder = try Folder()
        defer { folder.remove() }
        let store = folder.store()
        let record = try store.commit(try folder.clip(start: 1_601_381_164_000), now: 0)
        let pinned = try store.setPinned(true, clientPath: record.videoPath)
        #expect(pinned.videoPath.hasSuffix("motion_pin.mp4"))
        #expect(folder.names().allSatisfy { $0.contains("_pin.mp4") })
        #expect(store.list(EventQuery(cameras: all, filter: .pinned)).count == 1)
        #expect(throws: StorageError.self) { try store.setPinned(false, clientPath: record.videoPath) }
        try store.setPinned(false, clientPath: pinned.thumbnailPath!)
        #expect(folder.names() == ["2020-09-29 12.06.04 10sec motion.mp4", "2020-09-29 12.06.04 10sec motion.mp4.jpg"])
        try store.delete(clientPath: record.videoPath)
        #expect(folder.names().isEmpty)
        #expect(store.count == 0)
        #expect(throws: StorageError.notFound(record.videoPath)) { try store.delete(clientPath: record.videoPath) }
    }

    @Test("retention removes the oldest unpinned events by size and by age, never pinned ones")
    func retention() throws {
        let folder = try Folder()
        defer { folder.remove() }
        let day: Int64 = 86_400_000
        let store = folder.store(retention: RetentionPolicy(maximumBytes: 350, maximumAgeMilliseconds: 10 * day))
        let base: Int64 = 1_700_000_000_000
        let oldest = try store.commit(try folder.clip(start: base), now: base)
        try store.setPinned(true, clientPath: oldest.videoPath)
        let second = try store.commit(try folder.clip(start: base + 60_000), now: base)
        _ = try store.commit(try folder.clip(start: base + 120_000), now: base)
        #expect(store.count == 3)
        // 104 bytes each: a fourth exceeds 350, so the oldest unpinned one goes.
        _ = try store.commit(try folder.clip(start: base + 180_000), now: base)
        let times = store.list(EventQuery(cameras: all)).map(\.time)
        #expect(times == [base + 180_000, base + 120_000, base])
        #expect(!times.contains(second.time))
        store.enforceRetention(now: base + 11 * day)
        #expect(store.list(EventQuery(cameras: all)).map(\.time) == [base], "only the pinned one is left")
    }

    @Test("queries: newest first, exclusive endtime, count, type filter, cloud share")
    func queries() throws {
        let folder = try Folder()
        defer { folder.remove() }
        var cloud = Folder.cloudCamera
        cloud.cloudShare = 100
        let store = folder.store(cameras: [Folder.camera, cloud])
        for (offset, type) in [EventType.motion, .person, .pet, .person].enumerated() {
            try store.commit(try folder.clip(start: 1_700_000_000_000 + Int64(offset) * 1000, type: type), now: 0)
        }
        let times = store.list(EventQuery(cameras: all)).map(\.time)
        #expect(times == times.sorted(by: >))
        #expect(store.list(EventQuery(cameras: all, endTime: times[1])).map(\.time) == Array(times[2...]))
        #expect(store.list(EventQuery(cameras: all, count: 2)).count == 2)
        #expect(store.list(EventQuery(cameras: all, filter: .type(.person))).count == 2)
        #expect(store.list(EventQuery(cameras: [1_455_317_736])).isEmpty)
        #expect(store.list(EventQuery(cameras: all, cloudOnly: true)).isEmpty, "Front yard has no cloud access")
    }

    @Test("pinning never overwrites a clip that already has the pinned name")
    func pinNeverOverwrites() throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.write("2020-09-29 15.06.04 120sec person.mp4", bytes: 3)
        try folder.write("2020-09-29 15.06.04 120sec person_pin.mp4", bytes: 5)
        let store = folder.store()
        #expect(throws: StorageError.self) {
            try store.setPinned(true, clientPath: "/Front yard/2020-09-29 15.06.04 120sec person.mp4")
        }
        #expect(store.count == 2)
        let pinned = folder.root.folder(camera: Folder.camera.name) + "/2020-09-29 15.06.04 120sec person_pin.mp4"
        #expect(FileManager.default.contents(atPath: pinned)?.count == 5)
    }

    @Test("a camera folder that links out of the root is neither indexed nor touched by retention")
    func linkedCameraFolder() throws {
        let folder = try Folder()
        defer { folder.remove() }
        let outside = folder.url.appendingPathComponent("outside").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let victim = outside + "/2020-01-01 00.00.00 10sec motion.mp4"
        _ = FileManager.default.createFile(atPath: victim, contents: Data([1, 2, 3]))
        _ = FileManager.default.createFile(
            atPath: outside + "/" + StorageRoot.temporaryPrefix + "x", contents: Data([1]))
        try FileManager.default.createSymbolicLink(
            atPath: folder.root.folder(camera: "Linked"), withDestinationPath: outside)
        let linked = CameraConfig(name: "Linked", id: 99)
        let store = folder.store(
            retention: RetentionPolicy(maximumAgeMilliseconds: 1), cameras: [Folder.camera, linked])
        #expect(store.count == 0)
        _ = try store.commit(try folder.clip(start: 1_700_000_000_000), now: 1_800_000_000_000)
        #expect(FileManager.default.fileExists(atPath: victim))
        #expect(FileManager.default.fileExists(atPath: outside + "/" + StorageRoot.temporaryPrefix + "x"))
    }

    @Test("names in the hour before a daylight-saving change get the right time")
    func daylightSaving() throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.write("2021-03-28 01.30.00 10sec motion.mp4", modified: Date(timeIntervalSince1970: 0))
        try folder.write("2021-03-28 03.30.00 10sec motion.mp4", modified: Date(timeIntervalSince1970: 0))
        let store = EventStore(
            root: folder.root, cameras: [Folder.camera], timeZone: LocalTimeZone(identifier: "Europe/Berlin"),
            retention: RetentionPolicy())
        // 01:30 CET = 00:30 UTC; 03:30 CEST = 01:30 UTC.
        #expect(store.list(EventQuery(cameras: all)).map(\.time) == [1_616_895_000_000, 1_616_891_400_000])
    }
}
