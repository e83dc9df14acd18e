import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// Malformed, oversized and adversarial requests: each gets its 4xx, and the server keeps
    /// answering normal requests afterwards.
    @Suite struct HostileInput {
        struct Case: Sendable, CustomTestStringConvertible {
            let name: String
            let bytes: [UInt8]
            let status: Int
            /// Rejected by the API after a well-formed request: the connection stays usable.
            let keepsConnection: Bool
            var testDescription: String { name }

            init(_ name: String, _ text: String, _ status: Int, keepsConnection: Bool = false) {
                self.init(name, Array(text.utf8), status, keepsConnection: keepsConnection)
            }

            init(_ name: String, _ bytes: [UInt8], _ status: Int, keepsConnection: Bool = false) {
                self.name = name
                self.bytes = bytes
                self.status = status
                self.keepsConnection = keepsConnection
            }
        }

        static let auth = "Authorization: \(Request.adminBasic)\r\n"

        static let cases: [Case] = [
            Case(
                "one 20 KiB header",
                "GET /api/v1/get_cam_list HTTP/1.1\r\nHost: x\r\n\(auth)X-Big: "
                    + String(repeating: "a", count: 20 * 1024) + "\r\n\r\n", 431),
            Case(
                "40 headers of 1 KiB",
                "GET /api/v1/get_cam_list HTTP/1.1\r\nHost: x\r\n\(auth)"
                    + (0..<40).map { "X-Filler-\($0): " + String(repeating: "b", count: 1024) + "\r\n" }.joined()
                    + "\r\n", 431),
            Case(
                "request line over 8 KiB",
                "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\(auth)\r\n", 414),
            Case(
                "10 000-character query value",
                "GET /api/v1/get_cam_list?x=" + String(repeating: "v", count: 10_000)
                    + " HTTP/1.1\r\nHost: x\r\n\(auth)\r\n", 414),
            Case("garbage request line", "HELLO\r\n\r\n", 400),
            Case(
                "invalid UTF-8 in the query", "GET /api/v1/get_cam_list?x=%FF HTTP/1.1\r\nHost: x\r\n\(auth)\r\n", 400,
                keepsConnection: true),
            Case(
                "raw non-ASCII bytes in the target",
                Array("GET /api/v1/get_cam_list?x=".utf8) + [0xC3, 0xA9, 0xFF]
                    + Array(" HTTP/1.1\r\nHost: x\r\n\(auth)\r\n".utf8), 400),
            Case(
                "repeated parameter", "GET /api/v1/get_cam_list?camera=1&camera=2 HTTP/1.1\r\nHost: x\r\n\(auth)\r\n",
                400, keepsConnection: true),
            Case(
                "percent escape with a non-hex digit",
                "GET /api/v1/get_cam_list?x=%G1 HTTP/1.1\r\nHost: x\r\n\(auth)\r\n", 400, keepsConnection: true),
            Case(
                "truncated percent escape", "GET /api/v1/get_cam_list?x=%4 HTTP/1.1\r\nHost: x\r\n\(auth)\r\n", 400,
                keepsConnection: true),
            Case(
                "malformed escape in the path", "GET /api/v1/get_cam%2 HTTP/1.1\r\nHost: x\r\n\(auth)\r\n", 400,
                keepsConnection: true),
            Case(
                "request body over 64 KiB",
                "GET /api/v1/get_cam_list HTTP/1.1\r\nHost: x\r\n\(auth)Content-Length: 70000\r\n\r\n"
                    + String(repeating: "z", count: 70_000), 413),
            Case(
                "chunked garbage",
                "POST /api/v1/get_cam_list HTTP/1.1\r\nHost: x\r\n\(auth)Transfer-Encoding: chunked\r\n\r\nzzz\r\nnot a chunk\r\n\r\n",
                400),
            Case(
                "bad Content-Length", "GET /api/v1/get_cam_list HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400),
        ]

        @Test("rejected with its 4xx, then the server still answers", arguments: cases)
        func rejected(_ hostile: Case) async throws {
            try await withServer { server in
                let port = server.port
                let (response, next) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(hostile.bytes)
                    let response = try socket.readResponse()
                    guard hostile.keepsConnection else {
                        // The request could not be framed: the server answers and closes.
                        _ = try socket.waitForClose()
                        return (response, nil as RawResponse?)
                    }
                    try socket.send(Request.get("/api/v1/get_cam_list"))
                    return (response, try socket.readResponse())
                }
                #expect(response.status == hostile.status, "\(response.head)\(response.bodyText)")
                #expect(response.bodyText.hasPrefix("HTTP \(hostile.status). "), "\(response.bodyText)")
                #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
                if hostile.keepsConnection {
                    #expect(response.header("Connection") == "keep-alive")
                    #expect(next?.status == 200, "the same connection answers the next request")
                } else {
                    #expect(response.header("Connection") == "close")
                }
                #expect(try await HTTP.isHealthy(port: port))
            }
        }
    }
}
