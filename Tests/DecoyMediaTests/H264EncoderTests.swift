import DecoyMedia
import Foundation
import Testing

@Suite("H.264 encoder (openh264)")
struct H264EncoderTests {
    @Test("the first access unit is SPS, PPS and an IDR slice; the next ones one non-IDR slice each")
    func nalTypes() throws {
        let encoder = try H264Encoder(H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10))
        let units = try H264Fixture.encode(H264Fixture.frames(4), with: encoder)
        #expect(units.count == 4)
        #expect(units[0].nalTypes == [.sequenceParameterSet, .pictureParameterSet, .idrSlice])
        #expect(units[0].isKeyframe)
        for unit in units.dropFirst() {
            #expect(unit.nalTypes == [.nonIDRSlice])
            #expect(!unit.isKeyframe)
        }
        #expect(units.allSatisfy { $0.nalUnits.allSatisfy { $0.first != 0 } }, "no start code left")
    }

    @Test("an IDR comes every keyframe interval, one second of frames by default")
    func groupOfPictures() throws {
        let frames = H264Fixture.frames(12)
        let byDefault = try H264Encoder(H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 5))
        #expect(byDefault.configuration.keyframeInterval == 5)
        #expect(H264Fixture.keyframeIndices(try H264Fixture.encode(frames, with: byDefault)) == [0, 5, 10])
        let every4 = try H264Encoder(
            H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10, keyframeInterval: 4))
        #expect(H264Fixture.keyframeIndices(try H264Fixture.encode(frames, with: every4)) == [0, 4, 8])
    }

    @Test("requestKeyframe makes the next picture an IDR and restarts the interval from it")
    func forcedKeyframe() throws {
        let encoder = try H264Encoder(
            H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10, keyframeInterval: 5))
        let units = try H264Fixture.encode(H264Fixture.frames(12), with: encoder, keyframeAt: [3])
        #expect(H264Fixture.keyframeIndices(units) == [0, 3, 8])
        #expect(units[3].nalTypes == [.sequenceParameterSet, .pictureParameterSet, .idrSlice])
    }

    @Test("the parameter sets are known before the first frame and repeated unchanged before every IDR")
    func parameterSetsInBand() throws {
        let encoder = try H264Encoder(
            H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10, keyframeInterval: 3))
        let sets = encoder.parameterSets
        let units = try H264Fixture.encode(H264Fixture.frames(7), with: encoder, keyframeAt: [4])
        let keyframes = units.filter(\.isKeyframe)
        #expect(keyframes.count == 3)
        for unit in keyframes {
            #expect(unit.nalUnits[0] == sets.sequenceParameterSet)
            #expect(unit.nalUnits[1] == sets.pictureParameterSet)
        }
        // Another encoder of the same configuration announces the same bytes (SDP before PLAY).
        let again = try H264Encoder(encoder.configuration)
        #expect(again.parameterSets == sets)
    }

    @Test(
        "the SPS says Constrained Baseline and the configured size, also one that is no multiple of 16",
        arguments: [
            PixelSize(width: 640, height: 480), PixelSize(width: 320, height: 180), PixelSize(width: 98, height: 50),
        ])
    func sequenceParameterSet(size: PixelSize) throws {
        let encoder = try H264Encoder(H264EncoderConfiguration(size: size, framesPerSecond: 30))
        let sps = encoder.parameterSets.sequence
        #expect(sps.size == size)
        #expect(sps.isConstrainedBaseline)
        #expect(sps.profileLevelID.hasPrefix("42"))
        #expect(encoder.parameterSets.profileLevelID == sps.profileLevelID)
        let unit = try #require(try encoder.encode(H264Fixture.frames(1, size: size)[0], timeMilliseconds: 0))
        #expect(H264SequenceParameterSet(unit.nalUnits[0])?.size == size)
    }

    @Test("sprop-parameter-sets is the SPS and PPS in base64; profile-level-id the SPS's three bytes")
    func sdpParameters() throws {
        let encoder = try H264Encoder(H264EncoderConfiguration(size: Fixture.vga, framesPerSecond: 30))
        let sets = encoder.parameterSets
        let parts = sets.spropParameterSets.split(separator: ",").map { Data(base64Encoded: String($0)) }
        #expect(parts.count == 2)
        #expect(parts[0].map([UInt8].init) == sets.sequenceParameterSet)
        #expect(parts[1].map([UInt8].init) == sets.pictureParameterSet)
        let sps = sets.sequenceParameterSet
        #expect(sets.profileLevelID == String(format: "%02x%02x%02x", sps[1], sps[2], sps[3]))
        #expect(sets.profileLevelID == "42c01e", "Constrained Baseline, level 3.0 for 640x480 at 30 fps")
    }

    @Test("ffprobe and ffmpeg decode the Annex-B stream without errors, at the size, every frame")
    func decodesWithFFmpeg() throws {
        let size = PixelSize(width: 320, height: 180)
        let encoder = try H264Encoder(H264EncoderConfiguration(size: size, framesPerSecond: 10, keyframeInterval: 7))
        let units = try H264Fixture.encode(H264Fixture.frames(20, size: size), with: encoder, keyframeAt: [10])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decoy-h264-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("stream.h264")
        try Data(units.flatMap(\.annexB)).write(to: file)

        let probe = try ToolRun.run(
            "ffprobe",
            [
                "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,profile,width,height,nb_read_frames", "-of", "default=noprint_wrappers=1", file.path,
            ], in: folder)
        #expect(probe.status == 0)
        #expect(probe.stderr.isEmpty, "\(probe.stderr)")
        let fields = Dictionary(
            probe.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }, uniquingKeysWith: { first, _ in first })
        #expect(fields["codec_name"] == "h264")
        #expect(fields["profile"] == "Constrained Baseline")
        #expect(fields["width"] == "320" && fields["height"] == "180")
        #expect(fields["nb_read_frames"] == "20")

        let decode = try ToolRun.run("ffmpeg", ["-v", "error", "-i", file.path, "-f", "null", "-"], in: folder)
        #expect(decode.status == 0)
        #expect(decode.stderr.isEmpty, "\(decode.stderr)")
    }

    @Test("the same frames give the same bytes (one thread, no rate control in quality mode)")
    func deterministic() throws {
        let frames = H264Fixture.frames(6)
        let configuration = H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10, keyframeInterval: 4)
        let first = try H264Fixture.encode(frames, with: try H264Encoder(configuration))
        let second = try H264Fixture.encode(frames, with: try H264Encoder(configuration))
        #expect(first == second)
    }

    @Test("a higher quality spends more bytes; a bitrate target is met roughly")
    func rateControl() throws {
        let frames = H264Fixture.frames(20)
        func bytes(_ rate: H264RateControl) throws -> Int {
            let encoder = try H264Encoder(
                H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10, rateControl: rate))
            return try H264Fixture.encode(frames, with: encoder).reduce(0) { $0 + $1.annexB.count }
        }
        #expect(try bytes(.quality(30)) < bytes(.quality(90)))
        #expect(H264RateControl.quantizer(forQuality: 1) == 46)
        #expect(H264RateControl.quantizer(forQuality: 70) == 25)
        #expect(H264RateControl.quantizer(forQuality: 100) == 16)
        // 2 s of video at 200 kbit/s is 50 kB; openh264 overshoots on the first IDR, so allow a wide margin.
        #expect(try bytes(.bitrate(200_000)) < 100_000)
        #expect(try bytes(.bitrate(200_000)) < bytes(.bitrate(2_000_000)))
    }

    @Test("a configuration openh264 cannot take is refused, saying what is allowed")
    func invalidConfigurations() {
        let cases: [(H264EncoderConfiguration, String)] = [
            (H264EncoderConfiguration(size: PixelSize(width: 321, height: 240), framesPerSecond: 10), "even sides"),
            (H264EncoderConfiguration(size: PixelSize(width: 8, height: 8), framesPerSecond: 10), "at least 16"),
            (H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 0), "frame rate 0 is outside 1...60"),
            (H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 61), "frame rate 61"),
            (H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10, keyframeInterval: 0), "at least 1"),
            (
                H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10, rateControl: .quality(101)),
                "quality 101 is outside 1...100"
            ),
            (
                H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10, rateControl: .bitrate(5)),
                "bitrate 5 bit/s"
            ),
        ]
        for (configuration, says) in cases {
            let error = #expect(throws: H264Error.self) { _ = try H264Encoder(configuration) }
            #expect(error?.kind == .invalidConfiguration)
            #expect(error?.message.contains(says) == true, "\(String(describing: error))")
        }
    }

    @Test("an image of another size is refused and the encoder goes on")
    func wrongImage() throws {
        let encoder = try H264Encoder(H264EncoderConfiguration(size: Fixture.qvga, framesPerSecond: 10))
        #expect(throws: H264Error.self) {
            _ = try encoder.encode(I420Image(size: Fixture.vga), timeMilliseconds: 0)
        }
        let unit = try encoder.encode(H264Fixture.frames(1)[0], timeMilliseconds: 0)
        #expect(unit?.isKeyframe == true)
    }
}
