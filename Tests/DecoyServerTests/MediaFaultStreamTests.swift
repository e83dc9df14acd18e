import DecoyCore
import DecoyFaults
import DecoyServer
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// Every media fault on the wire, read byte by byte off a raw socket.
    @Suite struct MediaFaultStreams {
        static let video = "/axis-cgi/mjpg/video.cgi?camera=1&resolution=160x120"

        /// Connects with `media` on every video.cgi/image.cgi answer and hands the socket (request sent) over.
        static func wire<T: Sendable>(
            _ media: MediaFault, target: String = video, _ read: @escaping @Sendable (RawSocket) throws -> T
        ) async throws -> T {
            try await withFaultServer(rules: [rule(for: "/axis-cgi/", .media(media))]) { runtime in
                let port = runtime.port
                return try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(Request.get(target))
                    return try read(socket)
                }
            }
        }

        static func expect(_ socket: RawSocket, _ text: String) throws {
            let bytes = try socket.read(exactly: text.utf8.count)
            guard bytes.elementsEqual(text.utf8) else {
                throw MJPEGError(
                    "expected \(text.debugDescription), got \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
        }

        /// `Content-Type: image/jpeg<eol>Content-Length: N<eol><eol>`: N.
        static func partHeader(_ socket: RawSocket, eol: String = "\r\n") throws -> Int {
            try expect(socket, "Content-Type: image/jpeg\(eol)Content-Length: ")
            let line = try socket.read(through: Array((eol + eol).utf8), limit: 64)
            guard let length = Int(String(decoding: line.dropLast(2 * eol.utf8.count), as: UTF8.self)) else {
                throw MJPEGError("bad Content-Length line \(line)")
            }
            return length
        }

        /// One regular part: its JPEG (whole, SOI…EOI), the trailer checked.
        static func wholePart(_ socket: RawSocket) throws -> [UInt8] {
            let jpeg = try socket.read(exactly: try partHeader(socket))
            try #require(jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2).elementsEqual([0xFF, 0xD9]))
            try expect(socket, "\r\n--myboundary\r\n")
            return jpeg
        }

        static func head(_ socket: RawSocket) throws -> RawResponse {
            let head = try socket.readHead()
            try #require(head.status == 200, "\(head.head)")
            return head
        }

        @Test func truncatedJPEG() async throws {
            let jpegs = try await Self.wire(.truncatedJPEG) { socket in
                _ = try Self.head(socket)
                try Self.expect(socket, "--myboundary\r\n")
                return try (0..<2).map { _ in
                    let jpeg = try socket.read(exactly: try Self.partHeader(socket))
                    try Self.expect(socket, "\r\n--myboundary\r\n")
                    return jpeg
                }
            }
            for jpeg in jpegs {
                #expect(jpeg.starts(with: [0xFF, 0xD8]))
                #expect(!jpeg.suffix(2).elementsEqual([0xFF, 0xD9]), "no EOI")
            }
        }

        @Test func corruptEntropy() async throws {
            let jpegs = try await Self.wire(.corruptEntropy) { socket in
                _ = try Self.head(socket)
                try Self.expect(socket, "--myboundary\r\n")
                return try (0..<2).map { _ in try Self.wholePart(socket) }
            }
            #expect(jpegs.count == 2, "framing and markers kept: SOI…EOI with the right length")
        }

        @Test func missingBoundary() async throws {
            let jpeg = try await Self.wire(.missingBoundary) { socket in
                _ = try Self.head(socket)
                return try Self.wholePart(socket)
            }
            #expect(jpeg.count > 100, "the first part comes right after the head")
        }

        @Test func wrongBoundary() async throws {
            let head = try await Self.wire(.wrongBoundary) { socket in
                let head = try Self.head(socket)
                try Self.expect(socket, "--myboundary\r\n")
                _ = try Self.wholePart(socket)
                return head
            }
            #expect(head.header("Content-Type") == "multipart/x-mixed-replace; boundary=--myboundary")
        }

        @Test func quotedBoundary() async throws {
            let head = try await Self.wire(.quotedBoundary) { socket in
                let head = try Self.head(socket)
                try Self.expect(socket, "--myboundary\r\n")
                _ = try Self.wholePart(socket)
                return head
            }
            #expect(head.header("Content-Type") == "multipart/x-mixed-replace; boundary=\"myboundary\"")
        }

        @Test(arguments: [64, -40]) func lyingContentLength(by: Int) async throws {
            let (claimed, sent) = try await Self.wire(.lyingContentLength(by: by)) { socket in
                _ = try Self.head(socket)
                try Self.expect(socket, "--myboundary\r\n")
                let claimed = try Self.partHeader(socket)
                let rest = try socket.read(through: Array("\r\n--myboundary\r\n".utf8), limit: 1 << 20)
                return (claimed, rest.count - 16)
            }
            #expect(claimed == sent + by, "claimed \(claimed), sent \(sent)")
        }

        @Test func chunked() async throws {
            let (head, opening, part) = try await Self.wire(.chunked) { socket in
                let head = try Self.head(socket)
                let opening = try socket.read(exactly: "e\r\n--myboundary\r\n\r\n".utf8.count)
                let size = try socket.read(through: .crlf, limit: 16)
                let length = Int(String(decoding: size.dropLast(2), as: UTF8.self), radix: 16)!
                let part = try socket.read(exactly: length)
                try Self.expect(socket, "\r\n")
                return (head, opening, part)
            }
            #expect(head.header("Transfer-Encoding") == "chunked")
            #expect(head.header("Content-Length") == nil)
            #expect(opening.elementsEqual("e\r\n--myboundary\r\n\r\n".utf8))
            #expect(part.starts(with: Array("Content-Type: image/jpeg\r\nContent-Length: ".utf8)))
            #expect(part.suffix(16).elementsEqual("\r\n--myboundary\r\n".utf8), "one chunk holds one whole part")
        }

        @Test func lfOnly() async throws {
            let jpeg = try await Self.wire(.lfOnly) { socket in
                _ = try Self.head(socket)
                try Self.expect(socket, "--myboundary\n")
                let jpeg = try socket.read(exactly: try Self.partHeader(socket, eol: "\n"))
                try Self.expect(socket, "\n--myboundary\n")
                return jpeg
            }
            #expect(jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2).elementsEqual([0xFF, 0xD9]))
        }

        @Test func duplicateFrames() async throws {
            let jpegs = try await Self.wire(.duplicateFrames) { socket in
                _ = try Self.head(socket)
                try Self.expect(socket, "--myboundary\r\n")
                return try (0..<4).map { _ in try Self.wholePart(socket) }
            }
            #expect(jpegs[0] == jpegs[1] && jpegs[2] == jpegs[3], "each frame twice")
            #expect(try FrameInspector.number(jpegs[2]) > FrameInspector.number(jpegs[1]), "then the next frame")
        }

        @Test func staleFrames() async throws {
            let jpegs = try await Self.wire(.staleFrames) { socket in
                _ = try Self.head(socket)
                try Self.expect(socket, "--myboundary\r\n")
                return try (0..<4).map { _ in try Self.wholePart(socket) }
            }
            #expect(Set(jpegs).count == 1, "the first frame, again and again")
        }

        @Test func aSnapshotIsTruncatedAndStillFramed() async throws {
            let response = try await Self.wire(.truncatedJPEG, target: "/axis-cgi/jpg/image.cgi?camera=1") {
                try $0.readResponse()
            }
            #expect(response.header("Content-Type") == "image/jpeg")
            #expect(Int(response.header("Content-Length")!) == response.body.count)
            #expect(response.body.starts(with: [0xFF, 0xD8]) && !response.body.suffix(2).elementsEqual([0xFF, 0xD9]))
        }

        @Test func aSnapshotWithALyingLengthClosesAfterTheShortBody() async throws {
            let (head, body) = try await Self.wire(.lyingContentLength(by: 64), target: "/axis-cgi/jpg/image.cgi") {
                socket in (try socket.readHead(), try socket.readUntilEnd().bytes)
            }
            #expect(Int(head.header("Content-Length")!) == body.count + 64)
            #expect(head.header("Connection") == "close")
            #expect(body.suffix(2).elementsEqual([0xFF, 0xD9]))
        }

        @Test func aChunkedSnapshot() async throws {
            let (head, jpeg) = try await Self.wire(.chunked, target: "/axis-cgi/jpg/image.cgi") { socket in
                let head = try socket.readHead()
                let size = try socket.read(through: .crlf, limit: 16)
                let jpeg = try socket.read(exactly: Int(String(decoding: size.dropLast(2), as: UTF8.self), radix: 16)!)
                try Self.expect(socket, "\r\n0\r\n\r\n")
                return (head, jpeg)
            }
            #expect(head.header("Transfer-Encoding") == "chunked" && head.header("Content-Length") == nil)
            #expect(
                jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2).elementsEqual([0xFF, 0xD9]), "one chunk, the JPEG")
        }
    }
}
