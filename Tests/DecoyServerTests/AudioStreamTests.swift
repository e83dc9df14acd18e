import DecoyCore
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// `receive.wav` through the real server: raw sockets for the bytes, ffprobe and SoX as players.
    @Suite struct AudioStream {
        static let target = "/axis-cgi/audio/receive.wav"

        /// Connects, sends the request and reads the head and the WAV header.
        static func listen(
            port: Int, target: String = target, receiveBuffer: Int? = nil
        ) throws -> (
            RawSocket, RawResponse, [UInt8]
        ) {
            let socket = try RawSocket.connect(port: port, receiveBuffer: receiveBuffer)
            try socket.send(Request.get(target))
            let head = try socket.readHead()
            return (socket, head, try socket.read(exactly: WAVHeader.size))
        }

        /// A camera that plays `audio` (the only one of the server).
        static func tone(_ audio: AudioConfig) -> (inout DecoyConfig) -> Void {
            { config in
                var camera = CameraConfig(name: "Mic", id: 5, resolution: PixelSize(width: 160, height: 120), fps: 5)
                camera.audio = audio
                config.cameras = [camera]
            }
        }

        @Test func headAndWAVHeaderAreByteExactThenPCMFollows() async throws {
            try await withServer { server in
                let port = server.port
                let (head, header, pcm) = try await Blocking.run {
                    let (socket, head, header) = try Self.listen(port: port)
                    defer { socket.close() }
                    return (head, header, try socket.read(exactly: 1600))
                }
                let date = try #require(head.header("Date"))
                let serverHeader = try #require(head.header("Server"))
                #expect(
                    head.head
                        == "HTTP/1.1 200 OK\r\nServer: \(serverHeader)\r\nContent-Type: audio/wav\r\n"
                        + "Cache-Control: no-cache\r\nPragma: no-cache\r\nAccess-Control-Allow-Origin: *\r\n"
                        + "Date: \(date)\r\nConnection: close\r\n\r\n")
                #expect(head.header("Content-Type") == "audio/wav")
                #expect(head.header("Cache-Control") == "no-cache")
                #expect(head.header("Connection") == "close")
                #expect(head.header("Content-Length") == nil)
                #expect(head.header("Transfer-Encoding") == nil)
                #expect(
                    header
                        == Array("RIFF".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + Array("WAVEfmt ".utf8)
                        + [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x80, 0x3E, 0, 0, 2, 0, 16, 0]
                        + Array("data".utf8) + [0xFF, 0xFF, 0xFF, 0xFF])
                #expect(pcm.contains { $0 != 0 }, "the marker is not silence")
                let access = server.runtime.services.logs.access.text
                #expect(access.contains("\"GET \(Self.target)\" 200 stream"), "\(access)")
            }
        }

        @Test func headGetsTheHeadOnly() async throws {
            try await withServer { server in
                let response = try await HTTP.exchange(
                    port: server.port,
                    "HEAD \(Self.target) HTTP/1.1\r\nHost: x\r\nAuthorization: \(Request.adminBasic)\r\n\r\n",
                    method: "HEAD")
                #expect(response.status == 200)
                #expect(response.header("Content-Type") == "audio/wav")
                #expect(response.body.isEmpty)
                #expect(try await poll { try await HTTP.liveConnections(port: server.port) == 0 })
            }
        }

        @Test func ffprobeReadsPCM16Mono8000() async throws {
            let ffprobe = try ChildProcess.tool("ffprobe")
            try await withServer { server in
                let result = try await ChildProcess.run(
                    ffprobe,
                    [
                        "-v", "error", "-read_intervals", "%+2", "-show_entries",
                        "stream=codec_name,sample_rate,channels,bits_per_sample", "-of", "default=noprint_wrappers=1",
                        "http://admin:admin@127.0.0.1:\(server.port)\(Self.target)?camera=1",
                    ], timeout: .seconds(30))
                #expect(!result.timedOut, "\(result.stderrText)")
                let lines = Set(result.stdoutText.split(whereSeparator: \.isNewline).map(String.init))
                #expect(
                    lines == ["codec_name=pcm_s16le", "sample_rate=8000", "channels=1", "bits_per_sample=16"],
                    "\(result.stdoutText) \(result.stderrText)")
            }
        }

        @Test func soxMeasuresTheConfiguredToneAndLevel() async throws {
            let curl = try ChildProcess.tool("curl")
            let sox = try ChildProcess.tool("sox")
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/tone.wav"
            var audio = AudioConfig(source: .tone, rate: 16000)
            audio.frequency = 1000
            audio.levelDBFS = -12
            try await withServer(Self.tone(audio)) { server in
                let fetched = try await ChildProcess.run(
                    curl,
                    ["-sS", "--max-time", "2", "-o", file, "http://admin:admin@127.0.0.1:\(server.port)\(Self.target)"])
                #expect(fetched.status == 28, "stopped by --max-time while streaming: \(fetched.stderrText)")
            }
            let stat = try await ChildProcess.run(sox, ["-V1", file, "-n", "stat"])
            let values = Self.soxStat(stat.stderrText)
            let rms = try #require(values["RMS amplitude"], "\(stat.stderrText)")
            let frequency = try #require(values["Rough frequency"], "\(stat.stderrText)")
            let rate = try #require(values["Samples read"].map { _ in 16000.0 })
            #expect(abs(frequency - 1000) < 10, "\(stat.stderrText)")
            // −12 dBFS (AES17) is an RMS of 10^(−12/20)/√2 of full scale.
            #expect(abs(rms - pow(10, -12.0 / 20) / 2.squareRoot()) < 0.005, "\(stat.stderrText)")
            #expect(rate == 16000)
        }

        /// `name: value` lines of SoX's `stat` effect.
        static func soxStat(_ text: String) -> [String: Double] {
            var values: [String: Double] = [:]
            for line in text.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
                    continue
                }
                let name = parts[0].split(whereSeparator: \.isWhitespace).joined(separator: " ")
                values[name] = value
            }
            return values
        }

        @Test func twoListenersBothGetTheSound() async throws {
            try await withServer { server in
                let port = server.port
                async let first = Blocking.run {
                    let (socket, _, header) = try Self.listen(port: port)
                    defer { socket.close() }
                    return (header, try socket.read(exactly: 8000))
                }
                async let second = Blocking.run {
                    let (socket, _, header) = try Self.listen(port: port, target: Self.target + "?camera=1")
                    defer { socket.close() }
                    return (header, try socket.read(exactly: 8000))
                }
                let (a, b) = try await (first, second)
                #expect(a.0 == WAVHeader.streaming(sampleRate: 8000) && b.0 == a.0)
                #expect(a.1.count == 8000 && b.1.count == 8000)
                let hub = try #require(server.runtime.services.cameras.cameras[0].audio)
                #expect(try await poll { hub.counts.listeners == 0 && !hub.counts.running })
            }
        }

        @Test func aListenerThatStopsReadingIsDroppedWhileAnotherKeepsReceiving() async throws {
            try await withServer { server in
                let port = server.port
                let hub = try #require(server.runtime.services.cameras.cameras[0].audio)
                let stalled = try await Blocking.run { try Self.listen(port: port, receiveBuffer: 2048).0 }
                defer { stalled.close() }
                let reader = try await Blocking.run { try Self.listen(port: port).0 }
                defer { reader.close() }
                #expect(try await poll { try await HTTP.liveConnections(port: port) == 2 })
                // The reader reads on while the stalled one fills its socket, its queue, and is closed.
                var received = 0
                let dropped = try await poll(timeout: .seconds(30)) {
                    received += try await Blocking.run { try reader.read(exactly: 1600).count }
                    return hub.counts.listenersClosed == 1
                }
                #expect(dropped, "closed \(hub.counts.listenersClosed), dropped \(hub.counts.blocksDropped)")
                #expect(hub.counts.blocksDropped >= hub.overflowBlocks)
                let after = try await Blocking.run { try reader.read(exactly: 16000) }
                #expect(after.count == 16000 && received > 0)
                #expect(try await poll { try await HTTP.liveConnections(port: port) == 1 })
                let rest = try await Blocking.run { try stalled.waitForClose() }
                #expect(rest.count < 200_000, "the stalled listener got only what was buffered")
                reader.close()
                #expect(try await poll { try await HTTP.liveConnections(port: port) == 0 })
                #expect(try await poll { !hub.counts.running })
            }
        }
    }
}
