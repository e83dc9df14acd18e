import DecoyCore
import DecoyTinyCam
import Foundation
import Testing

/// The two official paging styles (`wire-reference.md` §3.3) over a folder where many events share
/// one second: several files with one stamp on one camera and on others, and modification times
/// that collide to the millisecond across cameras.
@Suite("get_cam_event_list paging")
struct EventPagingTests {
    /// 2020-09-13 12:26:40 UTC.
    static let start: Int64 = 1_600_000_000_000

    /// Ten seconds, 7 s apart; in each: three Front yard clips and two Doorbell clips with the same
    /// stamp, one disabled-camera clip, and colliding exact times (two cameras at +500 ms, one at
    /// +1 ms, which is where the second of two same-second guesses lands).
    static func layOut(_ folder: RecordingFolder) throws -> (front: Set<String>, door: Set<String>) {
        var front = Set<String>()
        var door = Set<String>()
        for step in 0..<10 {
            let second = start + Int64(step) * 7000
            let collide = step % 2 == 0
            for (offset, type) in [EventType.motion, .person, .vehicle].enumerated() {
                let exact: Int64? = collide && offset == 0 ? second + 500 : (collide && offset == 1 ? second + 1 : nil)
                let name = clipName(second, seconds: 10 + offset, type: type)
                try folder.addClip(
                    camera: "Front yard", name: name, thumbnail: offset != 2, modifiedMilliseconds: exact)
                front.insert("/Front yard/" + name)
            }
            for (offset, type) in [EventType.pet, .audio].enumerated() {
                let exact: Int64? = collide && offset == 0 ? second + 500 : nil
                let name = clipName(second, seconds: 10 + offset, type: type)
                try folder.addClip(camera: "Doorbell", name: name, modifiedMilliseconds: exact)
                door.insert("/Doorbell/" + name)
            }
            try folder.addClip(camera: "Garage", name: clipName(second, seconds: 10, type: .motion))
        }
        return (front, door)
    }

    static func clipName(_ time: Int64, seconds: Int, type: EventType) -> String {
        RecordingName(stamp: LocalStamp(utcMilliseconds: time, offsetSeconds: 0), seconds: seconds, type: type)
            .videoFileName
    }

