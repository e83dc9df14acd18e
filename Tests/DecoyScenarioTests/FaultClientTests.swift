import Foundation
import Testing

@testable import DecoyTestSupport

/// Real clients meet the byte- and frame-level faults through `decoy run`: curl sees the reset
/// (exit 56) and the early close (exit 18), the latency and the bandwidth cap are measured
/// (lower bounds only), ffmpeg reports the cut JPEGs of corrupt-stream.
@Suite(.serialized) struct FaultClientTests {
    static let corruptStream = packageRoot + "/Scenarios/corrupt-stream.yaml"

    static func requireFFmpeg() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        guard
            path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/ffmpeg") })
        else { throw RunCommandTests.Missing(description: "ffmpeg is not in PATH; Tools/setup.sh --test installs it") }
    }

    /// `key value…` lines the client wrote.
    static func lines(_ path: String) throws -> [String: [String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if let key = words.first { result[key] = Array(words.dropFirst()) }
        }
        return result
    }

    @Test func corruptStreamValidates() async throws {
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await RunCommandTests.run(["run", "--check", Self.corruptStream], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("OK: scenario corrupt-stream"), "\(result.stdout)")
    }

    @Test func ffmpegReportsTheCutJPEGsAndAReconnectingClientPasses() async throws {
        try RunCommandTests.requireCurl()
        try Self.requireFFmpeg()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            """
            set +e
            host="${DECOY_URL#http://}"
            ffmpeg -nostdin -v warning -i "http://$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD@$host/axis-cgi/mjpg/video.cgi?camera=1&resolution=320x240" \\
              -frames:v 5 -f null - 2> "\(folder)/ffmpeg.txt"
            for i in 1 2; do
              curl -sS -o /dev/null -u "$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD" \\
                "$DECOY_URL/axis-cgi/mjpg/video.cgi?camera=1&resolution=320x240"
            done
            """, in: folder)
        let result = try await RunCommandTests.run(
            [
                "run", Self.corruptStream, "--report", folder + "/report.json", "--junit", folder + "/junit.xml", "--",
                client,
            ],
            in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let ffmpeg = try String(contentsOfFile: folder + "/ffmpeg.txt", encoding: .utf8)
        #expect(ffmpeg.contains("EOI missing"), "ffmpeg sees the truncated JPEGs: \(ffmpeg)")
        let report = try String(contentsOfFile: folder + "/report.json", encoding: .utf8)
        #expect(report.contains("\"ended\" : \"fault\""), "a stream closed by closeAfterFrames is journaled: \(report)")
        #expect(report.contains("\"framesSent\" : 25"), "\(report)")
        #expect(report.contains("\"ended\" : \"clientClosed\""), "ffmpeg's own stream ended by the client")
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("failures=\"0\""), "\(junit)")
    }

    /// The same scenario and the same ffmpeg, but a client that never comes back after its stream:
    /// the run fails (exit 1) on the reconnection expectation, and the JUnit file says which.
    @Test func aClientThatDoesNotReconnectFailsCorruptStream() async throws {
        try Self.requireFFmpeg()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let client = try RunCommandTests.script(
            """
            host="${DECOY_URL#http://}"
            ffmpeg -nostdin -v warning -i "http://$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD@$host/axis-cgi/mjpg/video.cgi?camera=1&resolution=320x240" \\
              -frames:v 5 -f null - 2> "\(folder)/ffmpeg.txt" || true
            """, in: folder)
        let result = try await RunCommandTests.run(
            ["run", Self.corruptStream, "--junit", folder + "/junit.xml", "--", client], in: folder)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("FAIL  reconnects after a short stream"), "\(result.stdout)")
        #expect(result.stdout.contains("PASS  watched the cut pictures"), "\(result.stdout)")
        let ffmpeg = try String(contentsOfFile: folder + "/ffmpeg.txt", encoding: .utf8)
        #expect(ffmpeg.contains("EOI missing"), "ffmpeg saw the truncated JPEGs: \(ffmpeg)")
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        let testcase = try #require(junit.range(of: "<testcase name=\"reconnects after a short stream\""), "\(junit)")
        #expect(junit[testcase.upperBound...].prefix(400).contains("<failure message="), "\(junit)")
    }

    @Test func ffmpegReportsCorruptEntropyData() async throws {
        try Self.requireFFmpeg()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenario = folder + "/corrupt.yaml"
        try """
        name: corrupt-entropy
        duration: 20s
        rules:
          - { match: { path: /axis-cgi/mjpg/video.cgi }, media: corruptEntropy }
        """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let client = try RunCommandTests.script(
            """
            host="${DECOY_URL#http://}"
            ffmpeg -nostdin -v warning -i "http://$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD@$host/axis-cgi/mjpg/video.cgi?camera=1&resolution=320x240" \\
              -frames:v 5 -f null - 2> "\(folder)/ffmpeg.txt"
            """, in: folder)
        let result = try await RunCommandTests.run(["run", scenario, "--", client], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let ffmpeg = try String(contentsOfFile: folder + "/ffmpeg.txt", encoding: .utf8)
        #expect(ffmpeg.contains("error count"), "ffmpeg reports the damaged entropy data: \(ffmpeg)")
        #expect(!ffmpeg.contains("EOI missing"), "the markers are intact: \(ffmpeg)")
    }

    @Test func curlSeesTheResetTheEarlyCloseTheLatencyAndTheBandwidth() async throws {
        try RunCommandTests.requireCurl()
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenario = folder + "/network.yaml"
        try """
        name: network-faults
        duration: 40s
        rules:
          - { name: rst, match: { path: /api/v1/get_cam_list }, reset: true }
          - { match: { path: /api/v1/get_status }, closeAfterBytes: 200 }
          - { match: { path: /api/v1/get_cam_event_list }, latency: 1500ms }
          - { match: { path: /axis-cgi/jpg/image.cgi }, bandwidth: 20KB/s }
        expect:
          - name: met the reset
            request: { path: /api/v1/get_cam_list, fault: "reset (rst)" }
        """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let out = folder + "/out"
        let auth = "-u \"$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD\""
        let client = try RunCommandTests.script(
            """
            set +e
            curl -sS -o /dev/null \(auth) "$DECOY_URL/api/v1/get_cam_list" 2> /dev/null; echo "reset $?" >> \(out)
            curl -sS -o /dev/null \(auth) "$DECOY_URL/api/v1/get_status" 2> /dev/null; echo "close $?" >> \(out)
            t=$(curl -sS -o /dev/null -w '%{time_total}' \(auth) "$DECOY_URL/api/v1/get_cam_event_list")
            echo "latency $? $t" >> \(out)
            t=$(curl -sS -o /dev/null -w '%{size_download} %{time_total}' \(auth) \\
              "$DECOY_URL/axis-cgi/jpg/image.cgi?camera=1&resolution=640x360&compression=0")
            echo "bandwidth $? $t" >> \(out)
            """, in: folder)
        let result = try await RunCommandTests.run(["run", scenario, "--", client], in: folder)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let lines = try Self.lines(out)
        #expect(lines["reset"] == ["56"], "curl: connection reset (56): \(lines)")
        #expect(lines["close"] == ["18"], "curl: transfer closed with data outstanding (18): \(lines)")
        let latency = try #require(lines["latency"])
        #expect(latency.first == "0")
        #expect(Double(latency.last ?? "") ?? 0 >= 1.5, "the answer came at least 1.5 s late: \(latency)")
        let bandwidth = try #require(lines["bandwidth"])
        #expect(bandwidth.first == "0", "\(bandwidth)")
        let size = Double(bandwidth.dropFirst().first ?? "") ?? 0
        let seconds = Double(bandwidth.last ?? "") ?? 0
        // 20 000 B/s, less the first 1000-byte slice that goes at once: a lower bound.
        #expect(size > 5000 && seconds >= (size - 1000) / 20_000, "\(size) bytes in \(seconds) s")
    }
}
