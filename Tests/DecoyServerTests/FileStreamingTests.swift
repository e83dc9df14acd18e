import DecoyTinyCam
import Foundation
import Testing

@testable import DecoyTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Serves the files of `folder` the way `get_file` will, through `TinyCamResponse.file`:
/// `/test/file/<name>` serves the file, `/test/vanishing/<name>` deletes it right after answering
/// (so the transport can no longer open it); everything else goes to the API.
struct FileTestResponder: TinyCamResponder {
    let api: TinyCamAPI
    let folder: String

    func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        let path = String(request.rawPath)
        for (prefix, vanishes) in [("/test/file/", false), ("/test/vanishing/", true)] where path.hasPrefix(prefix) {
            let file = folder + "/" + path.dropFirst(prefix.count)
            do {
                let response = try TinyCamResponse.file(
                    atPath: file, contentType: TinyCamResponse.contentType(forFileName: file), request: request)
                if vanishes { unlink(file) }
                return response
            } catch {
                return .text(.notFound, "HTTP 404. \(error)\n")
            }
        }
        return await api.handle(request)
    }
}

/// A file of `count` bytes with a period (1 000 003, a prime) that no chunk or buffer size divides,
/// so a misplaced or repeated chunk shows.
func sampleBytes(_ count: Int) -> [UInt8] {
    let period = 1_000_003
    var block = [UInt8](repeating: 0, count: min(count, period))
    var state: UInt32 = 0x9E37_79B9
    for index in block.indices {
        state = state &* 1_664_525 &+ 1_013_904_223
        block[index] = UInt8(truncatingIfNeeded: state >> 24)
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    while bytes.count < count { bytes += block.prefix(count - bytes.count) }
    return bytes
}

/// A server whose `/test/file/…` serves the files written into its folder.
struct FileServer {
    let server: TestServer
    let folder: String
    var port: Int { server.port }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
    }

    /// How many descriptors of this process have `name` open (other tests' descriptors do not count).
    func openDescriptors(of name: String) -> Int {
        let target = URL(fileURLWithPath: folder + "/" + name).resolvingSymlinksInPath().path
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.filter { entry in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry)) == target
        }.count
    }
}

func withFileServer(
    https: Bool = false, _ body: (FileServer) async throws -> Void
) async throws {
    let folder = TestServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await withServer(responder: { FileTestResponder(api: $0, folder: folder) }, { $0.server.https = https }) {
        try await body(FileServer(server: $0, folder: folder))
    }
}

extension ServerIntegration {
    /// Files streamed from disk by the transport: exact bytes for every range answer, HEAD without
    /// reading, backpressure for slow clients, and no descriptor left behind by vanished ones.
    @Suite struct FileStreaming {
        @Test func rangeAnswersAreByteExactOnOneKeepAliveConnection() async throws {
            try await withFileServer { files in
                let bytes = sampleBytes(1000)
                try files.write("sample.mp4", bytes)
                try await Blocking.run {
                    let socket = try RawSocket.connect(port: files.port)
                    defer { socket.close() }
                    func get(_ headers: [String] = []) throws -> RawResponse {
                        try socket.send(Request.get("/test/file/sample.mp4", auth: nil, headers: headers))
                        return try socket.readResponse()
                    }
                    let part = try get(["Range: bytes=10-19"])
                    let tag = try #require(part.header("ETag"))
                    let modified = try #require(part.header("Last-Modified"))
                    let date = try #require(part.header("Date"))
                    #expect(
                        part.head
                            == "HTTP/1.1 206 Partial Content\r\nContent-Type: video/mp4\r\nAccept-Ranges: bytes\r\n"
                            + "ETag: \(tag)\r\nLast-Modified: \(modified)\r\nContent-Range: bytes 10-19/1000\r\n"
                            + "Date: \(date)\r\nContent-Length: 10\r\nConnection: keep-alive\r\n\r\n")
                    #expect(part.body == Array(bytes[10..<20]))

                    let whole = try get()
                    #expect(whole.status == 200 && whole.header("Content-Length") == "1000")
                    #expect(whole.header("Content-Range") == nil && whole.header("Accept-Ranges") == "bytes")
                    #expect(whole.body == bytes)

                    #expect(try get(["Range: bytes=-1"]).body == [bytes[999]])
                    let clamped = try get(["Range: bytes=990-5000"])
                    #expect(clamped.header("Content-Range") == "bytes 990-999/1000")
                    #expect(clamped.body == Array(bytes[990...]))
                    let several = try get(["Range: bytes=0-1,5-6"])
                    #expect(several.status == 200 && several.body == bytes)

                    let unsatisfiable = try get(["Range: bytes=1000-"])
                    #expect(unsatisfiable.status == 416)
                    #expect(unsatisfiable.header("Content-Range") == "bytes */1000")
                    #expect(unsatisfiable.bodyText.hasPrefix("HTTP 416."))

                    let notModified = try get(["If-None-Match: \(tag)"])
                    #expect(notModified.status == 304)
                    #expect(notModified.header("ETag") == tag)
                    #expect(notModified.header("Content-Length") == nil, "a 304 must not claim a zero length")

                    // Two requests sent at once are answered in order, each exactly.
                    try socket.send(
                        Request.get("/test/file/sample.mp4", auth: nil, headers: ["Range: bytes=0-2"])
                            + Request.get("/test/file/sample.mp4", auth: nil, headers: ["Range: bytes=3-5"]))
                    #expect(try socket.readResponse().body == Array(bytes[0..<3]))
                    #expect(try socket.readResponse().body == Array(bytes[3..<6]))
                    #expect(socket.buffered == 0, "not a byte more than announced")
                }
            }
        }

