import DecoyCore
import DecoyTinyCam
import Foundation
import Testing

@testable import DecoyTestSupport

/// The event WebSocket driven by a real client: the `websockets` Python library (in `.venv-axis`,
/// made by `Tools/setup.sh --axis-venv`) running `Tools/axis-events-client.py`.
private enum EventClient {
    static let script = PythonVenv.tool("axis-events-client.py")

    /// Runs the client to completion; its JSON report.
    static func run(port: Int, _ arguments: [String], timeout: Int = 30) async throws -> (ProcessResult, [String: Any])
    {
        let result = try await ChildProcess.run(
            AxisVenv.python, [script, "--port", String(port), "--timeout", String(timeout)] + arguments,
            timeout: .seconds(timeout + 30))
        let object = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [String: Any] ?? [:]
        return (result, object)
    }

    /// Starts the client, waits (bounded) until it has its `events:configure` answer, runs
    /// `trigger`, then waits for the client's report.
    static func subscribed(
        port: Int, _ arguments: [String], trigger: () async throws -> Void
    ) async throws -> (ProcessResult, [String: Any]) {
        let ready = TestServer.temporaryFolder() + "/ready"
        defer { try? FileManager.default.removeItem(atPath: (ready as NSString).deletingLastPathComponent) }
        let child = try ChildProcess(
            AxisVenv.python, [script, "--port", String(port), "--timeout", "30", "--ready-file", ready] + arguments)
        let subscribed = try await poll(timeout: .seconds(30)) { FileManager.default.fileExists(atPath: ready) }
        if subscribed { try await trigger() }
        let result = try await Blocking.run { child.wait(timeout: .seconds(60)) }
        let object = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [String: Any] ?? [:]
        #expect(subscribed, "the client never got its configure answer: \(result.stdoutText) \(result.stderrText)")
        return (result, object)
    }

    static func topics(_ report: [String: Any]) -> [String] {
        (report["notifications"] as? [[String: Any]] ?? []).compactMap { $0["topic"] as? String }
    }

    /// `topic=value` of every notification, in order.
    static func values(_ report: [String: Any]) -> [String] {
        (report["notifications"] as? [[String: Any]] ?? []).map { note in
            let data = note["data"] as? [String: String] ?? [:]
            return "\(note["topic"] as? String ?? "")=\(data.values.first ?? "")"
        }
    }
}

extension ServerIntegration {
    @Suite(
        "The VAPIX event WebSocket with a real client (Python websockets)",
        .enabled("needs .venv-axis with websockets (Tools/setup.sh --axis-venv, from PyPI)") { AxisVenv.ready })
    struct AxisEventSocketTests {
        private static let vmd = "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1"

        private func axis(_ config: inout DecoyConfig) {
            config.server.profile = .axis
            config.events.triggerDurationSeconds = 1
            config.cameras[0].io = CameraIOConfig(inputs: ["Door"], outputs: ["Siren"])
        }

        @Test(
            "wssession token, events:configure, every property Initialized, then motion on and off from createmotion.cgi"
        )
        func createMotion() async throws {
            try await withServer(axis) { server in
                let (result, report) = try await EventClient.subscribed(
                    port: server.port, ["--until", "\(Self.vmd)=1", "--until", "\(Self.vmd)=0"]
                ) {
                    let answer = try await HTTP.get(port: server.port, "/axis-cgi/motion/createmotion.cgi?camera=1")
                    #expect(answer.status == 200)
                }
                #expect(result.status == 0, "\(result.stdoutText) \(result.stderrText)")
                #expect(report["status"] as? Int == 101)
                let configure = report["configure"] as? [String: Any]
                #expect(configure?["method"] as? String == "events:configure")
                #expect(configure?["context"] as? String == "decoy-test")
                #expect(configure?["data"] as? [String: Any] != nil, "\(configure ?? [:])")
                #expect(report["complete"] as? Bool == true, "\(EventClient.values(report))")
                let values = EventClient.values(report)
                let catalog = server.runtime.services.axisEvents.catalog.properties.count
                #expect(values.count >= catalog + 2)
                // First every property's current value, motion off; then on, then off.
                #expect(values.prefix(catalog).contains("\(Self.vmd)=0"))
                #expect(
                    Array(values.dropFirst(catalog).filter { $0.hasPrefix(Self.vmd) }) == [
                        "\(Self.vmd)=1", "\(Self.vmd)=0",
                    ])
            }
        }

