import DecoyCore
import DecoyFaults
import DecoyServer
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// Byte-level faults through the real transport, read off raw sockets.
    @Suite struct NetworkFaults {
        static let camList = "/api/v1/get_cam_list"

        @Test func aResetRequestGetsARstAndNoByte() async throws {
            try await withFaultServer(rules: [rule(for: Self.camList, .network(.reset))]) { runtime in
                let port = runtime.port
                let (bytes, reset) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    try socket.send(Request.get(Self.camList))
                    return try socket.readUntilEnd()
                }
                #expect(reset, "the client sees ECONNRESET")
                #expect(bytes.isEmpty, "not one byte of the answer: \(bytes.count)")
                #expect(try await HTTP.get(port: port, "/api/v1/get_status").status == 200, "other paths still answer")
            }
        }

        @Test func aRefusedConnectionIsResetBeforeAnyByte() async throws {
            try await withFaultServer(rules: [FaultRule(fault: .network(.refuse))]) { runtime in
                let port = runtime.port
                let (bytes, reset) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    return try socket.readUntilEnd()
                }
                #expect(reset)
                #expect(bytes.isEmpty)
            }
        }

        @Test func closeAfterBytesSendsExactlyThatManyBytes() async throws {
            try await withFaultServer(rules: [rule(for: Self.camList, .network(.closeAfterBytes(100)))]) { runtime in
                let port = runtime.port
                let (bytes, reset) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    try socket.send(Request.get(Self.camList))
                    return try socket.readUntilEnd()
                }
                #expect(!reset, "a FIN, not a reset")
                #expect(bytes.count == 100, "\(bytes.count) bytes")
                #expect(bytes.starts(with: Array("HTTP/1.1 200 OK\r\n".utf8)))
            }
        }

        @Test func closeAfterFramesEndsTheStreamAfterThatManyWholeParts() async throws {
            let hooks = RecordingJournal()
            let plan = [rule(for: "/axis-cgi/mjpg", .network(.closeAfterFrames(3)))]
            try await withFaultServer(rules: plan, journal: hooks) { runtime in
                let port = runtime.port
                let (parts, rest) = try await Blocking.run {
                    let reader = try MJPEGReader(port: port, target: "/axis-cgi/mjpg/video.cgi?camera=1")
                    var parts: [[UInt8]] = []
                    for _ in 0..<3 { parts.append(try reader.nextJPEG()) }
                    return (parts, try reader.socket.readUntilEnd())
                }
                #expect(parts.count == 3)
                #expect(rest.bytes.isEmpty && !rest.reset, "closed (FIN) right after the third part's boundary")
                #expect(try await poll { hooks.ended.count == 1 })
                let session = try #require(hooks.ended.first)
                #expect(session.framesSent == 3)
                #expect(session.ending == .fault)
                #expect(session.fault == "closeAfterFrames 3 (rules[0])")
                #expect(session.cameraName == "Test cam")
                #expect(session.lastSequence! - session.firstSequence! >= 2)
            }
        }

        @Test func aStallHoldsTheBodyAfterTheHeadOnAnOpenConnection() async throws {
            try await withFaultServer(rules: [rule(for: Self.camList, .network(.stall(milliseconds: 1500)))]) {
                runtime in
                let port = runtime.port
                let (headAfter, bodyAfter, body) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    let start = ContinuousClock.now
                    try socket.send(Request.get(Self.camList, close: true))
                    let head = try socket.readHead()
                    let headAfter = ContinuousClock.now - start
                    let body = try socket.read(exactly: Int(head.header("Content-Length")!)!)
                    return (headAfter, ContinuousClock.now - start, body)
                }
                #expect(bodyAfter >= .milliseconds(1500), "the body waited out the stall: \(bodyAfter)")
                #expect(bodyAfter - headAfter >= .milliseconds(1000), "the head came first: \(headAfter)")
                #expect(body.first == UInt8(ascii: "{"))
            }
        }

        @Test func aStreamStallsAfterItsFirstFrameThenGoesOn() async throws {
            let plan = [rule(for: "/axis-cgi/mjpg", .network(.stall(milliseconds: 1500)))]
            try await withFaultServer(rules: plan) { runtime in
                let port = runtime.port
                let (gap, ids) = try await Blocking.run {
                    let reader = try MJPEGReader(
                        port: port, target: "/axis-cgi/mjpg/video.cgi?camera=1&resolution=160x120")
                    defer { reader.close() }
                    let first = try reader.nextJPEG()
                    let start = ContinuousClock.now
                    let second = try reader.nextJPEG()
                    let gap = ContinuousClock.now - start
                    let third = try reader.nextJPEG()
                    return (gap, try [first, second, third].map(FrameInspector.number))
                }
                #expect(gap >= .milliseconds(1000), "nothing for the stall after the first frame: \(gap)")
                #expect(ids[1] - ids[0] >= 10, "then the newest frame, not the ones made meanwhile: \(ids)")
                #expect(ids[2] > ids[1])
            }
        }

        @Test func bandwidthPacesTheAnswer() async throws {
            let rate = 20_000
            let plan = [rule(for: "/axis-cgi/jpg", .network(.bandwidth(bytesPerSecond: rate)))]
            try await withFaultServer(rules: plan) { runtime in
                let port = runtime.port
                let (length, elapsed) = try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    let start = ContinuousClock.now
                    try socket.send(Request.get("/axis-cgi/jpg/image.cgi?camera=1&compression=0", close: true))
                    let head = try socket.readHead()
                    let length = Int(head.header("Content-Length")!)!
                    _ = try socket.read(exactly: length)
                    return (length + head.head.utf8.count, ContinuousClock.now - start)
                }
                // Lower bound only: `length` bytes at `rate` B/s, less the first slice sent at once.
                let floor = Double(length - rate / 20) / Double(rate)
                #expect(elapsed >= .milliseconds(Int64(floor * 1000)), "\(length) bytes in \(elapsed)")
            }
        }

        @Test func anUnfaultedStreamIsJournaledAsClosedByTheClient() async throws {
            let hooks = RecordingJournal()
            try await withFaultServer(rules: [], journal: hooks) { runtime in
                let port = runtime.port
                try await Blocking.run {
                    let reader = try MJPEGReader(
                        port: port, target: "/axis-cgi/mjpg/video.cgi?camera=2&resolution=160x120")
                    for _ in 0..<2 { _ = try reader.nextJPEG() }
                    reader.close()
                }
                #expect(try await poll { hooks.ended.count == 1 })
                let session = try #require(hooks.ended.first)
                #expect(session.ending == .clientClosed)
                #expect(session.fault == nil)
                #expect(session.framesSent >= 2)
                #expect(session.variant.hasPrefix("160x120"))
                #expect(session.target == "/axis-cgi/mjpg/video.cgi?camera=2&resolution=160x120")
                #expect(session.bytesSent > 0)
            }
        }
    }
}
