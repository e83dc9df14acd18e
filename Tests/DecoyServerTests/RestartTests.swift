import DecoyCore
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// `restart.cgi`: everything closes, tokens are forgotten, the port is refused for the
    /// configured delay, then the server answers again with a fresh uptime.
    @Suite struct Restart {
        static func restartDelay(_ config: inout DecoyConfig) { config.server.restartDelaySeconds = 1 }

        /// Whether a connection to `port` is refused right now.
        static func isRefused(_ port: Int) async throws -> Bool {
            try await Blocking.run {
                do {
                    let socket = try RawSocket.connect(port: port)
                    socket.close()
                    return false
                } catch let error as SocketError where error.kind == .refused {
                    return true
                }
            }
        }

        static func login(_ port: Int) async throws -> String {
            let response = try await HTTP.get(port: port, "/api/v1/login?user=admin&pwd=admin", auth: nil)
            let data = try #require(try response.jsonData() as? [String: Any])
            return try #require(data["token"] as? String)
        }

        @Test func restartForgetsTokensAndResetsUptime() async throws {
            try await withServer(Self.restartDelay) { server in
                let port = server.port
                let token = try await Self.login(port)
                #expect(try await HTTP.get(port: port, "/api/v1/get_status?token=\(token)", auth: nil).status == 200)
                // Let uptime grow well past what it will be just after the restart.
                var uptimeBefore = 0
                #expect(
                    try await poll(timeout: .seconds(10), every: .milliseconds(200)) {
                        uptimeBefore = try await HTTP.status(port: port)["uptime"] as? Int ?? 0
                        return uptimeBefore >= 1500
                    })
                let started = ContinuousClock.now

                let answer = try await HTTP.get(port: port, "/axis-cgi/admin/restart.cgi")
                #expect(answer.status == 200)
                #expect(answer.body.isEmpty)
                #expect(try await poll { try await Self.isRefused(port) }, "the port is closed during the delay")
                #expect(try await poll { try await !Self.isRefused(port) }, "and open again after it")

                let stale = try await HTTP.get(port: port, "/api/v1/get_cam_list?token=\(token)", auth: nil)
                #expect(stale.status == 403)
                #expect(stale.bodyText == "HTTP 403. Invalid token.")
                let uptimeAfter = try #require(try await HTTP.status(port: port)["uptime"] as? Int)
                let elapsed = ContinuousClock.now - started
                let elapsedMilliseconds =
                    Double(elapsed.components.seconds) * 1000
                    + Double(elapsed.components.attoseconds) / 1e15
                // Counted from the restart, uptime is below the time since the restart request
                // (5 ms for clock rounding); had it not reset, it would exceed that by uptimeBefore.
                #expect(
                    Double(uptimeAfter) <= elapsedMilliseconds + 5,
                    "uptime \(uptimeBefore) ms before, \(uptimeAfter) ms after, \(elapsed) between")
                #expect(server.runtime.services.counters.restarts == 1)
                #expect(try await Self.login(port) != token, "logging in again works")
            }
        }

        @Test func restartClosesOpenStreams() async throws {
            try await withServer(Self.restartDelay) { server in
                let port = server.port
                let viewer = try await Blocking.run {
                    let reader = try MJPEGReader(port: port, target: "/axis-cgi/mjpg/video.cgi")
                    _ = try reader.nextJPEG()
                    return reader
                }
                defer { viewer.close() }
                #expect(try await poll { try await HTTP.liveConnections(port: port) == 1 })
                let idle = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    try socket.send(Request.get("/api/v1/get_cam_list"))
                    _ = try socket.readResponse()
                    return socket
                }
                defer { idle.close() }

                #expect(try await HTTP.get(port: port, "/axis-cgi/admin/restart.cgi").status == 200)
                // The stream ends (within the socket's bounded reads) and so does the idle connection.
                let (streamEnded, idleEnded) = try await Blocking.run {
                    var frames = 0
                    var ended = false
                    while frames < 500 {
                        do {
                            _ = try viewer.nextJPEG()
                            frames += 1
                        } catch let error as SocketError where error.kind == .closed || error.kind == .reset {
                            ended = true
                            break
                        }
                    }
                    return (ended, try idle.waitForClose().isEmpty)
                }
                #expect(streamEnded)
                #expect(idleEnded)
                #expect(try await poll { try await !Self.isRefused(port) })
                #expect(try await poll { try await HTTP.liveConnections(port: port) == 0 })
                #expect(try await HTTP.isHealthy(port: port))
            }
        }

        @Test func stoppingDuringTheRestartDelayStaysStopped() async throws {
            try await withServer(Self.restartDelay) { server in
                let port = server.port
                #expect(try await HTTP.get(port: port, "/axis-cgi/admin/restart.cgi").status == 200)
                // Stop while the restart is pending (the loops stay up, so a late re-bind would succeed).
                await server.runtime.server.stop()
                #expect(try await poll { try await Self.isRefused(port) })
                try await Task.sleep(for: .seconds(2))
                #expect(try await Self.isRefused(port), "still down after the restart delay")
                #expect(server.runtime.services.counters.restarts == 0)
            }
        }

        @Test func guestCannotRestart() async throws {
            try await withServer(Self.restartDelay) { server in
                let answer = try await HTTP.get(
                    port: server.port, "/axis-cgi/admin/restart.cgi", auth: Request.guestBasic)
                #expect(answer.status == 403)
                #expect(answer.bodyText == "HTTP 403. Access denied.")
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await !Self.isRefused(server.port))
                #expect(server.runtime.services.counters.restarts == 0)
            }
        }
    }
}
