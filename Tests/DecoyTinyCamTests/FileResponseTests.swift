import DecoyCore
import DecoyTinyCam
import Foundation
import NIOCore
import Testing

/// A temporary folder with one file of known bytes and modification time, removed afterwards.
private struct TempFile {
    static let modified: Int64 = 1_601_381_164  // Tue, 29 Sep 2020 12:06:04 GMT
    let folder: String
    let path: String

    init(bytes: [UInt8] = Array(0..<100), name: String = "clip.mp4") throws {
        folder = NSTemporaryDirectory() + "decoy-file-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try setModified(Self.modified)
    }

    func setModified(_ seconds: Int64) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: TimeInterval(seconds))], ofItemAtPath: path)
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    func answer(method: String = "GET", _ headers: [(name: String, value: String)] = []) throws -> TinyCamResponse {
        let request = TinyCamRequest(method: method, target: "/f", headers: headers, clientAddress: "192.0.2.1")
        return try TinyCamResponse.file(atPath: path, contentType: "video/mp4", request: request)
    }
}

private func withFile(
    _ bytes: [UInt8] = Array(0..<100), name: String = "clip.mp4", _ body: (TempFile) throws -> Void
) throws {
    let file = try TempFile(bytes: bytes, name: name)
    defer { file.remove() }
    try body(file)
}

extension TinyCamResponse {
    fileprivate var fileBody: FileBody? {
        if case .file(let body) = body { return body }
        return nil
    }
}

