import DecoyCore
import DecoyTinyCam
import Foundation
import Testing

private let clipName = "2020-09-29 15.06.04 120sec person.mp4"
private let clipQuery = "/Front%20yard/2020-09-29%2015.06.04%20120sec%20person.mp4"

@Suite("get_file")
struct FileServingTests {
    @Test("missing or empty file is 400; a file nobody recorded is 404 'No such file.'")
    func missingAndUnknown() async throws {
        try await withRecordings(layout: { try $0.addClip(camera: "Front yard", name: clipName) }) {
            (harness, _) async throws in
            for query in ["", "&file="] {
                let response = await harness.send("/api/v1/get_file?\(guestQuery)\(query)")
                #expect(response.code == 400)
                #expect(response.text.hasPrefix("HTTP 400. missing file"), "\(response.text)")
            }
            let unknown = await harness.send(
                "/api/v1/get_file?\(guestQuery)&file=/Front%20yard/2020-09-29%2015.06.05%20120sec%20person.mp4")
            #expect(unknown.code == 404)
            #expect(unknown.text == "HTTP 404. No such file.")
            #expect(unknown.servedFile == nil)
        }
    }

    @Test("serves the clip as video/mp4 and the thumbnail as image/jpeg, whole or by range")
    func servesClipAndThumbnail() async throws {
        try await withRecordings(layout: { try $0.addClip(camera: "Front yard", name: clipName) }) {
            (harness, _) async throws in
            let clip = FakeClip(camera: "Front yard", name: clipName, hasThumbnail: true)
            let video = await harness.send("/api/v1/get_file?\(guestQuery)&file=\(clipQuery)")
            #expect(video.code == 200)
            #expect(video.header("Content-Type") == "video/mp4")
            #expect(video.header("Accept-Ranges") == "bytes")
            #expect(
                video.servedFile
                    == FileBody(
                        path: harness.recordingsRoot + clip.clientPath, offset: 0, length: Int64(clip.videoBytes.count))
            )
            #expect(video.bodyLength == Int64(clip.videoBytes.count))

            let image = await harness.send("/api/v1/get_file?\(guestQuery)&file=\(clipQuery).jpg")
            #expect(image.code == 200)
            #expect(image.header("Content-Type") == "image/jpeg")
            #expect(image.header("Accept-Ranges") == "bytes")
            #expect(
                image.servedFile
                    == FileBody(
                        path: harness.recordingsRoot + clip.thumbnailClientPath, offset: 0,
                        length: Int64(clip.thumbnailBytes.count)))

            let part = await harness.send(
                "/api/v1/get_file?\(guestQuery)&file=\(clipQuery)", headers: [("Range", "bytes=2-5")])
            #expect(part.code == 206)
            #expect(part.header("Content-Range") == "bytes 2-5/\(clip.videoBytes.count)")
            #expect(part.servedFile == FileBody(path: harness.recordingsRoot + clip.clientPath, offset: 2, length: 4))
        }
    }

    @Test("files in a camera folder that are not indexed recordings are 404")
    func onlyIndexedRecordings() async throws {
        try await withRecordings(layout: { folder in
            try folder.addClip(camera: "Front yard", name: clipName)
            try folder.addClip(camera: "Front yard", name: "2020-09-29 15.07.00 10sec motion.mp4")
            try folder.write(Array("notes".utf8), camera: "Front yard", name: "notes.txt")
            try folder.write(Array("holiday".utf8), camera: "Front yard", name: "holiday.mp4")
            try folder.write(Array("x".utf8), camera: "Front yard", name: "2020-09-29 15.08.00 10sec fish.mp4")
            try folder.write(Array("x".utf8), camera: "Front yard", name: "2020-09-29 15.09.00 10sec motion.MP4")
            try FileManager.default.createDirectory(
                atPath: folder.path(camera: "Front yard", name: "2020-09-29 15.10.00 10sec motion.mp4"),
                withIntermediateDirectories: true)
        }) { (harness, folder) async throws in
            // Written after the index was built: a recording in progress, and files nobody indexed.
            try folder.write(Array("partial".utf8), camera: "Front yard", name: ".partial-video-1f2e")
            try folder.addClip(camera: "Front yard", name: "2020-09-29 15.11.00 10sec motion.mp4")
            // An indexed clip removed behind the API's back.
            try FileManager.default.removeItem(
                atPath: folder.path(camera: "Front yard", name: "2020-09-29 15.07.00 10sec motion.mp4"))
            for name in [
                "notes.txt", "holiday.mp4", "2020-09-29 15.08.00 10sec fish.mp4",
                "2020-09-29 15.09.00 10sec motion.MP4",
                "2020-09-29 15.10.00 10sec motion.mp4", ".partial-video-1f2e", "2020-09-29 15.11.00 10sec motion.mp4",
                "2020-09-29 15.11.00 10sec motion.mp4.jpg", "2020-09-29 15.07.00 10sec motion.mp4",
            ] {
                let response = await harness.send(
                    "/api/v1/get_file?\(guestQuery)&file=\(percentEncoded("/Front yard/" + name))")
                #expect(response.code == 404, "\(name)")
                #expect(response.text == "HTTP 404. No such file.", "\(name)")
            }
            // The thumbnail of the vanished clip is still indexed and still there.
            let thumbnail = await harness.send(
                "/api/v1/get_file?\(guestQuery)&file=\(percentEncoded("/Front yard/2020-09-29 15.07.00 10sec motion.mp4.jpg"))"
            )
            #expect(thumbnail.code == 200)
        }
    }

    @Test("guest and admin may fetch files; no credentials is 401, a bad token 403")
    func access() async throws {
        try await withRecordings(layout: { try $0.addClip(camera: "Front yard", name: clipName) }) {
            (harness, _) async throws in
            #expect(await harness.send("/api/v1/get_file?\(guestQuery)&file=\(clipQuery)").code == 200)
            #expect(await harness.send("/api/v1/get_file?\(adminQuery)&file=\(clipQuery)").code == 200)
            #expect(await harness.send("/api/v1/get_file?file=\(clipQuery)", basic: "guest", "guest").code == 200)
            let token = harness.token(for: "guest", role: .guest)
            #expect(await harness.send("/api/v1/get_file?file=\(clipQuery)&token=\(token)").code == 200)
            #expect(await harness.send("/api/v1/get_file?file=\(clipQuery)").code == 401)
            let badToken = await harness.send(
                "/api/v1/get_file?file=\(clipQuery)&token=\(String(repeating: "0", count: 40))")
            #expect(badToken.code == 403)
            #expect(badToken.servedFile == nil)
        }
    }
}

