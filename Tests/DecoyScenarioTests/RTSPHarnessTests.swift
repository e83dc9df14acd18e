import DecoyCore
import DecoyFaults
import DecoyMedia
import DecoyServer
import Foundation
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

/// RTSP under the harness: its requests and sessions in the journal, and its faults seen by real
/// clients (ffprobe, ffmpeg) or, where time must be controlled, by a raw client on a manual clock.
@Suite struct RTSPHarnessTests {
    static let media = "/axis-media/media.amp"

    static func withSandbox(
        _ rules: [FaultRule], clock: any DecoyClock = SystemClock(), _ body: (Sandbox) async throws -> Void
    ) async throws {
        try await withTestSandbox(rules, clock: clock, body)
    }

    static func url(_ sandbox: Sandbox, _ query: String = "camera=1") -> String {
        "rtsp://admin:admin@127.0.0.1:\(sandbox.runtime.port)\(media)?\(query)"
    }

    /// ffprobe's packets (`flags`, `pts_time`) and its stderr.
    static func packets(
        _ url: String, transport: String, seconds: Int, interval: String? = nil
    ) async throws -> (
        packets: [[String: Any]], stderr: String
    ) {
        let ffprobe = try ChildProcess.tool("ffprobe")
        let result = try await ChildProcess.run(
            ffprobe,
            [
                "-v", "error", "-rtsp_transport", transport, "-select_streams", "v:0", "-read_intervals",
                interval ?? "%+\(seconds)", "-show_entries", "packet=flags,pts_time", "-of", "json", url,
            ], timeout: .seconds(60))
        let root = try? JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8)) as? [String: Any]
        return ((root?["packets"] as? [[String: Any]]) ?? [], result.stderrText)
    }

    static func requests(_ sandbox: Sandbox) -> [RequestRecord] {
        sandbox.journal.snapshot().entries.compactMap(\.request).filter { $0.protocol == .rtsp }
    }

    static func streams(_ sandbox: Sandbox) -> [StreamRecord] {
        sandbox.journal.snapshot().entries.compactMap(\.stream).filter { $0.protocol == .rtsp }
    }

    /// Each request (method, media path, user) and the PLAY's stream session (transport, frames,
    /// frame numbers, how it ended) reach the journal.
    @Test func theJournalRecordsRTSPRequestsAndTheStreamSession() async throws {
        try await Self.withSandbox([]) { sandbox in
            let (packets, stderr) = try await Self.packets(Self.url(sandbox), transport: "udp", seconds: 2)
            #expect(packets.count >= 10, "\(stderr)")
            #expect(try await poll { Self.streams(sandbox).count == 1 }, "the session is journaled as it ends")
            let methods = Self.requests(sandbox).map(\.method)
            #expect(methods.starts(with: ["OPTIONS", "DESCRIBE", "DESCRIBE", "SETUP", "PLAY"]), "\(methods)")
            let play = try #require(Self.requests(sandbox).first { $0.method == "PLAY" })
            #expect(play.path == Self.media)
            #expect(play.user == "admin")
            #expect(play.status == 200)
            #expect(play.parameter("camera") == "1")
            #expect(play.cseq.flatMap(Int.init) ?? 0 > 1, "the CSeq as sent: \(play)")
            #expect(play.auth == .basic)
            let stream = try #require(Self.streams(sandbox).first)
            #expect(stream.transport == "udp")
            #expect(stream.camera == "Test cam")
            #expect(stream.framesSent >= 10)
            #expect((stream.firstFrame ?? 0) < (stream.lastFrame ?? 0))
            #expect(stream.ended == .clientClosed)
        }
    }

    /// `denyTransport: udp`: SETUP over UDP gets 461 and ffmpeg falls back to TCP (its default
    /// tries UDP first), as an NVR behind a firewall must.
    @Test func aDeniedUDPTransportIs461AndFFmpegFallsBackToTCP() async throws {
        let rule = FaultRule(
            name: "no udp", match: FaultMatch(path: Self.media), fault: .media(.denyTransport(udp: true)))
        try await Self.withSandbox([rule]) { sandbox in
            let ffprobe = try ChildProcess.tool("ffprobe")
            let result = try await ChildProcess.run(
                ffprobe, ["-v", "error", "-show_streams", "-of", "json", Self.url(sandbox)], timeout: .seconds(40))
            #expect(result.stdoutText.contains("\"codec_name\": \"h264\""), "\(result.stderrText)")
            let setups = Self.requests(sandbox).filter { $0.method == "SETUP" }
            #expect(setups.map(\.status) == [461, 200], "\(setups)")
            #expect(setups.first?.fault == "media denyTransport udp (no udp)")
            #expect(try await poll { Self.streams(sandbox).first?.transport == "tcp" })
        }
    }

    /// `noKeyframes` for the first 3 s of the run: no keyframe packet before then, one right after
    /// (the encoder is asked for it as the window ends), and the P frames flow throughout.
    @Test func noKeyframesLeavesOutEveryIDRForItsWindow() async throws {
        let rule = FaultRule(
            name: "no keyframes", match: FaultMatch(path: Self.media), untilMilliseconds: 3000,
            fault: .media(.noKeyframes))
        try await Self.withSandbox([rule]) { sandbox in
            let (packets, stderr) = try await Self.packets(Self.url(sandbox), transport: "tcp", seconds: 5)
            let keyframes = packets.filter { ($0["flags"] as? String)?.hasPrefix("K") == true }
            #expect(packets.count > keyframes.count, "P frames flow: \(stderr)")
            #expect(!keyframes.isEmpty, "an IDR follows the window: \(packets.count) packets")
            #expect(try await poll { Self.streams(sandbox).count == 1 })
            let stream = try #require(Self.streams(sandbox).first)
            #expect(stream.fault == "media noKeyframes (no keyframes)")
            // The first keyframe packet the client got came after the window closed: every packet
            // before it is a P frame, and there were about 3 s of them (15 fps).
            let firstKey = try #require(packets.firstIndex { ($0["flags"] as? String)?.hasPrefix("K") == true })
            #expect(firstKey >= 15, "no IDR for the window's seconds: first at packet \(firstKey)")
        }
    }

    /// `packetLoss` over UDP: ffmpeg reports the sequence gaps; the session's journal names the fault.
    @Test func packetLossOverUDPIsSeenByFFmpeg() async throws {
        let rule = FaultRule(
            name: "lossy", match: FaultMatch(path: Self.media), fault: .media(.packetLoss(percent: 30)))
        try await Self.withSandbox([rule]) { sandbox in
            let ffprobe = try ChildProcess.tool("ffprobe")
            let result = try await ChildProcess.run(
                ffprobe,
                [
                    "-v", "warning", "-rtsp_transport", "udp", "-read_intervals", "%+3", "-show_entries",
                    "packet=pts_time", "-of", "csv", Self.url(sandbox, "camera=1&resolution=160x120"),
                ], timeout: .seconds(40))
            #expect(result.stderrText.contains("missed"), "ffmpeg notices lost RTP packets: \(result.stderrText)")
            #expect(try await poll { Self.streams(sandbox).count == 1 })
            #expect(Self.streams(sandbox).first?.fault == "media packetLoss 30% (lossy)")
        }
    }

    /// `timestampJump`: the presentation times ffprobe reads jump ahead by the fault's amount.
    @Test func timestampJumpShiftsThePresentationTimes() async throws {
        let rule = FaultRule(
            name: "clock reset", match: FaultMatch(path: Self.media), fromMilliseconds: 1500,
            fault: .media(.timestampJump(milliseconds: 60_000)))
        try await Self.withSandbox([rule]) { sandbox in
            // 40 packets (about 2.7 s at 15 fps), not 3 s of presentation time: the jump would end that early.
            let (packets, stderr) = try await Self.packets(
                Self.url(sandbox), transport: "tcp", seconds: 3, interval: "%+#40")
            let times = packets.compactMap { ($0["pts_time"] as? String).flatMap(Double.init) }
            let steps = zip(times, times.dropFirst()).map { $1 - $0 }
            #expect(steps.contains { $0 > 59 && $0 < 61 }, "one jump of 60 s: \(steps) \(stderr)")
        }
    }

    /// `corruptSlice`: ffmpeg decodes the pictures with errors.
    @Test func corruptSlicesMakeFFmpegReportDecodeErrors() async throws {
        let rule = FaultRule(name: "bad slices", match: FaultMatch(path: Self.media), fault: .media(.corruptSlice))
        try await Self.withSandbox([rule]) { sandbox in
            let ffmpeg = try ChildProcess.tool("ffmpeg")
            let result = try await ChildProcess.run(
                ffmpeg,
                [
                    "-v", "error", "-rtsp_transport", "tcp", "-i", Self.url(sandbox), "-frames:v", "10", "-f", "null",
                    "-",
                ],
                timeout: .seconds(40))
            #expect(!result.stderrText.isEmpty, "decode errors reported")
            #expect(try await poll { Self.streams(sandbox).count == 1 })
            #expect(Self.streams(sandbox).first?.fault == "media corruptSlice (bad slices)")
        }
    }

    /// A `status` rule on one method: DESCRIBE answered 503, as a busy camera does.
    @Test func aStatusRuleOnDescribeIsWhatTheClientGets() async throws {
        let rule = FaultRule(
            name: "busy", match: FaultMatch(path: Self.media, method: "DESCRIBE"), fault: .status(code: 503, body: nil))
        try await Self.withSandbox([rule]) { sandbox in
            let ffprobe = try ChildProcess.tool("ffprobe")
            let result = try await ChildProcess.run(ffprobe, ["-v", "error", Self.url(sandbox)], timeout: .seconds(40))
            #expect(result.status != 0)
            #expect(result.stderrText.contains("503"), "\(result.stderrText)")
            let describe = try #require(Self.requests(sandbox).first { $0.method == "DESCRIBE" })
            #expect(describe.status == 503)
            #expect(describe.fault == "status 503 (busy)")
        }
    }

    /// `closeAfterFrames` on PLAY: the session ends after exactly that many frames.
    @Test func closeAfterFramesEndsTheSession() async throws {
        let rule = FaultRule(
            name: "short", match: FaultMatch(path: Self.media, method: "PLAY"), fault: .network(.closeAfterFrames(20)))
        try await Self.withSandbox([rule]) { sandbox in
            _ = try await Self.packets(Self.url(sandbox), transport: "tcp", seconds: 5)
            #expect(try await poll { Self.streams(sandbox).count == 1 })
            let stream = try #require(Self.streams(sandbox).first)
            #expect(stream.framesSent == 20)
            #expect(stream.ended == .fault)
        }
    }

    /// A raw client that sets up a session over TCP and keeps it alive with GET_PARAMETER every
    /// 30 s of a manual clock.
    static func keepAlive(port: Int, clock: ManualClock, steps: Int) async throws -> [String] {
        try await Blocking.run { () throws -> [String] in
            let socket = try RawSocket.connect(port: port)
            defer { socket.close() }
            let target = "rtsp://127.0.0.1:\(port)\(media)?camera=1"
            try socket.send(
                "SETUP \(target) RTSP/1.0\r\nCSeq: 1\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n"
                    + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n")
            let setup = String(decoding: try socket.read(through: Array("\r\n\r\n".utf8), limit: 4096), as: UTF8.self)
            guard let line = setup.split(separator: "\r\n").first(where: { $0.hasPrefix("Session: ") }) else {
                return [setup]
            }
            let id = line.dropFirst("Session: ".count).split(separator: ";")[0]
            var answers: [String] = []
            for step in 0..<steps {
                clock.advance(by: 30_000)
                try socket.send("GET_PARAMETER \(target) RTSP/1.0\r\nCSeq: \(step + 2)\r\nSession: \(id)\r\n\r\n")
                let answer = try? socket.read(through: Array("\r\n\r\n".utf8), limit: 4096)
                answers.append(answer.map { String(decoding: $0, as: UTF8.self) } ?? "closed")
            }
            return answers
        }
    }

    /// Without the fault, keep-alives every 30 s keep a session alive past its 60 s timeout.
    @Test func keepAlivesKeepASessionAlive() async throws {
        let clock = ManualClock(timers: .onAdvance)
        try await Self.withSandbox([], clock: clock) { sandbox in
            let answers = try await Self.keepAlive(port: sandbox.runtime.port, clock: clock, steps: 4)
            #expect(answers.allSatisfy { $0.hasPrefix("RTSP/1.0 200 OK") }, "\(answers)")
        }
    }

    /// `sessionExpiry`: the same keep-alives are ignored and the session ends at 65 s (timeout and
    /// grace), closing its TCP connection.
    @Test func sessionExpiryIgnoresKeepAlives() async throws {
        let clock = ManualClock(timers: .onAdvance)
        let rule = FaultRule(
            name: "expiring", match: FaultMatch(path: Self.media), fault: .media(.sessionExpiry))
        try await Self.withSandbox([rule], clock: clock) { sandbox in
            let answers = try await Self.keepAlive(port: sandbox.runtime.port, clock: clock, steps: 3)
            #expect(answers[0].hasPrefix("RTSP/1.0 200 OK"), "\(answers)")
            #expect(answers[1].hasPrefix("RTSP/1.0 200 OK"), "at 60 s, within the grace: \(answers)")
            #expect(answers[2] == "closed", "ended at 65 s: \(answers)")
        }
    }
}

