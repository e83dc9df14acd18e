import Foundation
import Testing

@testable import DecoyTestSupport

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

/// stream-token-rejected: the first token stream is cut after 50 frames and its token revoked as
/// the last frame goes out, so curl's next request with it is refused and a fresh login works.
@Suite(.serialized) struct StreamTokenScenarioTests {
    static let scenario = packageRoot + "/Scenarios/stream-token-rejected.yaml"

    @Test func aClientThatLogsInAgainPassesAndTheOldTokenIsRefused() async throws {
        try RunCommandTests.requireCurl()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            """
            \(RunCommandTests.loginFunction)
            token=$(login)
            stream="$DECOY_URL/axis-cgi/mjpg/video.cgi?camera=1&resolution=160x120"
            curl -sS --max-time 30 -o "\(folder)/first.mjpeg" "$stream&token=$token"
            curl -sS -o "\(folder)/refused.txt" -w '%{http_code}' "$DECOY_URL/api/v1/get_cam_list?token=$token" \\
              > "\(folder)/refused.code"
            token=$(login)
            curl -sS --max-time 2 -o "\(folder)/second.mjpeg" "$stream&token=$token" || true
            """, in: folder)
        let result = try await RunCommandTests.run(
            ["run", Self.scenario, "--report", folder + "/report.json", "--", client], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("all 4 expectations passed"), "\(result.stdout)")
        let read = { (name: String) in (try? String(contentsOfFile: folder + "/" + name, encoding: .isoLatin1)) ?? "" }
        // The server closed the first stream (curl exited 0, not by --max-time) after exactly 50 parts.
        #expect(read("first.mjpeg").components(separatedBy: "Content-Type: image/jpeg").count - 1 == 50)
        #expect(read("refused.code") == "403")
        #expect(read("refused.txt").contains("Invalid token"), "\(read("refused.txt"))")
        #expect(read("second.mjpeg").contains("Content-Type: image/jpeg"), "the new token streams")
        let report = read("report.json")
        #expect(report.contains("\"ended\" : \"fault\""), "\(report)")
        #expect(report.contains("rejectStreamToken after 50 frames (admin)"), "\(report)")
    }

    @Test func aStreamAlreadyOpenWhenTheStepFiresIsCutAfterNMoreFrames() async throws {
        try RunCommandTests.requireCurl()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenario = folder + "/open-stream.yaml"
        try """
        name: open-stream-token
        duration: 20s
        timeline:
          - id: reject
            at: 3s
            auth: { rejectStreamToken: { afterFrames: 10 } }
        expect:
          - name: the open stream is cut
            streams: { path: /axis-cgi/mjpg/video.cgi, fault: "rejectStreamToken after 10 frames (admin)" }
        """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let client = try RunCommandTests.script(
            """
            \(RunCommandTests.loginFunction)
            token=$(login)
            start=$(date +%s)
            curl -sS --max-time 15 -o "\(folder)/stream.mjpeg" "$DECOY_URL/axis-cgi/mjpg/video.cgi?resolution=160x120&token=$token"
            echo $(( $(date +%s) - start )) > "\(folder)/seconds"
            curl -sS -o /dev/null -w '%{http_code}' "$DECOY_URL/api/v1/get_cam_list?token=$token" > "\(folder)/refused.code"
            """, in: folder)
        let result = try await RunCommandTests.run(
            ["run", scenario, "--report", folder + "/report.json", "--", client], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let read = { (name: String) in (try? String(contentsOfFile: folder + "/" + name, encoding: .isoLatin1)) ?? "" }
        let parts = read("stream.mjpeg").components(separatedBy: "Content-Type: image/jpeg").count - 1
        // Streaming for about 3 s at 15 fps before the step, then 10 more: well past 10, and the
        // server ended it (curl was not stopped by its 15 s limit).
        #expect(parts > 10, "\(parts) parts")
        #expect(Int(read("seconds").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 99 < 14)
        #expect(read("refused.code") == "403")
        #expect(read("report.json").contains("\"ended\" : \"fault\""))
    }

    @Test func aClientThatKeepsItsOldTokenFails() async throws {
        try RunCommandTests.requireCurl()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            """
            \(RunCommandTests.loginFunction)
            token=$(login)
            for i in 1 2 3; do
              curl -sS --max-time 30 -o /dev/null "$DECOY_URL/axis-cgi/mjpg/video.cgi?resolution=160x120&token=$token"
            done
            """, in: folder)
        let result = try await RunCommandTests.run(
            ["run", Self.scenario, "--junit", folder + "/junit.xml", "--", client], in: folder)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("FAIL  logs in again and streams with the new token"), "\(result.stdout)")
        #expect(result.stdout.contains("PASS  streams with a token"), "\(result.stdout)")
    }
}
