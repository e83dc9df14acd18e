import DecoyCore
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// HTTP/1.1 on a real socket: exact heads, keep-alive, pipelining, HTTP/1.0.
    @Suite struct WireProtocol {
        /// `Date: <IMF-fixdate>` (RFC 9110 §5.6.7).
        static var datePattern: Regex<(Substring, Substring, Substring)> {
            #/Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/#
        }

        /// Replaces the one `Date` header with a placeholder after checking its format.
        static func withoutDate(_ head: String) -> String {
            #expect(head.matches(of: datePattern).count == 1, "exactly one well-formed Date: \(head)")
            return head.replacing(datePattern, with: "Date: *\r\n")
        }

        @Test func fixedBodyHeadIsExactOnTheWire() async throws {
            try await withServer { server in
                let response = try await HTTP.exchange(port: server.port, Request.get("/api/v1/get_cam_list"))
                #expect(
                    Self.withoutDate(response.head)
                        == "HTTP/1.1 200 OK\r\nServer: Decoy/\(DecoyVersion.string)\r\n"
                        + "Content-Type: application/json; charset=utf-8\r\nCache-Control: no-cache\r\n"
                        + "Access-Control-Allow-Origin: *\r\nDate: *\r\nContent-Length: \(response.body.count)\r\n"
                        + "Connection: keep-alive\r\n\r\n")
                let cameras = try #require(try response.jsonData() as? [[String: Any]])
                #expect(cameras.map { $0["name"] as? String } == ["Test cam", "Second cam"])
            }
        }

        @Test func mjpegHeadIsExactOnTheWire() async throws {
            try await withServer { server in
                let port = server.port
                let (head, opening) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(Request.get("/axis-cgi/mjpg/video.cgi"))
                    return (try socket.readHead(), try socket.read(exactly: 14))
                }
                #expect(
                    Self.withoutDate(head.head)
                        == "HTTP/1.1 200 OK\r\nServer: Decoy/\(DecoyVersion.string)\r\n"
                        + "Content-Type: multipart/x-mixed-replace; boundary=myboundary\r\n"
                        + "Cache-Control: no-cache\r\nPragma: no-cache\r\nAccess-Control-Allow-Origin: *\r\n"
                        + "Date: *\r\nConnection: close\r\n\r\n")
                #expect(head.header("Content-Length") == nil)
                #expect(head.header("Transfer-Encoding") == nil)
                #expect(opening == Array("--myboundary\r\n".utf8))
            }
        }

        @Test func keepAliveServesTwoRequestsOnOneSocket() async throws {
            try await withServer { server in
                let port = server.port
                let responses = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(Request.get("/api/v1/get_cam_list"))
                    let first = try socket.readResponse()
                    try socket.send(Request.get("/api/v1/get_status"))
                    let second = try socket.readResponse()
                    return [first, second]
                }
                #expect(responses.map(\.status) == [200, 200])
                #expect(responses.map { $0.header("Connection") } == ["keep-alive", "keep-alive"])
                #expect(try responses[1].jsonData() is [String: Any])
            }
        }

        @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
            try await withServer { server in
                let port = server.port
                let count = 24
                // Alternating answers whose bodies name the request, sent in one write.
                let targets = (0..<count).map { $0 % 2 == 0 ? "/api/v1/get_cam_list" : "/missing/\($0)" }
                let responses = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(targets.map { Request.get($0) }.joined())
                    return try (0..<count).map { _ in try socket.readResponse() }
                }
                for (index, response) in responses.enumerated() {
                    if index % 2 == 0 {
                        #expect(response.status == 200, "request \(index)")
                        #expect(response.bodyText.hasPrefix("{\"data\":["), "request \(index)")
                    } else {
                        #expect(response.status == 404, "request \(index)")
                        #expect(response.bodyText == "HTTP 404. No such page: /missing/\(index)", "request \(index)")
                    }
                }
            }
        }

        @Test func http10WithoutKeepAliveIsClosedAfterTheAnswer() async throws {
            try await withServer { server in
                let port = server.port
                let (response, rest) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(Request.get("/api/v1/get_cam_list", version: "HTTP/1.0"))
                    let response = try socket.readResponse()
                    return (response, try socket.waitForClose())
                }
                #expect(response.version == "HTTP/1.0")
                #expect(response.status == 200)
                #expect(response.header("Connection") == "close")
                #expect(rest.isEmpty, "nothing after the answer, then the close")
            }
        }

        @Test func http10KeepAliveIsHonoured() async throws {
            try await withServer { server in
                let port = server.port
                let responses = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    let request = Request.get(
                        "/api/v1/get_cam_list", version: "HTTP/1.0", headers: ["Connection: keep-alive"])
                    try socket.send(request)
                    let first = try socket.readResponse()
                    try socket.send(request)
                    return [first, try socket.readResponse()]
                }
                #expect(responses.map(\.status) == [200, 200])
                #expect(responses.map { $0.header("Connection") } == ["keep-alive", "keep-alive"])
            }
        }

        @Test func headAnswersWithTheLengthButNoBody() async throws {
            try await withServer { server in
                let port = server.port
                let (head, get) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    // HEAD then GET in one write: a body after the HEAD answer would corrupt the second.
                    try socket.send(
                        Request.get("/api/v1/get_cam_list").replacingOccurrences(of: "GET ", with: "HEAD ")
                            + Request.get("/api/v1/get_cam_list"))
                    return (try socket.readResponse(method: "HEAD"), try socket.readResponse())
                }
                #expect(head.status == 200)
                #expect(get.status == 200)
                #expect(head.header("Content-Length") == String(get.body.count))
                #expect(get.bodyText.hasPrefix("{\"data\":["))
            }
        }

        @Test func connectionCloseIsHonoured() async throws {
            try await withServer { server in
                let port = server.port
                let (response, rest) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(Request.get("/api/v1/get_cam_list", close: true))
                    let response = try socket.readResponse()
                    return (response, try socket.waitForClose())
                }
                #expect(response.status == 200)
                #expect(response.header("Connection") == "close")
                #expect(rest.isEmpty)
            }
        }

        @Test func corsPreflightIs204WithoutLengthAndKeepsTheConnection() async throws {
            try await withServer { server in
                let port = server.port
                let (preflight, next) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(
                        "OPTIONS /api/v1/get_cam_list HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://ui.example\r\n"
                            + "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: authorization\r\n\r\n"
                            + Request.get("/api/v1/get_cam_list"))
                    return (try socket.readResponse(), try socket.readResponse())
                }
                // RFC 9110 §8.6: a 204 carries no Content-Length.
                #expect(
                    Self.withoutDate(preflight.head)
                        == "HTTP/1.1 204 No Content\r\nServer: Decoy/\(DecoyVersion.string)\r\n"
                        + "Access-Control-Allow-Methods: GET, HEAD, OPTIONS\r\nAccess-Control-Allow-Headers: Authorization\r\n"
                        + "Access-Control-Max-Age: 600\r\nAccess-Control-Allow-Origin: *\r\nDate: *\r\n"
                        + "Connection: keep-alive\r\n\r\n")
                #expect(next.status == 200)
                #expect(next.header("Access-Control-Allow-Origin") == "*")
            }
        }

        @Test func halfClosedClientStillGetsItsAnswer() async throws {
            try await withServer { server in
                let port = server.port
                for version in ["HTTP/1.1", "HTTP/1.0"] {
                    // Request, then FIN (what `nc -N` does): the answer comes, then the close.
                    let (response, rest) = try await Blocking.run {
                        let socket = try RawSocket.connect(port: port)
                        defer { socket.close() }
                        try socket.send(Request.get("/axis-cgi/jpg/image.cgi?resolution=160x120", version: version))
                        socket.shutdownWrite()
                        let response = try socket.readResponse()
                        return (response, try socket.waitForClose())
                    }
                    #expect(response.status == 200, "\(version)")
                    #expect(response.header("Connection") == "close", "\(version)")
                    #expect(try FrameInspector.size(response.body) == .init(width: 160, height: 120))
                    #expect(rest.isEmpty)
                }
            }
        }

        @Test func halfClosedIdleConnectionIsClosedAtOnce() async throws {
            // The head timeout (15 s) is longer than the socket's receive limit (10 s).
            try await withServer { server in
                let port = server.port
                let rest = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(Request.get("/api/v1/get_cam_list"))
                    _ = try socket.readResponse()
                    socket.shutdownWrite()
                    return try socket.waitForClose()
                }
                #expect(rest.isEmpty)
            }
        }

        @Test func halfClosedViewerKeepsReceivingFrames() async throws {
            try await withServer { server in
                let port = server.port
                let ids = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    let reader = try MJPEGReader(socket: socket, request: Request.get("/axis-cgi/mjpg/video.cgi"))
                    defer { reader.close() }
                    socket.shutdownWrite()
                    return try (0..<5).map { _ in try FrameInspector.number(try reader.nextJPEG()) }
                }
                #expect(ids.isStrictlyIncreasing)
            }
        }

        @Test func noCredentialsGetTheBasicChallenge() async throws {
            try await withServer { server in
                let response = try await HTTP.get(port: server.port, "/axis-cgi/mjpg/video.cgi", auth: nil)
                #expect(response.status == 401)
                #expect(response.header("WWW-Authenticate") == "Basic realm=\"tinyCam\"")
                #expect(response.bodyText == "HTTP 401. Unauthorized.")
            }
        }
    }
}
