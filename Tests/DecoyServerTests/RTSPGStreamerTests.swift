import DecoyCore
import DecoyMedia
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// GStreamer's `rtspsrc` (the RTSP client of GStreamer-based NVRs and players) decoding what
    /// Decoy sends: H.264 through `rtph264depay ! avdec_h264` over interleaved TCP and over UDP,
    /// RTP/JPEG through `rtpjpegdepay ! jpegdec`. Every decoded picture is written raw (I420) and
    /// read back: its size, how many arrived, and the frame ids drawn in them.
    @Suite struct RTSPGStreamer {
        /// What one `gst-launch-1.0` run left: its output and the decoded pictures' frame ids.
        struct Decoded {
            let result: ProcessResult
            let ids: [UInt32]
            var output: String { result.stdoutText + result.stderrText }
        }

        /// Plays `url` over `transport` (`tcp` or `udp`) through `decoder` (the elements after
        /// `rtspsrc`) until `frames` pictures of `size` are decoded, then ends the pipeline (EOS).
        static func decode(
            _ url: String, transport: String, decoder: [String], frames: Int, size: PixelSize
        ) async throws -> Decoded {
            let gst = try ChildProcess.tool("gst-launch-1.0")
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let output = folder + "/pictures.i420"
            // identity's eos-after=N ends the stream in place of the Nth buffer: N-1 pictures.
            let pipeline =
                ["-v", "rtspsrc", "location=\(url)", "protocols=\(transport)", "!"] + decoder + [
                    "!", "identity", "eos-after=\(frames + 1)", "!", "video/x-raw,format=I420", "!", "filesink",
                    "location=\(output)",
                ]
            let result = try await ChildProcess.run(gst, pipeline, timeout: .seconds(40))
            let ids =
                result.status == 0
                ? try RTSPClientSupport.frameIDs(inFile: output, size: size, frameBytes: size.area * 3 / 2) : []
            return Decoded(result: result, ids: ids)
        }

        /// The elements are installed (avdec_h264 is in gstreamer1.0-libav), or a failure saying how to install them.
        static func requireElements(_ names: [String]) async throws {
            let inspect = try ChildProcess.tool("gst-inspect-1.0")
            for name in names {
                let result = try await ChildProcess.run(inspect, [name])
                try #require(
                    result.status == 0,
                    "GStreamer element \(name) is missing: run Tools/setup.sh --test (gstreamer1.0-libav, plugins-good)"
                )
            }
        }

        static let h264Decoder = ["rtph264depay", "!", "avdec_h264"]

        /// A decode that ended by itself with `frames` pictures of `size`, ids increasing, no complaint.
        static func expectClean(_ decoded: Decoded, frames: Int, size: PixelSize, decoderElement: String) {
            #expect(decoded.result.status == 0 && !decoded.result.timedOut, "\(decoded.output)")
            #expect(decoded.output.contains("Got EOS from element"), "\(decoded.output)")
            #expect(RTSPClientSupport.complaints(decoded.output).isEmpty, "\(decoded.output)")
            #expect(
                decoded.output.contains(
                    "\(decoderElement).GstPad:src: caps = video/x-raw, format=(string)I420, "
                        + "width=(int)\(size.width), height=(int)\(size.height)"), "\(decoded.output)")
            #expect(decoded.ids.count == frames, "\(decoded.ids)")
            #expect(decoded.ids.isStrictlyIncreasing, "\(decoded.ids)")
        }

        @Test func h264OverInterleavedTCPFromTheTinyCamURL() async throws {
            try await Self.requireElements(["rtspsrc", "rtph264depay", "avdec_h264"])
            try await withServer { server in
                let size = PixelSize(width: 320, height: 240)
                let decoded = try await Self.decode(
                    RTSPClientSupport.tinyCamURL(port: server.port), transport: "tcp", decoder: Self.h264Decoder,
                    frames: 20, size: size)
                Self.expectClean(decoded, frames: 20, size: size, decoderElement: "avdec_h264-0")
                #expect(decoded.output.contains("encoding-name=(string)H264, packetization-mode=(string)1"))
                #expect(!decoded.output.contains("/GstUDPSrc:"), "interleaved: no UDP source was made")
            }
        }

        @Test func h264OverUDPScaledFromTheAxisURL() async throws {
            try await Self.requireElements(["rtspsrc", "rtph264depay", "avdec_h264"])
            try await withServer { server in
                let size = PixelSize(width: 160, height: 120)
                let decoded = try await Self.decode(
                    RTSPClientSupport.axisURL(port: server.port, query: "camera=1&videocodec=h264&resolution=160x120"),
                    transport: "udp", decoder: Self.h264Decoder, frames: 20, size: size)
                Self.expectClean(decoded, frames: 20, size: size, decoderElement: "avdec_h264-0")
                let udpVideo = decoded.output.split(whereSeparator: \.isNewline).filter {
                    $0.contains("/GstUDPSrc:udpsrc")
                        && $0.contains(".GstPad:src: caps = application/x-rtp, media=(string)video")
                }
                #expect(!udpVideo.isEmpty, "the video came out of rtspsrc's UDP source: \(decoded.output)")
            }
        }

        @Test func rtpJPEGOverInterleavedTCP() async throws {
            try await Self.requireElements(["rtspsrc", "rtpjpegdepay", "jpegdec"])
            try await withServer { server in
                let size = PixelSize(width: 320, height: 240)
                let decoded = try await Self.decode(
                    RTSPClientSupport.axisURL(port: server.port, query: "camera=1&videocodec=jpeg"), transport: "tcp",
                    decoder: ["rtpjpegdepay", "!", "jpegdec"], frames: 20, size: size)
                Self.expectClean(decoded, frames: 20, size: size, decoderElement: "jpegdec0")
                #expect(decoded.output.contains("encoding-name=(string)JPEG"), "\(decoded.output)")
            }
        }

        @Test func wrongPasswordIsUnauthorized() async throws {
            try await Self.requireElements(["rtspsrc"])
            let gst = try ChildProcess.tool("gst-launch-1.0")
            try await withServer { server in
                let result = try await ChildProcess.run(
                    gst,
                    [
                        "rtspsrc",
                        "location=\(RTSPClientSupport.tinyCamURL(port: server.port, credentials: "admin:wrong"))",
                        "!", "fakesink",
                    ], timeout: .seconds(40))
                let output = result.stdoutText + result.stderrText
                #expect(result.status == 1 && !result.timedOut, "\(output)")
                #expect(output.contains("ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Unauthorized"))
                RTSPClientSupport.expectRefusedWith401(server)
            }
        }
    }
}