    @Test("web UI: count=15&endtime=-1&type=local&filter=&cameraId=-1, then endtime=<last time> until []")
    func webUIPaging() async throws {
        var expected = Set<String>()
        try await withRecordings(layout: { folder in
            let (front, door) = try Self.layOut(folder)
            expected = front.union(door)
        }) { (harness, _) async throws in
            var received: [JSON] = []
            var endTime = "-1"
            for _ in 0..<100 {
                let page = try await harness.events("count=15&endtime=\(endTime)&type=local&filter=&cameraId=-1")
                if page.isEmpty { break }
                #expect(page.count <= 15)
                received += page
                endTime = String(try #require(page.last?["time"]?.int))
            }
            let paths = received.compactMap { $0["video"]?.filePath }
            #expect(paths.count == expected.count, "the UI concatenates pages without de-duplicating")
            #expect(Set(paths) == expected)
            let times = received.compactMap { $0["time"]?.int }
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 > $1 }, "\(times)")
        }
    }

    /// ha-tinycam's `_async_read_event_window`: 10 newest, then `endtime=<newest + 1>` with the count
    /// doubled until the page is short or reaches back past `since`.
    static func haWindow(_ harness: Harness, camera: Int64, since: Int64?) async throws -> [JSON] {
        var since = since
        var count = 10
        var endTime: Int64?
        for _ in 0..<20 {
            let events = try await harness.events(
                "cameraId=\(camera)&count=\(count)" + (endTime.map { "&endtime=\($0)" } ?? ""))
            guard let first = events.first?["time"]?.int, let last = events.last?["time"]?.int else { return events }
            if since == nil { since = first }
            if events.count < count || last < since! { return events }
            if endTime == nil { endTime = first + 1 }
            count *= 2
        }
        Issue.record("the window never reached back to \(since ?? -1)")
        return []
    }

    /// ha-tinycam's event key (`time`, `video`, `image`, `motion`).
    static func key(_ event: JSON) -> String {
        ["time", "video", "image", "motion"].map { event[$0]?.description ?? "-" }.joined(separator: "|")
    }

    @Test("ha-tinycam: cameraId=<id>&count=10, then endtime=<newest+1> with count 20, 40…: every event once")
    func homeAssistantWindow() async throws {
        var expected: [Int64: Set<String>] = [:]
        try await withRecordings(layout: { folder in
            let (front, door) = try Self.layOut(folder)
            expected = [TestCamera.frontYard: front, TestCamera.doorbell: door]
        }) { (harness, _) async throws in
            for (camera, paths) in expected {
                let all = try await harness.events("cameraId=\(camera)&count=1000")
                let oldest = try #require(all.last?["time"]?.int)
                let window = try await Self.haWindow(harness, camera: camera, since: oldest)
                #expect(Set(window.map(Self.key)).count == window.count, "no duplicates within a window")
                #expect(Set(window.compactMap { $0["video"]?.filePath }) == paths)
                // A cursor in the middle of a busy second: everything at or after it, nothing lost.
                let middle = try #require(all[all.count / 2]["time"]?.int)
                let recent = try await Self.haWindow(harness, camera: camera, since: middle)
                let wanted = Set(all.filter { ($0["time"]?.int ?? 0) >= middle }.map(Self.key))
                #expect(wanted.isSubset(of: Set(recent.map(Self.key))))
            }
        }
    }

    @Test("ha-tinycam polling sees each new clip once, even clips starting in the cursor's millisecond")
    func homeAssistantPolling() async throws {
        try await withRecordings(layout: { folder in _ = try Self.layOut(folder) }) { (harness, _) async throws in
            let store = try #require(harness.services.cameras.events)
            let camera = harness.frontYard.config
            // Priming, as `_async_check_new_events` does on its first run.
            let primed = try await Self.haWindow(harness, camera: camera.id, since: nil)
            var lastTime = try #require(primed.first?["time"]?.int)
            var seen = Set(primed.filter { $0["time"]?.int == lastTime }.map(Self.key))

            var committed: [String] = []
            for (offset, start) in [lastTime, lastTime, lastTime, lastTime + 2000, lastTime + 2000].enumerated() {
                let temporary = try store.root.temporaryFile(camera: camera.name, label: "test")
                try Data("clip \(offset)".utf8).write(to: URL(fileURLWithPath: temporary))
                let record = try store.commit(
                    EventStore.FinishedClip(
                        camera: camera, startMilliseconds: start, durationMilliseconds: 10_000, type: .person,
                        temporaryVideo: temporary, thumbnailJPEG: [0xFF, 0xD8, 0xFF, 0xD9]),
                    now: harness.clock.nowMilliseconds())
                committed.append(record.videoPath)
            }

            let window = try await Self.haWindow(harness, camera: camera.id, since: lastTime)
            var fired: [String] = []
            var fresh: [String: JSON] = [:]
            for event in window {
                let time = try #require(event["time"]?.int)
                if time > lastTime || (time == lastTime && !seen.contains(Self.key(event))) {
                    fresh[Self.key(event)] = event
                }
            }
            for event in fresh.values.sorted(by: { ($0["time"]?.int ?? 0) < ($1["time"]?.int ?? 0) }) {
                fired.append(event["video"]?.filePath ?? "")
                let time = event["time"]?.int ?? 0
                if time > lastTime {
                    lastTime = time
                    seen.removeAll()
                }
                seen.insert(Self.key(event))
            }
            #expect(fired == committed)
            #expect(Set(committed).count == 5)
        }
    }
}
