import DecoyCore
import DecoyMedia
import DecoyTinyCam
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A temporary state folder whose `recordings` folder is laid out the way tinyCam lays out its
/// recordings (`<camera name>/<recording name>` plus `.jpg` thumbnails), with fake clips: a few
/// bytes under the right names, since these tests are about the API, not the video.
///
/// The event index is rebuilt from the files when a harness starts, so lay files out first and
/// start the harness with `withRecordings`.
final class RecordingFolder: Sendable {
    /// `/tmp/decoy-recordings-<random>`: removed by `remove()`.
    let base: String

    init() throws {
        base = try makeTemporaryFolder(prefix: "decoy-recordings-")
        try FileManager.default.createDirectory(atPath: recordings, withIntermediateDirectories: true)
    }

    /// The state folder handed to the harness.
    var state: String { base + "/state" }
    /// Where the `EventStore` looks (`<state>/recordings`).
    var recordings: String { state + "/recordings" }

    func folder(camera: String) -> String { recordings + "/" + camera }
    func path(camera: String, name: String) -> String { folder(camera: camera) + "/" + name }

    /// Writes a clip named `name` (and its thumbnail), each with bytes that name it, optionally with
    /// a modification time (the index takes it as the exact time when it falls in the name's second).
    @discardableResult
    func addClip(
        camera: String, name: String, thumbnail: Bool = true, modifiedMilliseconds: Int64? = nil
    ) throws -> FakeClip {
        let clip = FakeClip(camera: camera, name: name, hasThumbnail: thumbnail)
        try write(clip.videoBytes, camera: camera, name: name, modifiedMilliseconds: modifiedMilliseconds)
        if thumbnail { try write(clip.thumbnailBytes, camera: camera, name: clip.thumbnailName) }
        return clip
    }

    /// Writes the clip of an event starting at `time` (UTC milliseconds), named in a zone
    /// `offsetSeconds` east of UTC. `exact` stores the millisecond in the clip's modification time.
    @discardableResult
    func addEvent(
        camera: String, time: Int64, seconds: Int = 10, type: EventType = .motion, pinned: Bool = false,
        thumbnail: Bool = true, exact: Bool = false, offsetSeconds: Int = 0
    ) throws -> FakeClip {
        let name = RecordingName(
            stamp: LocalStamp(utcMilliseconds: time, offsetSeconds: offsetSeconds), seconds: seconds, type: type,
            pinned: pinned)
        return try addClip(
            camera: camera, name: name.videoFileName, thumbnail: thumbnail, modifiedMilliseconds: exact ? time : nil)
    }

    /// Any file in a camera folder (or deeper), created with its folders.
    func write(_ bytes: [UInt8], camera: String, name: String, modifiedMilliseconds: Int64? = nil) throws {
        let file = path(camera: camera, name: name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        if let modifiedMilliseconds { try setModificationTime(file, milliseconds: modifiedMilliseconds) }
    }

    func bytes(camera: String, name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path(camera: camera, name: name)).map { Array($0) }
    }

    func exists(camera: String, name: String) -> Bool {
        FileManager.default.fileExists(atPath: path(camera: camera, name: name))
    }

    /// File names in a camera folder, sorted.
    func names(camera: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder(camera: camera))) ?? []).sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: base) }
}

/// A fake clip as laid out, with the bytes its files hold.
struct FakeClip: Sendable, Hashable {
    var camera: String
    var name: String
    var hasThumbnail: Bool

    var thumbnailName: String { name + ".jpg" }
    /// `/<camera>/<name>`: what `get_file` and `param.cgi` take.
    var clientPath: String { "/" + camera + "/" + name }
    var thumbnailClientPath: String { clientPath + ".jpg" }
    var videoBytes: [UInt8] { Array("video of \(clientPath)".utf8) }
    var thumbnailBytes: [UInt8] { Array("JPEG of \(clientPath)".utf8) }

    /// The same clip after `action=pin` / `unpin`.
    func pinned(_ on: Bool) -> FakeClip {
        var copy = self
        let base = name.hasSuffix("_pin.mp4") ? String(name.dropLast(8)) : String(name.dropLast(4))
        copy.name = base + (on ? "_pin.mp4" : ".mp4")
        return copy
    }
}

/// Credentials as query parameters.
let adminQuery = "user=admin&pwd=admin"
let guestQuery = "user=guest&pwd=guest"

