import DecoyCore
import NIOCore
import Testing

@testable import DecoyServer
@testable import DecoyTestSupport

extension ServerIntegration {
    /// The server's connection pipeline on a testing channel: byte-exact response heads and MJPEG
    /// parts, and the head timeout on virtual time.
    @Suite struct EmbeddedPipeline {
        static let camList =
            "GET /api/v1/get_cam_list HTTP/1.1\r\nHost: x\r\nAuthorization: \(Request.adminBasic)\r\n\r\n"

        @Test func fixedBodyHeadIsExact() async throws {
            try await withEmbeddedServer { server in
                try await server.send(Self.camList)
                let bytes = try await server.output { bytes in
                    guard let head = bytes.headText, let length = Self.contentLength(head) else { return false }
                    return bytes.afterHead.count >= length
                }
                let body = bytes.afterHead
                let expectedHead =
                    "HTTP/1.1 200 OK\r\nServer: Decoy/\(DecoyVersion.string)\r\n"
                    + "Content-Type: application/json; charset=utf-8\r\nCache-Control: no-cache\r\n"
                    + "Access-Control-Allow-Origin: *\r\nDate: \(EmbeddedServer.date)\r\n"
                    + "Content-Length: \(body.count)\r\nConnection: keep-alive\r\n\r\n"
                #expect(bytes.headText == expectedHead)
                #expect(String(decoding: body, as: UTF8.self).hasPrefix("{\"data\":[{\"name\":\"Test cam\""))
                #expect(try await !server.isClosed, "keep-alive: the connection stays open")
            }
        }

        @Test func http10WithoutKeepAliveIsAnsweredThenClosed() async throws {
            try await withEmbeddedServer { server in
                try await server.send(
                    "GET /api/v1/get_cam_list HTTP/1.0\r\nAuthorization: \(Request.adminBasic)\r\n\r\n")
                let bytes = try await server.outputUntilClosed()
                let head = try #require(bytes.headText)
                #expect(head.hasPrefix("HTTP/1.0 200 OK\r\n"))
                #expect(head.contains("\r\nConnection: close\r\n"))
                #expect(try await server.isClosed)
            }
        }

        @Test func mjpegHeadAndPartsAreExact() async throws {
            try await withEmbeddedServer { server in
                try await server.send(
                    "GET /axis-cgi/mjpg/video.cgi?resolution=160x120 HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: \(Request.adminBasic)\r\n\r\n")
                // The head, the opening boundary, then two whole parts, each one write.
                let writes = try await server.writes(count: 4)
                try #require(writes.count == 4)
                #expect(
                    String(decoding: writes[0], as: UTF8.self)
                        == "HTTP/1.1 200 OK\r\nServer: Decoy/\(DecoyVersion.string)\r\n"
                        + "Content-Type: multipart/x-mixed-replace; boundary=myboundary\r\n"
                        + "Cache-Control: no-cache\r\nPragma: no-cache\r\nAccess-Control-Allow-Origin: *\r\n"
                        + "Date: \(EmbeddedServer.date)\r\nConnection: close\r\n\r\n")
                #expect(writes[1] == Array("--myboundary\r\n".utf8))
                var previous: UInt32?
                for part in writes[2...] {
                    let prefix = "Content-Type: image/jpeg\r\nContent-Length: "
                    let text = String(decoding: part.prefix(80), as: UTF8.self)
                    try #require(text.hasPrefix(prefix), "\(text.debugDescription)")
                    let headerEnd = try #require(part.firstRange(of: [UInt8].headEnd)).upperBound
                    let length = try #require(
                        Int(String(decoding: part[prefix.utf8.count..<(headerEnd - 4)], as: UTF8.self)))
                    let trailer = Array("\r\n--myboundary\r\n".utf8)
                    #expect(part.count == headerEnd + length + trailer.count)
                    let jpeg = Array(part[headerEnd..<(headerEnd + length)])
                    #expect(jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2).elementsEqual([0xFF, 0xD9]))
                    #expect(Array(part.suffix(trailer.count)) == trailer)
                    #expect(try FrameInspector.size(jpeg) == .init(width: 160, height: 120))
                    let number = try FrameInspector.number(jpeg)
                    if let previous { #expect(number > previous) }
                    previous = number
                }
                #expect(server.services.counters.openStreams == 1)
                try await server.channel.close()
                #expect(server.services.counters.openStreams == 0, "closing the stream ends its count")
            }
        }