        @Test(arguments: [false, true])
        func curlDownloadsEqualTheFile(https: Bool) async throws {
            let curl = try ChildProcess.tool("curl")
            try await withFileServer(https: https) { files in
                // Several 64 KiB chunks, and a range across chunk boundaries.
                let bytes = sampleBytes(200_000)
                try files.write("clip.mp4", bytes)
                let url = "\(https ? "https" : "http")://127.0.0.1:\(files.port)/test/file/clip.mp4"
                for (range, expected) in [
                    (nil, bytes[...]), ("65530-131080", bytes[65530...131080]), ("199990-", bytes[199990...]),
                ] {
                    let output = files.folder + "/download"
                    var arguments = ["-sS", "-k", "--max-time", "30", "-o", output, "-w", "%{http_code}", url]
                    if let range { arguments += ["-r", range] }
                    let result = try await ChildProcess.run(curl, arguments)
                    #expect(result.status == 0, "\(result.stderrText)")
                    #expect(result.stdoutText == (range == nil ? "200" : "206"))
                    #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(expected), "\(range ?? "all")")
                }
                let head = try await ChildProcess.run(curl, ["-sS", "-k", "--max-time", "30", "-I", url])
                #expect(head.stdoutText.contains("Content-Length: 200000\r\n"), "\(head.stdoutText)")
            }
        }

        @Test func headNeverOpensTheFile() async throws {
            try await withFileServer { files in
                let bytes = sampleBytes(1000)
                try files.write("gone.mp4", bytes)
                try files.write("other.jpg", Array(bytes.prefix(10)))
                try await Blocking.run {
                    let socket = try RawSocket.connect(port: files.port)
                    defer { socket.close() }
                    // The responder deletes the file before the transport sees the answer: a HEAD
                    // that tried to open it would fail.
                    try socket.send("HEAD /test/vanishing/gone.mp4 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    let head = try socket.readResponse(method: "HEAD")
                    #expect(head.status == 200 && head.header("Content-Length") == "1000")
                    #expect(head.header("Content-Type") == "video/mp4")
                    #expect(!FileManager.default.fileExists(atPath: files.folder + "/gone.mp4"))
                    // No body followed: the next answer on the connection starts right away.
                    try socket.send(Request.get("/test/file/other.jpg", auth: nil))
                    let other = try socket.readResponse()
                    #expect(other.status == 200 && other.header("Content-Type") == "image/jpeg")
                    #expect(other.body == Array(bytes.prefix(10)))

                    // A GET of the same vanishing file does open it, finds it gone, and says 404
                    // (nothing was sent yet); the connection stays usable.
                    try files.write("gone.mp4", bytes)
                    try socket.send(Request.get("/test/vanishing/gone.mp4", auth: nil))
                    let missing = try socket.readResponse()
                    #expect(missing.status == 404 && missing.bodyText == "HTTP 404. The file is no longer available.")
                    try socket.send(Request.get("/test/file/other.jpg", auth: nil))
                    #expect(try socket.readResponse().status == 200)
                }
                #expect(
                    files.server.runtime.services.logs.access.text.contains(
                        "\"HEAD /test/vanishing/gone.mp4\" 200 1000 "))
            }
        }

