import CTurboJPEG
import Foundation
import NIOCore
import Testing

@testable import DecoyMedia
@testable import DecoyRTSP
@testable import DecoyTestSupport

/// The packetizers' output through GStreamer's own depayloaders (`rtph264depay`, `rtpjpegdepay`,
/// `rtppcmudepay`, what `rtspsrc` clients use), fed from a file of RFC 4571-framed packets so no
/// socket is involved: what comes out must decode to exactly what went in.
@Suite struct GStreamerDepayloaderTests {
    /// A scratch folder, removed when the test ends.
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("decoy-rtp-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    }

    /// RFC 4571 framing: each packet after its 16-bit length, what `rtpstreamdepay` reads.
    static func writeStream(_ packets: [ByteBuffer], to path: String) throws {
        var data = Data()
        for packet in packets {
            data.append(contentsOf: [UInt8(packet.readableBytes >> 8), UInt8(packet.readableBytes & 0xFF)])
            data.append(contentsOf: packet.readableBytesView)
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Runs `tool` and expects it to succeed.
    static func run(_ tool: String, _ arguments: [String]) throws {
        let result = try ChildProcess(try ChildProcess.tool(tool), arguments).wait(timeout: .seconds(60))
        #expect(result.status == 0 && !result.timedOut, "\(tool) \(arguments): \(result.stderrText)")
    }

    /// `filesrc ! <caps> ! rtpstreamdepay ! <depayloader> [! <caps after>] ! filesink`.
    static func depayload(
        _ input: String, caps: String, depayloader: String, then: [String] = [], into output: String
    )
        throws
    {
        try run(
            "gst-launch-1.0",
            ["-q", "filesrc", "location=\(input)", "!", caps, "!", "rtpstreamdepay", "!", depayloader] + then + [
                "!", "filesink", "location=\(output)",
            ])
    }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func h264FromX264ComesOutOfRtph264depayFrameForFrame() throws {
        let scratch = try Scratch()
        try Self.run(
            "ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-frames:v",
                "20", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-g", "10", "-x264-params", "aud=1", "-f", "h264",
                scratch.path("in.h264"),
            ])
        let input = try Self.bytes(scratch.path("in.h264"))
        var accessUnits: [[ArraySlice<UInt8>]] = []
        for unit in AnnexB.nalUnits(in: input).map({ input[$0] }) {
            if unit.first! & 0x1F == 9 || accessUnits.isEmpty { accessUnits.append([]) }  // an access unit delimiter
            accessUnits[accessUnits.count - 1].append(unit)
        }
        #expect(accessUnits.count == 20)
        var packetizer = H264Packetizer(ssrc: 0x1234, initialSequence: 65000)
        let packets = accessUnits.enumerated().flatMap { index, unit in
            packetizer.packetize(nalUnits: unit, timestamp: UInt32(index * 9000))
        }
        #expect(packets.count > 20, "the IDRs are cut into FU-A fragments")
        try Self.writeStream(packets, to: scratch.path("h264.rtp"))
        try Self.depayload(
            scratch.path("h264.rtp"), caps: "application/x-rtp-stream,media=video,clock-rate=90000,encoding-name=H264",
            depayloader: "rtph264depay", then: ["!", "video/x-h264,stream-format=byte-stream,alignment=au"],
            into: scratch.path("out.h264"))
        let frames = { (path: String) throws -> [String] in
            let result = try ChildProcess(
                try ChildProcess.tool("ffmpeg"),
                ["-hide_banner", "-loglevel", "error", "-i", path, "-f", "framemd5", "-"]
            ).wait(timeout: .seconds(60))
            return result.stdoutText.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
                String($0.split(separator: ",").last ?? "")
            }
        }
        let sent = try frames(scratch.path("in.h264"))
        #expect(sent.count == 20)
        #expect(try frames(scratch.path("out.h264")) == sent)
    }

    @Test func jpegsComeOutOfRtpjpegdepayAsTheSamePictures() throws {
        let scratch = try Scratch()
        let encoder = try JPEGEncoder()
        let pictures = [
            try encoder.encode(TestPictures.image(width: 640, height: 480), quality: 50),
            try encoder.encode(TestPictures.image(width: 656, height: 480), quality: 95),
            JPEGFixtures.restartMarkers420, TestPictures.jpeg(width: 320, height: 240, subsampling: TJSAMP_422),
        ]
        let decoder = try JPEGDecoder()
        for (index, jpeg) in pictures.enumerated() {
            var packetizer = JPEGPacketizer(ssrc: 9, initialSequence: UInt16(index * 100))
            let packets = try packetizer.packetize(jpeg: ByteBuffer(bytes: jpeg), timestamp: UInt32(index * 3000))
            try Self.writeStream(packets, to: scratch.path("\(index).rtp"))
            try Self.depayload(
                scratch.path("\(index).rtp"),
                caps: "application/x-rtp-stream,media=video,clock-rate=90000,encoding-name=JPEG,payload=26",
                depayloader: "rtpjpegdepay", into: scratch.path("\(index).jpg"))
            let received = try Self.bytes(scratch.path("\(index).jpg"))
            let sent = try jpeg.withUnsafeBytes { try decoder.decodeToI420($0) }
            #expect(try received.withUnsafeBytes { try decoder.decodeToI420($0) } == sent, "picture \(index)")
        }
    }

    @Test func pcmuComesOutOfRtppcmudepayByteForByte() throws {
        let scratch = try Scratch()
        var packetizer = PCMUPacketizer(ssrc: 5, initialSequence: 1)
        var packets: [ByteBuffer] = []
        var sent: [UInt8] = []
        for block in 0..<50 {
            let samples = (0..<160).map { Int16(truncatingIfNeeded: (block * 160 + $0) * 37) }
            sent += samples.map(MuLaw.encode)
            packets += packetizer.packetize(samples: samples, timestamp: UInt32(block * 160))
        }
        try Self.writeStream(packets, to: scratch.path("pcmu.rtp"))
        try Self.depayload(
            scratch.path("pcmu.rtp"),
            caps: "application/x-rtp-stream,media=audio,clock-rate=8000,encoding-name=PCMU,payload=0",
            depayloader: "rtppcmudepay", into: scratch.path("out.pcmu"))
        #expect(try Self.bytes(scratch.path("out.pcmu")) == sent)
    }
}