@Suite("File answers: 200, 206, 304, 416")
struct FileResponseTests {
    @Test("a GET gets the whole file with its type, ranges, a strong ETag and Last-Modified")
    func whole() throws {
        try withFile { (file) throws in
            let response = try file.answer()
            #expect(response.status == .ok)
            #expect(response.fileBody == FileBody(path: file.path, offset: 0, length: 100))
            #expect(response.header("Content-Type") == "video/mp4")
            #expect(response.header("Accept-Ranges") == "bytes")
            #expect(response.header("Last-Modified") == "Tue, 29 Sep 2020 12:06:04 GMT")
            let tag = try #require(response.header("ETag"))
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count > 2, "strong: \(tag)")
            #expect(response.header("Content-Range") == nil)
            #expect(response.bodyBytes == nil, "the bytes stay on disk")
            #expect(response.bodyLength == 100)
        }
    }

    @Test("a single range of a GET is a 206 with Content-Range")
    func partial() throws {
        try withFile { (file) throws in
            let response = try file.answer([("Range", "bytes=2-5")])
            #expect(response.status == .partialContent)
            #expect(response.header("Content-Range") == "bytes 2-5/100")
            #expect(response.fileBody == FileBody(path: file.path, offset: 2, length: 4))
            #expect(response.header("ETag") != nil && response.header("Accept-Ranges") == "bytes")
            let suffix = try file.answer([("range", "bytes=-10")])
            #expect(suffix.header("Content-Range") == "bytes 90-99/100")
        }
    }

    @Test("ranges are ignored on HEAD (only GET has range semantics), when repeated, and when invalid")
    func rangeIgnored() throws {
        try withFile { (file) throws in
            #expect(try file.answer(method: "HEAD", [("Range", "bytes=2-5")]).status == .ok)
            #expect(try file.answer([("Range", "bytes=2-5"), ("Range", "bytes=6-9")]).status == .ok)
            #expect(try file.answer([("Range", "bytes=5-2")]).fileBody?.length == 100)
            #expect(try file.answer([("Range", "bytes=0-1,5-6")]).status == .ok)
        }
    }

    @Test("a range past the end is 416 with bytes */size and no file body")
    func unsatisfiable() throws {
        try withFile { (file) throws in
            let response = try file.answer([("Range", "bytes=100-")])
            #expect(response.status == .rangeNotSatisfiable)
            #expect(response.header("Content-Range") == "bytes */100")
            #expect(response.fileBody == nil)
            // tinyCam's error body, with no line ending after it (like every other error answer).
            #expect(
                String(buffer: try #require(response.bodyBytes))
                    == "HTTP 416. The requested range starts past the end of the file (100 bytes).")
        }
    }

    @Test("an empty file: 200 with no bytes; bytes=0- is 416")
    func empty() throws {
        try withFile([]) { (file) throws in
            #expect(try file.answer().fileBody?.length == 0)
            #expect(try file.answer([("Range", "bytes=-5")]).status == .ok)
            #expect(try file.answer([("Range", "bytes=0-")]).header("Content-Range") == "bytes */0")
        }
    }

    @Test("If-None-Match: the tag, its weak form, a list holding it or * give 304; another tag does not")
    func ifNoneMatch() throws {
        try withFile { (file) throws in
            let tag = try #require(try file.answer().header("ETag"))
            for value in [tag, "W/\(tag)", "\"other\", \(tag)", "\"a,b\",\(tag)", "*", " * "] {
                let response = try file.answer([("If-None-Match", value)])
                #expect(response.status == .notModified, "\(value)")
                #expect(response.header("ETag") == tag)
                #expect(response.header("Last-Modified") == "Tue, 29 Sep 2020 12:06:04 GMT")
                #expect(response.bodyBytes?.readableBytes == 0)
            }
            #expect(try file.answer(method: "HEAD", [("If-None-Match", tag)]).status == .notModified)
            #expect(try file.answer([("If-None-Match", "\"other\"")]).status == .ok)
            #expect(try file.answer([("If-None-Match", "\"other\""), ("If-None-Match", tag)]).status == .notModified)
            #expect(try file.answer([("If-None-Match", "garbage \(tag)")]).status == .ok, "malformed")
            // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
            let both = try file.answer([
                ("If-None-Match", "\"other\""), ("If-Modified-Since", "Tue, 29 Sep 2020 12:06:04 GMT"),
            ])
            #expect(both.status == .ok)
        }
    }

    @Test("If-Modified-Since: not newer gives 304; older, invalid or repeated dates give 200")
    func ifModifiedSince() throws {
        try withFile { (file) throws in
            for date in [
                "Tue, 29 Sep 2020 12:06:04 GMT", "Wed, 30 Sep 2020 00:00:00 GMT", "Tuesday, 29-Sep-20 12:06:04 GMT",
            ] {
                #expect(try file.answer([("If-Modified-Since", date)]).status == .notModified, "\(date)")
            }
            for date in ["Tue, 29 Sep 2020 12:06:03 GMT", "yesterday", "Tue, 29 Sep 2020 12:06:04 CEST"] {
                #expect(try file.answer([("If-Modified-Since", date)]).status == .ok, "\(date)")
            }
            let repeated = try file.answer([
                ("If-Modified-Since", "Wed, 30 Sep 2020 00:00:00 GMT"),
                ("If-Modified-Since", "Wed, 30 Sep 2020 00:00:00 GMT"),
            ])
            #expect(repeated.status == .ok)
        }
    }

    @Test("If-Range: the range is served only for the current version")
    func ifRange() throws {
        try withFile { (file) throws in
            let tag = try #require(try file.answer().header("ETag"))
            let range = ("Range", "bytes=0-9")
            #expect(try file.answer([range, ("If-Range", tag)]).status == .partialContent)
            #expect(try file.answer([range, ("If-Range", "\"old\"")]).status == .ok)
            #expect(try file.answer([range, ("If-Range", "W/\(tag)")]).status == .ok, "weak tags never match")
            #expect(try file.answer([range, ("If-Range", "Tue, 29 Sep 2020 12:06:04 GMT")]).status == .partialContent)
            #expect(try file.answer([range, ("If-Range", "Tue, 29 Sep 2020 12:06:05 GMT")]).status == .ok)
            #expect(try file.answer([range, ("If-Range", "soon")]).status == .ok)
        }
    }

    @Test("the ETag changes when the file is rewritten or replaced")
    func entityTagChanges() throws {
        try withFile { (file) throws in
            let first = try #require(try file.answer().header("ETag"))
            try Data(Array(repeating: 7, count: 100)).write(to: URL(fileURLWithPath: file.path))
            try file.setModified(TempFile.modified + 1)
            let rewritten = try #require(try file.answer().header("ETag"))
            #expect(rewritten != first)
            // Same size and time, another file (another inode) moved into place.
            let other = file.folder + "/other"
            try Data(Array(repeating: 7, count: 100)).write(to: URL(fileURLWithPath: other))
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: TimeInterval(TempFile.modified + 1))],
                ofItemAtPath: other)
            #expect(rename(other, file.path) == 0)
            #expect(try file.answer().header("ETag") != rewritten)
        }
    }

    @Test("only regular files are served: missing paths, folders, FIFOs and devices are errors")
    func errors() throws {
        try withFile { (file) throws in
            let request = TinyCamRequest(method: "GET", target: "/f", clientAddress: "192.0.2.1")
            func error(_ path: String) -> FileResponseError? {
                do {
                    _ = try TinyCamResponse.file(atPath: path, contentType: "video/mp4", request: request)
                    return nil
                } catch { return error }
            }
            #expect(error(file.folder + "/missing.mp4") == .notFound(path: file.folder + "/missing.mp4"))
            #expect(error(file.path + "/below") == .notFound(path: file.path + "/below"))
            #expect(error(file.folder) == .notARegularFile(path: file.folder))
            #expect(error("/dev/null") == .notARegularFile(path: "/dev/null"))
            let fifo = file.folder + "/fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            #expect(error(fifo) == .notARegularFile(path: fifo))
            if getuid() != 0 {  // root reads anything
                #expect(chmod(file.path, 0) == 0)
                guard case .unreadable = error(file.path) else {
                    Issue.record("a mode-000 file must be unreadable")
                    return
                }
            }
            #expect(FileResponseError.notFound(path: "/x").description == "/x does not exist")
        }
    }

    @Test("Content-Type by the last extension")
    func contentTypes() {
        #expect(
            TinyCamResponse.contentType(forFileName: "/Front yard/2020-09-29 15.06.04 120sec person.mp4") == "video/mp4"
        )
        #expect(
            TinyCamResponse.contentType(forFileName: "/Front yard/2020-09-29 15.06.04 120sec person.mp4.jpg")
                == "image/jpeg")
        #expect(TinyCamResponse.contentType(forFileName: "a.JPEG") == "image/jpeg")
        #expect(TinyCamResponse.contentType(forFileName: "a.Mp4") == "video/mp4")
        for name in ["notes", "a.mp4/notes", "a.", "a.txt", ""] {
            #expect(TinyCamResponse.contentType(forFileName: name) == "application/octet-stream", "\(name)")
        }
    }
}

@Suite("HTTP dates")
struct HTTPDateTests {
    @Test("the three forms of RFC 9110 §5.6.7 read the same instant")
    func forms() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == 784_111_777)
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.parse("Tue, 29 Feb 2000 23:59:59 GMT") == 951_868_799)
        #expect(HTTPDate.parse("Monday, 01-Jan-01 00:00:00 GMT") == 978_307_200, "two-digit years below 70 are 20xx")
    }

    @Test(
        "what is not an HTTP date is nil",
        arguments: [
            "", "GMT", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, -6 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z",
        ])
    func invalid(_ text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test("parsing inverts CivilTime.httpDate")
    func roundTrip() {
        for seconds: Int64 in [0, 86_399, 951_782_400, 1_601_381_164, 4_102_444_800] {
            #expect(HTTPDate.parse(CivilTime.httpDate(seconds * 1000)) == seconds)
        }
    }
}
