import Foundation
import Testing

@testable import DecoyMedia
@testable import DecoyRTSP

/// The SDP of a DESCRIBE, compared with what Axis cameras answer.
@Suite struct SDPTests {
    /// A real Axis camera's parameter sets (from a published DESCRIBE answer).
    static let axisSets = H264ParameterSets(
        sps: Data(base64Encoded: "Z00AKeKQWJ2AtwEBAaQeJEVA")!, pps: Data(base64Encoded: "aO48gA==")!)!

    @Test func anH264PresentationIsWhatAnAxisCameraAnswers() {
        let presentation = RTSPPresentation(
            scheme: "rtsp", authority: "192.168.0.3", path: "/axis-media/media.amp", query: "resolution=176x144&fps=1")
        var video = SDPMedia.h264(
            Self.axisSets, control: presentation.trackControl(0), framerate: 1, bandwidthKbps: 50000)
        video.attributes.append(
            "transform:0.916667,0.000000,0.000000;0.000000,1.000000,0.000000;0.000000,0.000000,1.000000")
        let sdp = SDPSession(
            originSessionID: 1_188_340_656_180_883, originAddress: "192.168.0.3",
            control: presentation.aggregateControl,
            media: [video])
        let axis = """
            v=0
            o=- 1188340656180883 1 IN IP4 192.168.0.3
            s=Session streamed with GStreamer
            i=rtsp-server
            t=0 0
            a=tool:GStreamer
            a=type:broadcast
            a=range:npt=now-
            a=control:rtsp://192.168.0.3/axis-media/media.amp?resolution=176x144&fps=1
            m=video 0 RTP/AVP 96
            c=IN IP4 0.0.0.0
            b=AS:50000
            a=rtpmap:96 H264/90000
            a=fmtp:96 packetization-mode=1;profile-level-id=4d0029;sprop-parameter-sets=Z00AKeKQWJ2AtwEBAaQeJEVA,aO48gA==
            a=control:rtsp://192.168.0.3/axis-media/media.amp/stream=0?resolution=176x144&fps=1
            a=framerate:1.000000
            a=transform:0.916667,0.000000,0.000000;0.000000,1.000000,0.000000;0.000000,0.000000,1.000000

            """
        #expect(sdp.text == axis.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func pcmuAudioIsAxissAudioTrack() {
        let lines = SDPMedia.pcmu(control: "rtsp://192.168.0.90/axis-media/media.amp/stream=1?audio=1").lines
        #expect(
            lines == [
                "m=audio 0 RTP/AVP 0", "c=IN IP4 0.0.0.0", "b=AS:64", "a=rtpmap:0 PCMU/8000",
                "a=control:rtsp://192.168.0.90/axis-media/media.amp/stream=1?audio=1",
            ])
    }

    @Test func jpegTracksSayTheirSizeOnlyWhenTheRTPHeaderCannot() {
        let small = SDPMedia.jpeg(width: 1920, height: 1080, control: "c", framerate: 12.5)
        #expect(
            small.lines == [
                "m=video 0 RTP/AVP 26", "c=IN IP4 0.0.0.0", "a=rtpmap:26 JPEG/90000", "a=control:c",
                "a=framerate:12.500000",
            ])
        let large = SDPMedia.jpeg(width: 2592, height: 1944, control: "c")
        #expect(large.lines.last == "a=x-dimensions:2592,1944")
    }

    @Test func anOnvifMetadataTrackCanBeAdded() {
        #expect(
            SDPMedia.onvifMetadata(control: "c").lines == [
                "m=application 0 RTP/AVP 98", "c=IN IP4 0.0.0.0", "a=rtpmap:98 vnd.onvif.metadata/90000", "a=control:c",
            ])
    }

    @Test func ipv6OriginsAndOptionalLines() {
        let sdp = SDPSession(
            originSessionID: 7, originAddress: "::1", control: "rtsp://[::1]/x", media: [], sessionName: "Decoy",
            information: nil, tool: nil)
        #expect(
            sdp.text == "v=0\r\no=- 7 1 IN IP6 ::1\r\ns=Decoy\r\nt=0 0\r\na=type:broadcast\r\na=range:npt=now-\r\n"
                + "a=control:rtsp://[::1]/x\r\n")
    }

    @Test func parameterSetsNeedAnSPSAndAPPS() throws {
        #expect(H264ParameterSets(sps: [0x67, 0x42], pps: [0x68, 1]) == nil, "SPS too short")
        #expect(H264ParameterSets(sps: [0x68, 0x42, 0, 0x1E], pps: [0x68, 1]) == nil, "not an SPS")
        #expect(H264ParameterSets(sps: [0x67, 0x42, 0xC0, 0x1E], pps: [0x67]) == nil, "not a PPS")
        let units: [ArraySlice<UInt8>] = [
            [0x09, 0x10], [0x67, 0x42, 0xC0, 0x1E, 0x95], [0x68, 0xCE, 0x3C, 0x80], [0x65, 1],
        ]
        let sets = try #require(H264ParameterSets(nalUnits: units))
        #expect(sets.profileLevelID == "42c01e")
        #expect(
            sets.formatParameters
                == "packetization-mode=1;profile-level-id=42c01e;sprop-parameter-sets=Z0LAHpU=,aM48gA==")
        #expect(H264ParameterSets(nalUnits: [[0x65, 1]]) == nil)
    }

    @Test func base64MatchesFoundationForEveryLength() {
        var random = SplitMix64(seed: 7)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString(), "\(length) bytes")
        }
    }

    @Test func framerateIsPrintedLikeCsPercentF() {
        #expect(SDPNumber.sixDecimals(25) == "25.000000")
        #expect(SDPNumber.sixDecimals(29.97) == "29.970000")
        #expect(SDPNumber.sixDecimals(1.0 / 3.0) == "0.333333")
        #expect(SDPNumber.sixDecimals(0.0000004) == "0.000000")
    }
}