/// Ids of the cameras `DecoyConfig.recordingsTest` serves.
enum TestCamera {
    static let frontYard: Int64 = 182_399_567
    static let doorbell: Int64 = 1_455_317_736
    static let garage: Int64 = 4242
}

extension DecoyConfig {
    /// The two default cameras (Front yard without cloud access, Doorbell with it) plus a disabled
    /// "Garage", names in `timeZone`, no retention, and nothing that records, seeds or detects on its own.
    static func recordingsTest(timeZone: String = "UTC", extraCameras: [String] = []) -> DecoyConfig {
        var config = DecoyConfig.testDefault
        config.isEmbeddedDefault = false  // no seeded example events
        var garage = CameraConfig(name: "Garage", id: TestCamera.garage, enabled: false)
        garage.resolution = PixelSize(width: 320, height: 240)
        config.cameras.append(garage)
        for (offset, name) in extraCameras.enumerated() {
            var camera = CameraConfig(name: name, id: 9000 + Int64(offset))
            camera.resolution = PixelSize(width: 320, height: 240)
            camera.fps = 10
            config.cameras.append(camera)
        }
        for index in config.cameras.indices {
            config.cameras[index].motionDetection.enabled = false
            config.cameras[index].recording.enabled = false
            config.cameras[index].activity = false
        }
        config.storage.timeZone = timeZone
        config.storage.maxSizeBytes = nil
        config.storage.maxAgeDays = nil
        return config
    }
}

/// Lays out a recordings folder, starts a harness on it (which rebuilds the index from the files),
/// runs `body`, and removes everything afterwards.
func withRecordings(
    _ config: DecoyConfig = .recordingsTest(), layout: (RecordingFolder) throws -> Void,
    _ body: (Harness, RecordingFolder) async throws -> Void
) async throws {
    let folder = try RecordingFolder()
    defer { folder.remove() }
    try layout(folder)
    try await withHarness(config, stateDirectory: URL(fileURLWithPath: folder.state)) { harness in
        try await body(harness, folder)
    }
}

extension Harness {
    /// The events of one `get_cam_event_list` request (`query` without credentials), failing the
    /// test unless the answer is 200 with a `data` array.
    func events(_ query: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [JSON] {
        let response = await send("/api/v1/get_cam_event_list?\(guestQuery)\(query.isEmpty ? "" : "&")\(query)")
        #expect(response.code == 200, "\(query): \(response.text)", sourceLocation: sourceLocation)
        return try #require(response.json?["data"]?.items, "\(query): \(response.text)", sourceLocation: sourceLocation)
    }

    /// The recordings folder as the API resolves it (symlinks resolved).
    var recordingsRoot: String { services.cameras.events?.root.path ?? "" }
}

extension JSON {
    /// The client path inside a `video`/`image` URL (`/api/v1/get_file?file=<encoded>`), decoded once.
    var filePath: String? {
        guard let url = string, url.hasPrefix(EventURL.prefix) else { return nil }
        return try? QueryParameters.decode(url.dropFirst(EventURL.prefix.count))
    }
}

enum EventURL {
    static let prefix = "/api/v1/get_file?file="
}

/// The `FileBody` of a file answer, nil for any other body.
extension TinyCamResponse {
    var servedFile: FileBody? {
        if case .file(let body) = body { return body }
        return nil
    }
}

/// Bytes a client leaves as they are in a query value: unreserved characters and `/`.
let plainQueryBytes = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)

/// Percent-encodes everything else, as a client puts a path in a query.
func percentEncoded(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        out += plainQueryBytes.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
    }
    return out
}

/// A fresh folder under the system's temporary folder, symlinks resolved.
func makeTemporaryFolder(prefix: String) throws -> String {
    let folder = NSTemporaryDirectory() + "/" + prefix + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    guard let real = realpath(folder, nil) else { throw FixtureError("cannot resolve \(folder)") }
    defer { free(real) }
    return String(cString: real)
}

func setModificationTime(_ path: String, milliseconds: Int64) throws {
    let time = timespec(tv_sec: Int(milliseconds / 1000), tv_nsec: Int(milliseconds % 1000) * 1_000_000)
    var times = [time, time]
    guard utimensat(AT_FDCWD, path, &times, 0) == 0 else { throw FixtureError("cannot set the time of \(path)") }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