/// Camera states and restarts reach RTSP sessions as they reach MJPEG streams.
extension RTSPHarnessTests {
    /// Starts ffprobe reading the first camera's H.264 for `seconds`, waits until it plays, runs
    /// `change`, and returns ffprobe's frames (`width`, `key_frame`) once it is done.
    static func whilePlaying(
        _ sandbox: Sandbox, seconds: Int, _ change: () async throws -> Void
    ) async throws -> [[String: Any]] {
        let ffprobe = try ChildProcess.tool("ffprobe")
        let viewer = try ChildProcess(
            ffprobe,
            [
                "-v", "error", "-rtsp_transport", "tcp", "-select_streams", "v:0", "-read_intervals", "%+\(seconds)",
                "-show_entries", "frame=width,height,key_frame", "-of", "json", url(sandbox),
            ])
        let camera = sandbox.runtime.services.cameras.cameras[0].config.id
        let playing = try await poll { sandbox.runtime.server.rtspCounts(forCamera: camera).framesSent >= 5 }
        #expect(playing)
        try await change()
        let result = try await Blocking.run { viewer.wait(timeout: .seconds(60)) }
        let root = try? JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8)) as? [String: Any]
        return (root?["frames"] as? [[String: Any]]) ?? []
    }

    @Test func aCameraGoingOfflineEndsTheSession() async throws {
        try await Self.withSandbox([]) { sandbox in
            _ = try await Self.whilePlaying(sandbox, seconds: 20) {
                sandbox.runtime.services.cameras.cameras[0].setHealth(.offline)
            }
            #expect(try await poll { Self.streams(sandbox).count == 1 })
            #expect(Self.streams(sandbox).first?.ended == .cameraOffline)
            // Asked again while it is offline: 503, as video.cgi answers.
            let ffprobe = try ChildProcess.tool("ffprobe")
            let again = try await ChildProcess.run(ffprobe, ["-v", "error", Self.url(sandbox)], timeout: .seconds(30))
            #expect(again.stderrText.contains("503"), "\(again.stderrText)")
        }
    }

    @Test func aRestartEndsRTSPSessions() async throws {
        try await Self.withSandbox([]) { sandbox in
            _ = try await Self.whilePlaying(sandbox, seconds: 20) { sandbox.runtime.server.scheduleRestart() }
            #expect(try await poll { Self.streams(sandbox).count == 1 })
            #expect(Self.streams(sandbox).first?.ended == .restart)
        }
    }

    /// A change of the camera's size mid-stream: the stream goes on at the new size from an IDR
    /// with new parameter sets, and ffmpeg decodes both sizes.
    @Test func aResolutionChangeMidStreamGoesOnAtTheNewSize() async throws {
        try await Self.withSandbox([]) { sandbox in
            let frames = try await Self.whilePlaying(sandbox, seconds: 4) {
                sandbox.runtime.services.cameras.cameras[0].setFormat(size: PixelSize(width: 160, height: 120))
            }
            let widths = frames.compactMap { $0["width"] as? Int }
            #expect(widths.first == 320, "\(widths)")
            #expect(widths.last == 160, "\(widths)")
            let firstSmall = try #require(frames.firstIndex { $0["width"] as? Int == 160 })
            #expect(frames[firstSmall]["key_frame"] as? Int == 1, "the new size starts on an IDR")
        }
    }
}

extension RTSPHarnessTests {
    /// A `drop` action takes RTSP sessions by what they play: the connection ends and its session
    /// is journaled as ended by the action.
    @Test func aDropActionEndsAMatchingRTSPSession() async throws {
        try await Self.withSandbox([]) { sandbox in
            var dropped = 0
            _ = try await Self.whilePlaying(sandbox, seconds: 20) {
                let other = await sandbox.runtime.server.drop(
                    matching: FaultMatch(path: "/axis-cgi/mjpg/video.cgi"), label: "drop (mjpeg)", reset: false)
                #expect(other == 0, "an RTSP session is not an MJPEG stream")
                dropped = await sandbox.runtime.server.drop(
                    matching: FaultMatch(path: Self.media), label: "drop (cut)", reset: false)
            }
            #expect(dropped == 1)
            #expect(try await poll { Self.streams(sandbox).count == 1 })
            #expect(Self.streams(sandbox).first?.ended == .fault)
            #expect(Self.streams(sandbox).first?.fault == "drop (cut)")
        }
    }
}