        @Test func mjpegHeadRequestGetsTheHeadOnly() async throws {
            try await withEmbeddedServer { server in
                try await server.send(
                    "HEAD /axis-cgi/mjpg/video.cgi HTTP/1.1\r\nHost: x\r\nAuthorization: \(Request.adminBasic)\r\n\r\n")
                let bytes = try await server.output { $0.hasCompleteHead }
                let head = try #require(bytes.headText)
                #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(head.contains("Content-Type: multipart/x-mixed-replace; boundary=myboundary\r\n"))
                #expect(try await poll { try await server.isClosed })
                #expect(try await server.output { _ in true }.afterHead.isEmpty)
                #expect(server.services.counters.openStreams == 0)
            }
        }

        @Test func partialHeadTimesOutWith408() async throws {
            try await withEmbeddedServer(headTimeout: .seconds(5)) { server in
                try await server.send("GET /api/v1/get_cam_list HTTP/1.1\r\nHost: x\r\n")
                await server.channel.testingEventLoop.advanceTime(by: .seconds(4))
                #expect(try await server.output { _ in true }.isEmpty)
                #expect(try await !server.isClosed, "not before the timeout")
                await server.channel.testingEventLoop.advanceTime(by: .seconds(2))
                let body = "HTTP 408. The request head did not arrive in time."
                let expected =
                    "HTTP/1.1 408 Request Timeout\r\nServer: Decoy/0.1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Access-Control-Allow-Origin: *\r\nDate: \(EmbeddedServer.date)\r\n"
                    + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                let output = String(decoding: try await server.outputUntilClosed(), as: UTF8.self)
                #expect(output == expected)
                #expect(try await server.isClosed)
            }
        }

        @Test func idleConnectionIsClosedSilently() async throws {
            try await withEmbeddedServer(headTimeout: .seconds(5)) { server in
                try await server.send(Self.camList)
                _ = try await server.output { $0.hasCompleteHead }
                // Keep-alive: the next head must come within the timeout, counted from the answer.
                await server.channel.testingEventLoop.advanceTime(by: .seconds(4))
                #expect(try await !server.isClosed)
                await server.channel.testingEventLoop.advanceTime(by: .seconds(2))
                #expect(try await server.isClosed)
                #expect(try await server.output { _ in true }.isEmpty, "closed without an answer")
            }
        }

        @Test func encodedFramePartLayout() throws {
            let jpeg: [UInt8] = [0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9]
            let frame = jpeg.withUnsafeBytes {
                EncodedFrame(
                    sequence: 7, timeMilliseconds: 0, framesPerSecond: 10,
                    variant: .init(size: .init(width: 16, height: 16), quality: 70),
                    jpeg: $0, allocator: ByteBufferAllocator())
            }
            let expected =
                Array("Content-Type: image/jpeg\r\nContent-Length: 7\r\n\r\n".utf8) + jpeg
                + Array("\r\n--myboundary\r\n".utf8)
            #expect(Array(frame.part.readableBytesView) == expected)
            #expect(Array(frame.jpeg.readableBytesView) == jpeg)
            #expect(MJPEGFraming.contentType == "multipart/x-mixed-replace; boundary=myboundary")
            #expect(MJPEGFraming.preamble == "--myboundary\r\n")
        }

        static func contentLength(_ head: String) -> Int? {
            head.components(separatedBy: "\r\n").first { $0.hasPrefix("Content-Length: ") }
                .flatMap { Int($0.dropFirst("Content-Length: ".count)) }
        }
    }
}