        @Test("a topic filter gets only its topics: the LED and an I/O input, not the motion that happens meanwhile")
        func filtered() async throws {
            try await withServer(axis) { server in
                let camera = server.runtime.services.cameras.cameras[0]
                let (result, report) = try await EventClient.subscribed(
                    port: server.port,
                    [
                        "--auth", "basic", "--filter", "onvif:Device/axis:Light/Status", "--filter",
                        "tns1:Device/tnsaxis:IO//.", "--until", "tns1:Device/tnsaxis:Light/Status|0=ON",
                        "--until", "tns1:Device/tnsaxis:IO/Port|0=1",
                    ]
                ) {
                    camera.activity.begin(.person, origin: .api, durationMilliseconds: 500)
                    let led = try await HTTP.get(
                        port: server.port, "/axis-cgi/io/lightcontrol.cgi?action=L1:-100&camera=1")
                    #expect(led.status == 200, "\(led.bodyText)")
                    camera.io.set(.input(0), active: true)
                }
                #expect(result.status == 0, "\(result.stdoutText) \(result.stderrText)")
                #expect(report["complete"] as? Bool == true, "\(EventClient.values(report))")
                let topics = Set(EventClient.topics(report))
                #expect(topics == ["tns1:Device/tnsaxis:Light/Status", "tns1:Device/tnsaxis:IO/Port"], "\(topics)")
            }
        }

