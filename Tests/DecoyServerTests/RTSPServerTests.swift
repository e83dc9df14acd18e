import DecoyCore
import DecoyFaults
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// RTSP on the HTTP port, driven by ffprobe and ffmpeg (the RTSP stack every NVR and Home
    /// Assistant's stream worker is built on) and by raw sockets for the exact bytes.
    @Suite struct RTSP {
        static let media = "/axis-media/media.amp"

        static func url(
            _ port: Int, _ query: String, credentials: String = "admin:admin", scheme: String = "rtsp"
        )
            -> String
        {
            "\(scheme)://\(credentials)@127.0.0.1:\(port)\(media)?\(query)"
        }

        /// ffprobe's view of the first video stream after reading `seconds` of it.
        static func probe(
            _ url: String, transport: String = "tcp", seconds: Int = 2
        ) async throws -> (
            stream: [String: Any]?, stderr: String
        ) {
            let ffprobe = try ChildProcess.tool("ffprobe")
            let result = try await ChildProcess.run(
                ffprobe,
                [
                    "-v", "error", "-rtsp_transport", transport, "-select_streams", "v:0", "-count_frames",
                    "-read_intervals", "%+\(seconds)", "-show_streams", "-of", "json", url,
                ], timeout: .seconds(40))
            let root = try? JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8)) as? [String: Any]
            let stream = (root?["streams"] as? [[String: Any]])?.first
            return (stream, result.stderrText)
        }

        @Test func ffprobeReadsConstrainedBaselineH264OverTCPWithURLCredentials() async throws {
            try await withServer { server in
                let (stream, stderr) = try await Self.probe(Self.url(server.port, "cameraId=1001"))
                let found = try #require(stream, "ffprobe found no video stream: \(stderr)")
                #expect(found["codec_name"] as? String == "h264")
                #expect(found["profile"] as? String == "Constrained Baseline")
                #expect(found["width"] as? Int == 320)
                #expect(found["height"] as? Int == 240)
                let frames = Int(found["nb_read_frames"] as? String ?? "") ?? 0
                #expect(frames >= 10, "15 fps for 2 s: \(frames) frames; \(stderr)")
                #expect(stderr.isEmpty, "no decode errors: \(stderr)")
            }
        }

        /// Over UDP the pictures decode and the frame numbers drawn into them keep increasing.
        @Test func ffmpegDecodesH264OverUDPAndTheDrawnFrameNumbersIncrease() async throws {
            let ffmpeg = try ChildProcess.tool("ffmpeg")
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await withServer { server in
                let result = try await ChildProcess.run(
                    ffmpeg,
                    [
                        "-v", "error", "-rtsp_transport", "udp", "-i", Self.url(server.port, "camera=1"),
                        "-frames:v", "12", "-q:v", "2", folder + "/%03d.jpg",
                    ], timeout: .seconds(40))
                #expect(result.status == 0, "\(result.stderrText)")
                let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
                #expect(names.count == 12, "\(names)")
                let numbers = try names.map {
                    try FrameInspector.number([UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))))
                }
                #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }, "\(numbers)")
            }
        }

        /// `cameras[].keyframeInterval` sets the GOP: an IDR every 5 frames here.
        @Test func keyframeIntervalSetsTheGOP() async throws {
            try await withServer({ $0.cameras[0].keyframeInterval = 5 }) { server in
                let ffprobe = try ChildProcess.tool("ffprobe")
                let result = try await ChildProcess.run(
                    ffprobe,
                    [
                        "-v", "error", "-rtsp_transport", "tcp", "-select_streams", "v:0", "-read_intervals", "%+#31",
                        "-show_entries", "packet=flags", "-of", "csv=p=0", Self.url(server.port, "camera=1"),
                    ], timeout: .seconds(40))
                let flags = result.stdoutText.split(separator: "\n").map { $0.hasPrefix("K") }
                let keys = flags.indices.filter { flags[$0] }
                let gaps = zip(keys, keys.dropFirst()).map { $1 - $0 }
                #expect(keys.first == 0, "the stream starts on an IDR: \(flags)")
                #expect(gaps.count >= 4 && gaps.dropFirst().allSatisfy { $0 == 5 }, "\(gaps) \(result.stderrText)")
            }
        }

        @Test func rtpJPEGComesAtTheAskedResolution() async throws {
            try await withServer { server in
                let (stream, stderr) = try await Self.probe(
                    Self.url(server.port, "camera=2&videocodec=jpeg&resolution=160x120"), transport: "udp")
                let found = try #require(stream, "ffprobe found no video stream: \(stderr)")
                #expect(found["codec_name"] as? String == "mjpeg")
                #expect(found["width"] as? Int == 160)
                #expect(found["height"] as? Int == 120)
                #expect((Int(found["nb_read_frames"] as? String ?? "") ?? 0) >= 8, "10 fps for 2 s")
            }
        }

        /// `audio=1`: a PCMU track follows the picture, and it carries the camera's sound (not silence).
        @Test(arguments: ["tcp", "udp"]) func audioIsAPCMUTrackWithTheCamerasSound(transport: String) async throws {
            let ffmpeg = try ChildProcess.tool("ffmpeg")
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await withServer { server in
                let output = folder + "/sound.raw"
                let result = try await ChildProcess.run(
                    ffmpeg,
                    [
                        "-v", "error", "-rtsp_transport", transport, "-i", Self.url(server.port, "camera=1&audio=1"),
                        "-map", "0:a", "-t", "1", "-f", "s16le", "-ac", "1", "-ar", "8000", output,
                    ], timeout: .seconds(40))
                #expect(result.status == 0, "\(result.stderrText)")
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
                #expect(bytes.count >= 12_000, "about a second of 8 kHz sound: \(bytes.count) bytes")
                let samples = stride(from: 0, to: bytes.count - 1, by: 2).map {
                    Double(Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8))
                }
                let rms = (samples.map { $0 * $0 }.reduce(0, +) / Double(max(1, samples.count))).squareRoot()
                #expect(rms > 100, "the camera's tone, not silence: RMS \(rms)")
            }
        }

        @Test func aWrongPasswordIsRefusedWith401() async throws {
            try await withServer { server in
                let (stream, stderr) = try await Self.probe(
                    Self.url(server.port, "camera=1", credentials: "admin:wrong"))
                #expect(stream == nil)
                #expect(stderr.contains("401"), "\(stderr)")
            }
        }

        /// Where `video.cgi` refuses guests, RTSP refuses them the same way (403).
        @Test func guestsAreRefusedWhereVideoCgiRefusesThem() async throws {
            try await withServer({ $0.server.accessOverrides["/axis-cgi/mjpg/video.cgi"] = .admin }) { server in
                let (stream, stderr) = try await Self.probe(
                    Self.url(server.port, "camera=1", credentials: "guest:guest"))
                #expect(stream == nil)
                #expect(stderr.contains("403"), "\(stderr)")
                let (admin, _) = try await Self.probe(Self.url(server.port, "camera=1"), seconds: 1)
                #expect(admin != nil, "the admin still gets it")
            }
        }

        /// The axis profile challenges with Digest too; ffmpeg answers it.
        @Test func digestInTheAxisProfile() async throws {
            try await withServer({ $0.server.profile = .axis }) { server in
                let (stream, stderr) = try await Self.probe(Self.url(server.port, "camera=1&videocodec=h264"))
                #expect(stream?["codec_name"] as? String == "h264", "\(stderr)")
            }
        }

        /// `rtsps://`: with HTTPS on, the same decision follows the TLS handshake.
        @Test func rtspsAfterTheTLSHandshake() async throws {
            try await withServer({ $0.server.https = true }) { server in
                let (stream, stderr) = try await Self.probe(Self.url(server.port, "camera=1", scheme: "rtsps"))
                #expect(stream?["codec_name"] as? String == "h264", "\(stderr)")
            }
        }

        /// The exact answers: `CSeq` echoed, `Public`, the profile's challenge, 461 without a
        /// transport, 454 for an unknown session, and requests answered in order when pipelined.
        @Test func answersAreByteExactAndInOrder() async throws {
            try await withServer { server in
                let port = server.port
                let answers = try await Blocking.run { () throws -> [String] in
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    let target = "rtsp://127.0.0.1:\(port)\(Self.media)?camera=1"
                    let basic = "Authorization: Basic YWRtaW46YWRtaW4=\r\n"
                    try socket.send(
                        "OPTIONS \(target) RTSP/1.0\r\nCSeq: 1\r\n\r\n"
                            + "DESCRIBE \(target) RTSP/1.0\r\nCSeq: 2\r\n\r\n"
                            + "SETUP \(target) RTSP/1.0\r\nCSeq: 3\r\n\(basic)\r\n"
                            + "PLAY \(target) RTSP/1.0\r\nCSeq: 4\r\nSession: nosuchsession\r\n\r\n")
                    return try (0..<4).map { _ in
                        String(decoding: try socket.read(through: Array("\r\n\r\n".utf8), limit: 4096), as: UTF8.self)
                    }
                }
                #expect(answers[0].hasPrefix("RTSP/1.0 200 OK\r\nCSeq: 1\r\n"), "\(answers[0])")
                #expect(
                    answers[0].contains(
                        "Public: OPTIONS, DESCRIBE, GET_PARAMETER, PAUSE, PLAY, SETUP, SET_PARAMETER, TEARDOWN\r\n"))
                #expect(answers[1].hasPrefix("RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n"), "\(answers[1])")
                #expect(answers[1].contains("WWW-Authenticate: Basic realm=\"tinyCam\"\r\n"))
                #expect(answers[2].hasPrefix("RTSP/1.0 461 Unsupported transport\r\nCSeq: 3\r\n"), "\(answers[2])")
                #expect(answers[3].hasPrefix("RTSP/1.0 454 Session Not Found\r\nCSeq: 4\r\n"), "\(answers[3])")
            }
        }

        /// `server.rtspSessionTimeout` is the `timeout=` clients pace their keep-alives by; out of
        /// range it is refused with the key and the range.
        @Test func theSessionTimeoutIsConfigured() async throws {
            try await withServer({ $0.server.rtspSessionTimeoutSeconds = 10 }) { server in
                let port = server.port
                let answer = try await Blocking.run { () throws -> String in
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(
                        "SETUP rtsp://127.0.0.1:\(port)\(Self.media)?camera=1 RTSP/1.0\r\nCSeq: 1\r\n"
                            + "Authorization: Basic YWRtaW46YWRtaW4=\r\n"
                            + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n")
                    return String(
                        decoding: try socket.read(through: Array("\r\n\r\n".utf8), limit: 4096), as: UTF8.self)
                }
                #expect(answer.hasPrefix("RTSP/1.0 200 OK\r\n"), "\(answer)")
                #expect(answer.contains(";timeout=10\r\n"), "\(answer)")
            }
            let config = try ConfigLoader.parse("server: { rtspSessionTimeout: 15 }\n", file: "a.yaml")
            #expect(config.server.rtspSessionTimeoutSeconds == 15)
            #expect(DecoyConfig().server.rtspSessionTimeoutSeconds == 60)
            do {
                _ = try ConfigLoader.parse("server: { rtspSessionTimeout: 5 }\n", file: "b.yaml")
                Issue.record("a 5 s session timeout was taken")
            } catch {
                #expect(
                    "\(error)".contains(
                        "'server.rtspSessionTimeout (seconds)' must be a whole number from 10 to 3600, got '5'"),
                    "\(error)")
            }
        }

        /// Requests the server cannot serve: the status with the CSeq (when there is one); the server
        /// keeps serving.
        static let malformed: [String: (request: String, answer: String)] = [
            "version 2.0": (
                "OPTIONS rtsp://h/ RTSP/2.0\r\nCSeq: 7\r\n\r\n",
                "RTSP/1.0 505 RTSP Version not supported\r\nCSeq: 7\r\n"
            ),
            "no CSeq": ("OPTIONS rtsp://h/ RTSP/1.0\r\n\r\n", "RTSP/1.0 400 Bad Request\r\n"),
            "publishing": (
                "ANNOUNCE rtsp://h/ RTSP/1.0\r\nCSeq: 4\r\n\r\n", "RTSP/1.0 405 Method Not Allowed\r\nCSeq: 4\r\n"
            ),
            "a 70 kB header": (
                "DESCRIBE rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\nX: \(String(repeating: "a", count: 70_000))\r\n\r\n",
                "RTSP/1.0 4"
            ),
        ]

        @Test(arguments: malformed.keys.sorted())
        func malformedRequestsGetTheirStatusAndTheServerKeepsServing(_ name: String) async throws {
            let (request, answer) = try #require(Self.malformed[name])
            try await withServer { server in
                let port = server.port
                let reply = try await Blocking.run { () throws -> String in
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(request)
                    return String(
                        decoding: try socket.read(through: Array("\r\n\r\n".utf8), limit: 1 << 20), as: UTF8.self)
                }
                #expect(reply.hasPrefix(answer), "\(reply.prefix(200))")
                let (stream, stderr) = try await Self.probe(Self.url(server.port, "camera=1"), seconds: 1)
                #expect(stream != nil, "still serving: \(stderr)")
            }
        }

        /// `server.rtspListen`: RTSP on a port of its own (as Axis's 554), next to the shared port.
        @Test func rtspOnAPortOfItsOwn() async throws {
            let own = ListenAddress(host: "127.0.0.1", port: 0)
            try await withServer({ $0.server.rtspListen = .at(own) }) { server in
                let port = try #require(server.runtime.server.rtspBoundAddress?.port)
                #expect(port != server.port)
                let (stream, stderr) = try await Self.probe(
                    "rtsp://admin:admin@127.0.0.1:\(port)\(Self.media)?camera=1", seconds: 1)
                #expect(stream?["codec_name"] as? String == "h264", "\(stderr)")
            }
        }

        /// `server.rtsp: false`: the port speaks HTTP only, as before RTSP existed.
        @Test func rtspOffLeavesTheHTTPPipelineAlone() async throws {
            try await withServer({ $0.server.rtsp = false }) { server in
                let port = server.port
                let reply = try await Blocking.run { () throws -> String in
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send("OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                    return String(
                        decoding: try socket.read(through: Array("\r\n\r\n".utf8), limit: 4096), as: UTF8.self)
                }
                #expect(reply.hasPrefix("HTTP/1."), "HTTP answers it: \(reply)")
            }
        }

        /// Seeded garbage shaped like RTSP (requests cut, duplicated, mangled byte by byte, `$`
        /// frames before PLAY, pipelined): every connection gets an answer or a close, never a crash,
        /// and the server still plays afterwards.
        @Test func fuzzedRTSPNeverCrashesTheServer() async throws {
            try await withServer { server in
                let port = server.port
                try await Blocking.run {
                    var generator = SeededGenerator(seed: 0xD3C0)
                    let base = Array(
                        ("DESCRIBE rtsp://127.0.0.1:\(port)\(Self.media)?camera=1 RTSP/1.0\r\nCSeq: 2\r\n"
                            + "Authorization: Basic YWRtaW46YWRtaW4=\r\nAccept: application/sdp\r\n\r\n").utf8)
                    for round in 0..<150 {
                        var bytes = base
                        for _ in 0..<Int.random(in: 0..<max(1, 6), using: &generator) {
                            let index = Int.random(in: 0..<max(1, bytes.count), using: &generator)
                            switch Int.random(in: 0..<max(1, 4), using: &generator) {
                            case 0: bytes[index] = UInt8(Int.random(in: 0..<max(1, 256), using: &generator))
                            case 1: bytes.insert(contentsOf: [0x24, 0x00, 0x00, 0x04, 1, 2, 3, 4], at: index)
                            case 2:
                                bytes.removeSubrange(
                                    index..<min(bytes.count, index + Int.random(in: 0..<max(1, 40), using: &generator)))
                            default: bytes += base
                            }
                        }
                        // Keep the method so the sniffer sends it to RTSP most of the time.
                        if round % 10 != 0 {
                            bytes.replaceSubrange(0..<min(8, bytes.count), with: Array("DESCRIBE".utf8))
                        }
                        let socket = try RawSocket.connect(port: port, timeoutSeconds: 5)
                        defer { socket.close() }
                        try? socket.send(bytes)
                        socket.shutdownWrite()
                        _ = try? socket.readUntilEnd(limit: 1 << 20)
                    }
                }
                let (stream, stderr) = try await Self.probe(Self.url(server.port, "camera=1"), seconds: 1)
                #expect(stream != nil, "still serving: \(stderr)")
            }
        }

        /// A client that starts a request and never finishes it is closed after the head timeout.
        @Test func aSlowLorisRTSPClientIsClosed() async throws {
            try await withServer({ $0.server.requestTimeoutSeconds = 1 }) { server in
                let port = server.port
                let closed = try await Blocking.run { () throws -> Bool in
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send("OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSe")
                    socket.setReceiveTimeout(milliseconds: 10_000)
                    return (try? socket.readUntilEnd(limit: 4096)) != nil
                }
                #expect(closed)
            }
        }
    }
}
