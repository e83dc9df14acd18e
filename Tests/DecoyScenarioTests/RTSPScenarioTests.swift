import Foundation
import Testing

@testable import DecoyTestSupport

/// The RTSP scenarios through `decoy run`, with ffmpeg as the NVR or viewer: a client that behaves
/// passes, one that does not fails on the expectation that says why.
@Suite(.serialized) struct RTSPScenarioTests {
    static let keyframes = packageRoot + "/Scenarios/rtsp-nvr-keyframes.yaml"
    static let restart = packageRoot + "/Scenarios/rtsp-camera-restart.yaml"

    /// The rtsp:// URL of camera 1 from the variables `decoy run` gives its client.
    static let url =
        #""rtsp://$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD@${DECOY_URL#http://}/axis-media/media.amp?camera=1""#

    /// ffmpeg as an NVR: its default transport order (UDP, then TCP after a 461), recording without
    /// decoding for 22 s.
    @Test func anNVRThatFallsBackToTCPAndKeepsItsSessionPasses() async throws {
        try FaultClientTests.requireFFmpeg()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            "ffmpeg -nostdin -v warning -i \(Self.url) -t 22 -c copy -f null - 2> \"\(folder)/ffmpeg.txt\"\n",
            in: folder)
        let result = try await RunCommandTests.run(
            ["run", Self.keyframes, "--junit", folder + "/junit.xml", "--", client], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("PASS  kept one session through the gap"), "\(result.stdout)")
    }

    /// A client that only knows UDP gets the 461 and gives up: the run fails on the fallback.
    @Test func aUDPOnlyClientFailsTheFallback() async throws {
        try FaultClientTests.requireFFmpeg()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            "ffmpeg -nostdin -v warning -rtsp_transport udp -i \(Self.url) -t 5 -c copy -f null - || true\n",
            in: folder)
        let result = try await RunCommandTests.run(["run", Self.keyframes, "--", client], in: folder)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("PASS  was refused UDP"), "\(result.stdout)")
        #expect(result.stdout.contains("FAIL  fell back to TCP"), "\(result.stdout)")
    }

    /// A viewer that plays again when its session ends passes the restart scenario.
    @Test func aViewerThatPlaysAgainAfterTheRestartPasses() async throws {
        try FaultClientTests.requireFFmpeg()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            """
            set +e
            end=$(( $(date +%s) + 17 ))
            while [ "$(date +%s)" -lt "$end" ]; do
              ffmpeg -nostdin -v warning -rtsp_transport tcp -i \(Self.url) -t $(( end - $(date +%s) )) -c copy -f null -
              sleep 1
            done

            """, in: folder)
        let result = try await RunCommandTests.run(
            ["run", Self.restart, "--report", folder + "/report.json", "--", client], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let report = try String(contentsOfFile: folder + "/report.json", encoding: .utf8)
        #expect(report.contains("\"ended\" : \"restart\""), "the session the restart ended is journaled")
    }
}
