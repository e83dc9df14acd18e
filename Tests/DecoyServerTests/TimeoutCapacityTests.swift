import DecoyCore
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// Slow, idle and surplus connections cannot hold the server.
    @Suite struct TimeoutsAndCapacity {
        static func shortTimeout(_ config: inout DecoyConfig) { config.server.requestTimeoutSeconds = 1 }

        @Test func halfARequestHeadGets408ThenClose() async throws {
            try await withServer(Self.shortTimeout) { server in
                let port = server.port
                let (response, rest) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send("GET /api/v1/get_cam_list HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    let response = try socket.readResponse()
                    return (response, try socket.waitForClose())
                }
                let body = "HTTP 408. The request head did not arrive in time."
                #expect(
                    response.head.hasPrefix(
                        "HTTP/1.1 408 Request Timeout\r\nServer: Decoy/0.1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                            + "Access-Control-Allow-Origin: *\r\nDate: "))
                #expect(
                    response.head.hasSuffix(
                        " GMT\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"))
                #expect(response.bodyText == body)
                #expect(rest.isEmpty, "nothing follows the 408: \(String(decoding: rest, as: UTF8.self))")
                #expect(try await HTTP.isHealthy(port: port))
            }
        }

        @Test func trickledHeadBytesDoNotExtendTheDeadline() async throws {
            try await withServer(Self.shortTimeout) { server in
                let port = server.port
                let response = try await Blocking.run { () throws -> RawResponse? in
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    socket.setReceiveTimeout(milliseconds: 200)
                    try socket.send("GET /api/v1/get_cam_list HTTP/1.1\r\n")
                    // One header byte every ~200 ms, for at most 40 bytes (8 s, eight times the
                    // timeout), stopping when the server answers.
                    for byte in Array(String(repeating: "X-Slow: loris\r\n", count: 3).utf8.prefix(40)) {
                        do {
                            try socket.send([byte])
                            if try socket.receive() > 0 { break }
                        } catch let error as SocketError where error.kind == .timedOut {
                            continue
                        }
                    }
                    guard socket.buffered > 0 else { return nil }
                    socket.setReceiveTimeout(milliseconds: 10_000)
                    return try socket.readResponse()
                }
                #expect(response?.status == 408, "answered while the bytes still trickled in")
            }
        }

        @Test func idleKeepAliveConnectionIsClosedSilently() async throws {
            try await withServer(Self.shortTimeout) { server in
                let port = server.port
                let (response, rest) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(Request.get("/api/v1/get_cam_list"))
                    let response = try socket.readResponse()
                    return (response, try socket.waitForClose())
                }
                #expect(response.status == 200)
                #expect(response.header("Connection") == "keep-alive")
                #expect(rest.isEmpty, "closed without a word")
            }
        }

        @Test func connectionThatNeverSpeaksIsClosedSilently() async throws {
            try await withServer(Self.shortTimeout) { server in
                let port = server.port
                let rest = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    return try socket.waitForClose()
                }
                #expect(rest.isEmpty)
            }
        }

        @Test func thousandIdleConnectionsDoNotStopANewClient() async throws {
            let count = 1000
            // Both ends live in this process: two descriptors per connection.
            #expect(FileLimit.raise(to: 2 * count + 512) >= 2 * count + 512)
            try await withServer({ $0.server.requestTimeoutSeconds = 60 }) { server in
                let port = server.port
                let idle = try await Blocking.run { try (0..<count).map { _ in try RawSocket.connect(port: port) } }
                defer { idle.forEach { $0.close() } }
                let response = try await HTTP.get(port: port, "/api/v1/get_cam_list")
                #expect(response.status == 200)
                // The idle connections were accepted and are still served.
                for socket in [idle[0], idle[count / 2], idle[count - 1]] {
                    let answer = try await Blocking.run {
                        try socket.send(Request.get("/api/v1/get_cam_list"))
                        return try socket.readResponse()
                    }
                    #expect(answer.status == 200)
                }
            }
        }

        @Test func connectionsBeyondTheLimitGet503() async throws {
            try await withServer({ $0.server.maxConnections = 5 }) { server in
                let port = server.port
                // Five connections, each proven registered by a full exchange.
                let open = try await Blocking.run {
                    try (0..<5).map { _ in
                        let socket = try RawSocket.connect(port: port)
                        try socket.send(Request.get("/api/v1/get_cam_list"))
                        _ = try socket.readResponse()
                        return socket
                    }
                }
                defer { open.forEach { $0.close() } }
                let refused = try await HTTP.get(port: port, "/api/v1/get_cam_list")
                #expect(refused.status == 503)
                #expect(refused.header("Retry-After") == "1")
                #expect(refused.header("Server") == "Decoy/0.1.0")
                #expect(refused.header("Connection") == "close")
                #expect(refused.bodyText == "HTTP 503. Too many connections; try again later.")
                // A slot frees when one of the five leaves.
                open[0].close()
                #expect(try await poll { try await HTTP.get(port: port, "/api/v1/get_cam_list").status == 200 })
            }
        }
    }
}