        @Test("a viewer (guest) may subscribe; bad credentials and a missing or used token may not")
        func access() async throws {
            try await withServer(axis) { server in
                let (guest, guestReport) = try await EventClient.run(
                    port: server.port, ["--user", "guest", "--password", "guest"])
                #expect(guest.status == 0, "\(guest.stdoutText) \(guest.stderrText)")
                #expect(guestReport["status"] as? Int == 101)
                let (_, wrong) = try await EventClient.run(
                    port: server.port, ["--auth", "basic", "--password", "nope"])
                #expect(wrong["status"] as? Int == 401)
                let (_, none) = try await EventClient.run(port: server.port, ["--auth", "none"])
                #expect(none["status"] as? Int == 401)
                // A token is good once.
                let token = try await HTTP.get(port: server.port, "/axis-cgi/wssession.cgi").bodyText
                let upgrade = { (query: String) in
                    try await HTTP.exchange(
                        port: server.port,
                        Request.get(
                            "/vapix/ws-data-stream?sources=events&wssession=\(query)", auth: nil,
                            headers: [
                                "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                            ]))
                }
                let first = try await upgrade(token)
                #expect(first.status == 101)
                #expect(first.header("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
                #expect(try await upgrade(token).status == 403)
            }
        }

        @Test("not an upgrade, another source, or a bad configure: clear errors, and the stream stays usable")
        func errors() async throws {
            try await withServer(axis) { server in
                let plain = try await HTTP.get(port: server.port, "/vapix/ws-data-stream?sources=events")
                #expect(plain.status == 400)
                #expect(plain.bodyText.contains("Upgrade: websocket"), "\(plain.bodyText)")
                let (_, bad) = try await EventClient.run(port: server.port, ["--send", "{\"method\":\"events:nope\"}"])
                let error = (bad["configure"] as? [String: Any])?["error"] as? [String: Any]
                #expect(error?["code"] as? Int == 2102, "\(bad)")
                // The client closed: its place among the open streams is given back.
                let events = server.runtime.services.axisEvents
                #expect(try await poll { events.openStreams == 0 })
                let after = try await HTTP.get(port: server.port, "/api/v1/get_status")
                #expect(after.status == 200)
            }
        }
    }
}

/// A WebSocket spoken byte by byte over a raw socket, for what no well-behaved client sends.
private struct RawWebSocket {
    let socket: RawSocket

    static let upgrade =
        "GET /vapix/ws-data-stream?sources=events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: \(Request.adminBasic)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"

    /// Connects and upgrades; the upgrade's answer.
    static func open(port: Int) throws -> (RawWebSocket, RawResponse) {
        let socket = try RawSocket.connect(port: port)
        try socket.send(upgrade)
        return (RawWebSocket(socket: socket), try socket.readHead())
    }

    /// A masked client frame.
    static func frame(opcode: UInt8, fin: Bool = true, _ payload: [UInt8]) -> [UInt8] {
        let mask: [UInt8] = [0x11, 0x22, 0x33, 0x44]
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            bytes.append(0x80 | UInt8(payload.count))
        } else {
            bytes += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return bytes
    }

    func sendText(_ text: String) throws { try socket.send(Self.frame(opcode: 0x1, Array(text.utf8))) }

    /// The next server frame (servers do not mask).
    func readFrame() throws -> (opcode: UInt8, payload: [UInt8]) {
        let head = try socket.read(exactly: 2)
        var length = Int(head[1] & 0x7F)
        if length == 126 {
            let extended = try socket.read(exactly: 2)
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            let extended = try socket.read(exactly: 8)
            length = extended.reduce(0) { $0 << 8 | Int($1) }
        }
        return (head[0] & 0x0F, try socket.read(exactly: length))
    }

    /// Reads frames until a close frame; its status code (nil when the connection ended without one).
    func readUntilClose(limit: Int = 200) -> UInt16? {
        for _ in 0..<limit {
            guard let frame = try? readFrame() else { return nil }
            if frame.opcode == 0x8 {
                return frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : 0
            }
        }
        return nil
    }
}

extension ServerIntegration {
    @Suite("The VAPIX event WebSocket against hostile clients: bad frames, a subscription storm")
    struct AxisEventSocketHostileTests {
        private func axis(_ config: inout DecoyConfig) { config.server.profile = .axis }

        private static let configureAll =
            #"{"apiVersion":"1.0","method":"events:configure","params":{"eventFilterList":[{"topicFilter":"//."}]}}"#

        @Test("a frame over 64 KiB is refused with close 1009; a fragmented ping with 1002; the server keeps serving")
        func badFrames() async throws {
            try await withServer(axis) { server in
                let port = server.port
                let codes = try await Blocking.run { () throws -> [UInt16?] in
                    let (big, bigHead) = try RawWebSocket.open(port: port)
                    defer { big.socket.close() }
                    guard bigHead.status == 101 else { return [] }
                    // A text frame announcing 1 MiB: refused on its header, before any payload.
                    try big.socket.send([0x81, 0x80 | 127, 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4])
                    let (ping, pingHead) = try RawWebSocket.open(port: port)
                    defer { ping.socket.close() }
                    guard pingHead.status == 101 else { return [] }
                    try ping.socket.send(RawWebSocket.frame(opcode: 0x9, fin: false, [1, 2, 3]))
                    return [big.readUntilClose(), ping.readUntilClose()]
                }
                #expect(codes == [1009, 1002])
                let status = try await HTTP.get(port: port, "/api/v1/get_status")
                #expect(status.status == 200)
                let events = server.runtime.services.axisEvents
                #expect(try await poll { events.openStreams == 0 })
            }
        }

        @Test("ping is answered with pong, a binary message with a 2101 error; close is answered with close")
        func controlFrames() async throws {
            try await withServer(axis) { server in
                let port = server.port
                let (pong, error, close) = try await Blocking.run { () throws -> (UInt8?, String, UInt16?) in
                    let (socket, head) = try RawWebSocket.open(port: port)
                    defer { socket.socket.close() }
                    guard head.status == 101 else { return (nil, "", nil) }
                    try socket.socket.send(RawWebSocket.frame(opcode: 0x9, [7, 7]))
                    let pong = try socket.readFrame()
                    try socket.socket.send(RawWebSocket.frame(opcode: 0x2, [1, 2, 3]))
                    let error = try socket.readFrame()
                    try socket.socket.send(RawWebSocket.frame(opcode: 0x8, [0x03, 0xE8]))
                    return (
                        pong.payload == [7, 7] ? pong.opcode : nil, String(decoding: error.payload, as: UTF8.self),
                        socket.readUntilClose()
                    )
                }
                #expect(pong == 0xA)
                #expect(error.contains("\"code\":2101"), "\(error)")
                #expect(close == 1000)
            }
        }

        @Test("a storm: streams beyond the bound get 503, a client that sends without reading is closed, all recover")
        func storm() async throws {
            try await withServer(axis) { server in
                let port = server.port
                let limit = AxisEventService.maximumStreams
                let (opened, refused) = try await Blocking.run { () throws -> (Int, Int) in
                    var sockets: [RawWebSocket] = []
                    defer { sockets.forEach { $0.socket.close() } }
                    var refused = 0
                    for _ in 0..<(limit + 4) {
                        let (socket, head) = try RawWebSocket.open(port: port)
                        if head.status == 101 {
                            sockets.append(socket)
                            try socket.sendText(Self.configureAll)
                        } else {
                            if head.status == 503 { refused += 1 }
                            socket.socket.close()
                        }
                    }
                    // One of them reconfigures hundreds of times in one burst and never reads an answer.
                    let payload = RawWebSocket.frame(opcode: 0x1, Array(Self.configureAll.utf8))
                    try sockets[0].socket.send(Array(repeating: payload, count: 500).flatMap { $0 })
                    return (sockets.count, refused)
                }
                #expect(opened == limit)
                #expect(refused == 4)
                let status = try await HTTP.get(port: port, "/api/v1/get_status")
                #expect(status.status == 200)
                let events = server.runtime.services.axisEvents
                #expect(try await poll(timeout: .seconds(20)) { events.openStreams == 0 })
                let again = try await Blocking.run { try RawWebSocket.open(port: port) }
                #expect(again.1.status == 101)
                again.0.socket.close()
            }
        }
    }
}