/// One way of naming something outside what `get_file` and `param.cgi` may touch.
struct TraversalPayload: Sendable, CustomStringConvertible {
    var label: String
    /// The raw (still percent-encoded) query value.
    var raw: String
    /// The query itself is malformed (invalid UTF-8, NUL, bad escape, empty): 400 is fine too.
    var malformed = false

    var description: String { label }
}

/// A recordings folder with canaries around it: the TLS key in the state folder, a file in another
/// temporary folder, symlinks from inside the recordings folder to both, and a camera folder that
/// is a symlink to outside holding files named like recordings.
final class TraversalScene: Sendable {
    let folder: RecordingFolder
    /// `/tmp/decoy-canary-<random>`.
    let outside: String

    static let linkedName = "2020-01-01 00.00.00 10sec motion.mp4"

    init() throws {
        folder = try RecordingFolder()
        outside = try makeTemporaryFolder(prefix: "decoy-canary-")
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder.state + "/tls", withIntermediateDirectories: true)
        try Data("-----BEGIN PRIVATE KEY-----\nsecret\n".utf8).write(to: URL(fileURLWithPath: keyPath))
        try Data("canary".utf8).write(to: URL(fileURLWithPath: canaryPath))
        try manager.createDirectory(atPath: outside + "/linked", withIntermediateDirectories: true)
        for name in [Self.linkedName, Self.linkedName + ".jpg"] {
            try Data("outside \(name)".utf8).write(to: URL(fileURLWithPath: outside + "/linked/" + name))
        }
        try folder.addClip(camera: "Front yard", name: clipName)
        try folder.addClip(camera: "Doorbell", name: "2020-09-20 17.15.55 43sec person.mp4")
        try folder.addClip(camera: "Garage", name: "2020-09-20 17.15.56 43sec person.mp4")
        try folder.write(Array("notes".utf8), camera: "Front yard", name: "notes.txt")
        try manager.createSymbolicLink(
            atPath: folder.path(camera: "Front yard", name: Self.linkedName), withDestinationPath: canaryPath)
        try manager.createSymbolicLink(
            atPath: folder.path(camera: "Front yard", name: Self.linkedName + ".jpg"), withDestinationPath: keyPath)
        try manager.createSymbolicLink(
            atPath: folder.folder(camera: "Linked"), withDestinationPath: outside + "/linked")
    }

    var keyPath: String { folder.state + "/tls/key.pem" }
    var canaryPath: String { outside + "/canary" }

    func remove() {
        folder.remove()
        try? FileManager.default.removeItem(atPath: outside)
    }

    /// Every entry under the state folder and the outside folder (symlinks not followed): kind,
    /// bytes or link target. Any read-and-rename, delete or write shows up as a difference.
    func snapshot() -> [String: String] {
        var entries: [String: String] = [:]
        func walk(_ path: String) {
            let manager = FileManager.default
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { return }
            switch attributes[.type] as? FileAttributeType {
            case .typeSymbolicLink?:
                entries[path] = "link → " + ((try? manager.destinationOfSymbolicLink(atPath: path)) ?? "?")
            case .typeDirectory?:
                entries[path] = "folder"
                for name in (try? manager.contentsOfDirectory(atPath: path)) ?? [] { walk(path + "/" + name) }
            default:
                entries[path] = "file " + (manager.contents(atPath: path).map { $0.base64EncodedString() } ?? "?")
            }
        }
        walk(folder.base)
        walk(outside)
        return entries
    }

    /// The table: `..` in every spelling, encodings, absolute paths, NUL, symlinks, long paths.
    var payloads: [TraversalPayload] {
        let linked = "2020-01-01%2000.00.00%2010sec%20motion.mp4"
        var table = [
            TraversalPayload(label: "dot-dot under the root", raw: "/../x"),
            TraversalPayload(label: "bare dot-dot", raw: ".."),
            TraversalPayload(label: "root dot-dot", raw: "/.."),
            TraversalPayload(label: "relative", raw: "../tls/key.pem"),
            TraversalPayload(label: "camera then up twice", raw: "/Front%20yard/../../tls/key.pem"),
            TraversalPayload(label: "up from a recording", raw: clipQuery + "/../../../tls/key.pem"),
            TraversalPayload(label: "encoded dots", raw: "/%2e%2e/tls/key.pem"),
            TraversalPayload(label: "encoded dots in a camera", raw: "/Front%20yard/%2e%2e/%2e%2e/tls/key.pem"),
            TraversalPayload(label: "upper-case encoded dots", raw: "/Front%20yard/%2E%2E/%2E%2E/tls/key.pem"),
            TraversalPayload(label: "double-encoded dots", raw: "/Front%20yard/%252e%252e/%252e%252e/tls/key.pem"),
            TraversalPayload(label: "double-encoded slashes", raw: "%252F..%252F..%252Ftls%252Fkey.pem"),
            TraversalPayload(label: "encoded slashes", raw: "/Front%20yard/..%2f..%2ftls%2fkey.pem"),
            TraversalPayload(label: "everything encoded", raw: "%2FFront%20yard%2F..%2F..%2Ftls%2Fkey.pem"),
            TraversalPayload(label: "double-encoded slash", raw: "/Front%20yard/..%252f..%252ftls%252fkey.pem"),
            TraversalPayload(label: "encoded backslashes", raw: "/Front%20yard/%2e%2e%5c%2e%2e%5ctls%5ckey.pem"),
            TraversalPayload(label: "backslashes", raw: #"/Front%20yard/..\..\tls\key.pem"#),
            TraversalPayload(label: "backslash root", raw: #"\..\..\tls\key.pem"#),
            TraversalPayload(
                label: "overlong UTF-8 dots", raw: "/Front%20yard/%c0%ae%c0%ae/%c0%ae%c0%ae/tls/key.pem",
                malformed: true),
            TraversalPayload(
                label: "overlong UTF-8 slashes", raw: "/Front%20yard/..%c0%af..%c0%aftls%c0%afkey.pem", malformed: true),
            TraversalPayload(label: "3-byte overlong dots", raw: "/%e0%80%ae%e0%80%ae/tls/key.pem", malformed: true),
            TraversalPayload(label: "semicolon", raw: "/..;/tls/key.pem"),
            TraversalPayload(label: "semicolons in a camera", raw: "/Front%20yard/..;/..;/tls/key.pem"),
            TraversalPayload(label: "camera dot", raw: "/Front%20yard/."),
            TraversalPayload(
                label: "dot before a recording", raw: "/Front%20yard/./2020-09-29%2015.06.04%20120sec%20person.mp4"),
            TraversalPayload(
                label: "sideways to a recording",
                raw: "/Doorbell/../Front%20yard/2020-09-29%2015.06.04%20120sec%20person.mp4"),
            TraversalPayload(label: "double slash", raw: "//etc/passwd"),
            TraversalPayload(label: "absolute", raw: "/etc/passwd"),
            TraversalPayload(label: "absolute canary", raw: percentEncoded(canaryPath)),
            TraversalPayload(label: "absolute key", raw: percentEncoded(keyPath)),
            TraversalPayload(label: "file URL", raw: "file:///etc/passwd"),
            TraversalPayload(label: "through the recordings folder", raw: "/recordings/../tls/key.pem"),
            TraversalPayload(label: "state folder as a camera", raw: "/tls/key.pem"),
            TraversalPayload(label: "four dots", raw: "/Front%20yard/....//....//tls/key.pem"),
            TraversalPayload(label: "mixed dots", raw: "/Front%20yard/.%2e/%2e./tls/key.pem"),
            TraversalPayload(label: "plus for space", raw: "/Front+yard/../../tls/key.pem"),
            TraversalPayload(label: "NUL before an extension", raw: clipQuery + "%00.jpg", malformed: true),
            TraversalPayload(label: "NUL alone", raw: "/Front%20yard/%00", malformed: true),
            TraversalPayload(label: "malformed escape", raw: "/Front%20yard/%u002e%u002e", malformed: true),
            TraversalPayload(label: "one-dot leaders", raw: "/Front%20yard/%e2%80%a4%e2%80%a4/tls/key.pem"),
            TraversalPayload(
                label: "fullwidth dots", raw: "/Front%20yard/%ef%bc%8e%ef%bc%8e/%ef%bc%8e%ef%bc%8e/tls/key.pem"),
            TraversalPayload(label: "symlink named like a recording", raw: "/Front%20yard/" + linked),
            TraversalPayload(label: "symlink named like a thumbnail", raw: "/Front%20yard/" + linked + ".jpg"),
            TraversalPayload(label: "camera folder that is a symlink", raw: "/Linked/" + linked),
            TraversalPayload(label: "thumbnail in a symlinked camera folder", raw: "/Linked/" + linked + ".jpg"),
            TraversalPayload(label: "not a recording", raw: "/Front%20yard/notes.txt"),
            TraversalPayload(label: "camera folder", raw: "/Front%20yard"),
            TraversalPayload(label: "camera folder with slash", raw: "/Front%20yard/"),
            TraversalPayload(label: "root", raw: "/"),
            TraversalPayload(label: "empty", raw: "", malformed: true),
            TraversalPayload(label: "trailing slash", raw: clipQuery + "/"),
            TraversalPayload(label: "trailing dot", raw: clipQuery + "."),
            TraversalPayload(label: "other case", raw: "/front%20yard/2020-09-29%2015.06.04%20120sec%20person.mp4"),
            TraversalPayload(label: "no leading slash", raw: String(clipQuery.dropFirst())),
            TraversalPayload(label: "64 KB name", raw: "/Front%20yard/" + String(repeating: "a", count: 65536)),
            TraversalPayload(
                label: "64 KB of ../", raw: "/" + String(repeating: "../", count: 21846) + "tls/key.pem"),
        ]
        table.append(
            TraversalPayload(label: "encoded absolute canary", raw: percentEncoded(percentEncoded(canaryPath))))
        return table
    }
}

/// What each entry point does with a payload.
enum FileAction: String, CaseIterable, Sendable {
    case getFile = "get_file", delete, pin, unpin

    func target(_ raw: String) -> String {
        switch self {
        case .getFile: "/api/v1/get_file?\(adminQuery)&file=\(raw)"
        default: "/param.cgi?\(adminQuery)&action=\(rawValue)&root.Filename=\(raw)"
        }
    }
}

@Suite("Path traversal")
struct TraversalTests {
    @Test(
        "no spelling reaches outside the recordings or anything but an indexed recording",
        arguments: FileAction.allCases)
    func traversal(action: FileAction) async throws {
        let scene = try TraversalScene()
        defer { scene.remove() }
        let config = DecoyConfig.recordingsTest(extraCameras: ["Linked"])
        try await withHarness(config, stateDirectory: URL(fileURLWithPath: scene.folder.state)) {
            (harness) async throws in
            let before = scene.snapshot()
            #expect(before[scene.canaryPath] == "file " + Data("canary".utf8).base64EncodedString())
            let payloads = scene.payloads
            #expect(payloads.count >= 30)
            for payload in payloads {
                let response = await harness.send(action.target(payload.raw))
                #expect(response.code != 200, "\(action) \(payload): \(response.text)")
                #expect(response.servedFile == nil, "\(action) \(payload)")
                if payload.malformed {
                    #expect([400, 404].contains(response.code), "\(action) \(payload): \(response.text)")
                } else {
                    #expect(response.code == 404, "\(action) \(payload): \(response.code) \(response.text)")
                    #expect(response.text == "HTTP 404. No such file.", "\(action) \(payload)")
                }
                let after = scene.snapshot()
                #expect(after == before, "\(action) \(payload) changed \(Self.difference(before, after))")
                if after != before { break }
            }
        }
    }

    static func difference(_ before: [String: String], _ after: [String: String]) -> [String] {
        Set(before.keys).union(after.keys).sorted().filter { before[$0] != after[$0] }
            .map { "\($0): \(before[$0] ?? "nothing") → \(after[$0] ?? "nothing")" }
    }
}
