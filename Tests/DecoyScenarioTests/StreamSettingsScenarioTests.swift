import Foundation
import Testing

/// stream-settings: Doorbell's resolution and rate change twice mid-stream. ffmpeg, decoding the
/// one stream, sees 1280x720, then 640x360, then 1280x720 again, and the run passes; a client that
/// reconnects instead fails the run with the expectation named.
@Suite(.serialized) struct StreamSettingsScenarioTests {
    static let scenario = packageRoot + "/Scenarios/stream-settings.yaml"

    @Test func ffmpegDecodesTheOneStreamThroughBothChanges() async throws {
        try FaultClientTests.requireFFmpeg()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            """
            host="${DECOY_URL#http://}"
            ffmpeg -nostdin -hide_banner -loglevel info -rw_timeout 15000000 \\
              -i "http://$DECOY_GUEST_USER:$DECOY_GUEST_PASSWORD@$host/axis-cgi/mjpg/video.cgi?camera=2" \\
              -frames:v 80 -vf showinfo -f null - 2> "\(folder)/ffmpeg.txt"
            """, in: folder)
        let result = try await RunCommandTests.run(
            ["run", Self.scenario, "--junit", folder + "/junit.xml", "--", client], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("all 2 expectations passed"), "\(result.stdout)")
        // showinfo prints one line per decoded frame with its size (` s:1280x720 `).
        let log = try String(contentsOfFile: folder + "/ffmpeg.txt", encoding: .utf8)
        let sizes = log.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("showinfo"), let range = line.range(of: " s:") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != " " })
        }
        var runs: [String] = []
        for size in sizes where runs.last != size { runs.append(size) }
        #expect(runs == ["1280x720", "640x360", "1280x720"], "\(sizes)")
        #expect(sizes.count == 80)
    }

    @Test func aClientThatReconnectsFails() async throws {
        try RunCommandTests.requireCurl()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            """
            for i in 1 2; do
              curl -sS -o /dev/null --max-time 2 -u "$DECOY_GUEST_USER:$DECOY_GUEST_PASSWORD" \\
                "$DECOY_URL/axis-cgi/mjpg/video.cgi?camera=2" || true
            done
            """, in: folder)
        let result = try await RunCommandTests.run(
            ["run", Self.scenario, "--junit", folder + "/junit.xml", "--", client], in: folder)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("FAIL  does not reconnect"), "\(result.stdout)")
        #expect(result.stdout.contains("FAIL  watches Doorbell through both changes on one stream"), "\(result.stdout)")
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("failures=\"2\""), "\(junit)")
    }
}