        @Test func aClientThatStopsReadingHoldsLittleAndOthersFinish() async throws {
            try await withFileServer { files in
                let bytes = sampleBytes(64 << 20)
                try files.write("big.mp4", bytes)
                let traffic = files.server.runtime.services.traffic
                let before = traffic.totals.bytesOut
                let slow = try await Blocking.run {
                    let socket = try RawSocket.connect(port: files.port, receiveBuffer: 16 * 1024)
                    try socket.send(Request.get("/test/file/big.mp4", auth: nil))
                    _ = try socket.readHead()
                    return socket
                }
                defer { slow.abort() }
                // Wait until the server stops pushing bytes to the stalled client.
                var last = Int64(-1)
                var stableRounds = 0
                _ = try await poll(timeout: .seconds(20), every: .milliseconds(100)) {
                    let now = traffic.totals.bytesOut
                    stableRounds = now == last ? stableRounds + 1 : 0
                    last = now
                    return stableRounds >= 5
                }
                let pushed = traffic.totals.bytesOut - before
                #expect(pushed < 16 << 20, "the stalled client got \(pushed) bytes queued, not one chunk at a time")
                #expect(files.openDescriptors(of: "big.mp4") == 1, "the stalled transfer keeps its file open")

                let output = files.folder + "/download"
                let fast = try await ChildProcess.run(
                    try ChildProcess.tool("curl"),
                    [
                        "-sS", "--max-time", "50", "-o", output, "-w", "%{http_code}",
                        "http://127.0.0.1:\(files.port)/test/file/big.mp4",
                    ],
                    timeout: .seconds(55))
                #expect(fast.status == 0 && fast.stdoutText == "200", "\(fast.stderrText)")
                #expect(
                    try Data(contentsOf: URL(fileURLWithPath: output)) == Data(bytes),
                    "the other client got the whole file while the first one stalled")
            }
        }

        @Test func vanishedClientsCloseTheFile() async throws {
            try await withFileServer { files in
                try files.write("big.mp4", sampleBytes(64 << 20))
                let sockets = try await Blocking.run {
                    try (0..<3).map { _ in
                        let socket = try RawSocket.connect(port: files.port, receiveBuffer: 16 * 1024)
                        try socket.send(Request.get("/test/file/big.mp4", auth: nil))
                        _ = try socket.readHead()
                        _ = try socket.read(exactly: 1000)
                        return socket
                    }
                }
                let allOpen = try await poll { files.openDescriptors(of: "big.mp4") == 3 }
                #expect(allOpen, "three transfers in progress hold \(files.openDescriptors(of: "big.mp4")) descriptors")
                for socket in sockets { socket.abort() }
                let allClosed = try await poll { files.openDescriptors(of: "big.mp4") == 0 }
                #expect(
                    allClosed, "\(files.openDescriptors(of: "big.mp4")) descriptors left after the clients vanished")
                #expect(try await HTTP.isHealthy(port: files.port))
            }
        }

        @Test func overHTTPSASlowClientDoesNotStallAnotherAndItsFileClosesWhenItQuits() async throws {
            let curl = try ChildProcess.tool("curl")
            try await withFileServer(https: true) { files in
                let bytes = sampleBytes(64 << 20)
                try files.write("big.mp4", bytes)
                let url = "https://127.0.0.1:\(files.port)/test/file/big.mp4"
                let slow = try ChildProcess(curl, ["-sS", "-k", "--limit-rate", "64K", "-o", "/dev/null", url])
                let started = try await poll { files.openDescriptors(of: "big.mp4") == 1 }
                #expect(started, "the slow download is under way")
                let output = files.folder + "/download"
                let fast = try await ChildProcess.run(
                    curl, ["-sS", "-k", "--max-time", "50", "-o", output, "-w", "%{http_code}", url],
                    timeout: .seconds(55))
                #expect(fast.status == 0 && fast.stdoutText == "200", "\(fast.stderrText)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(bytes))
                #expect(slow.isRunning, "the slow client was still downloading meanwhile")
                kill(slow.processIdentifier, SIGKILL)  // it vanishes (and curl sleeping in --limit-rate ignores SIGINT)
                _ = try await Blocking.run { slow.wait(timeout: .seconds(10)) }
                let closed = try await poll { files.openDescriptors(of: "big.mp4") == 0 }
                #expect(closed, "\(files.openDescriptors(of: "big.mp4")) descriptors left after the client quit")
            }
        }

        @Test func aHalfClosedClientGetsTheWholeFileThenTheConnectionCloses() async throws {
            try await withFileServer { files in
                let bytes = sampleBytes(300_000)
                try files.write("clip.mp4", bytes)
                let received = try await Blocking.run {
                    let socket = try RawSocket.connect(port: files.port)
                    defer { socket.close() }
                    try socket.send(Request.get("/test/file/clip.mp4", auth: nil))
                    socket.shutdownWrite()
                    return try socket.waitForClose()
                }
                let response = try RawResponse(head: received.headText ?? "")
                #expect(response.status == 200)
                #expect(received.afterHead == bytes)
            }
        }
    }
}
