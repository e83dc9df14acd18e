import Foundation
import Testing

@testable import DecoyTestSupport

/// `decoy run` starts the control API and hands its URL to the client: a shell client adds a
/// fault through $DECOY_CONTROL_URL, sees it on the tinyCam port, and reads the journal back.
@Suite(.serialized) struct RunControlTests {
    static func decoy() throws -> String { try DecoyBinary.path() }

    @Test func theClientDrivesTheControlAPIThroughItsURL() async throws {
        let folder = NSTemporaryDirectory() + "decoy-run-control-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
        name: control-from-client
        duration: 30s
        expect:
          - name: saw the injected 503
            request: { path: /api/v1/get_cam_list, status: 503 }
            atLeast: 1
        """.write(toFile: folder + "/scenario.yaml", atomically: true, encoding: .utf8)
        let client = folder + "/client.sh"
        try """
        #!/bin/sh
        set -e
        case "$DECOY_CONTROL_URL" in http://127.0.0.1:*[0-9]) ;; *) echo "bad DECOY_CONTROL_URL $DECOY_CONTROL_URL"; exit 3;; esac
        curl -fsS "$DECOY_CONTROL_URL/healthz" > /dev/null
        curl -fsS -X POST --data '{"match": {"path": "/api/v1/get_cam_list"}, "status": 503}' "$DECOY_CONTROL_URL/rules" > /dev/null
        code=$(curl -s -o /dev/null -w '%{http_code}' -u "$DECOY_ADMIN_USER:$DECOY_ADMIN_PASSWORD" "$DECOY_URL/api/v1/get_cam_list")
        test "$code" = 503 || { echo "tinyCam answered $code"; exit 4; }
        curl -fsS "$DECOY_CONTROL_URL/journal?path=/api/v1/get_cam_list&status=503" | grep -q '"count" : 1' || exit 5
        curl -fsS "$DECOY_CONTROL_URL/metrics" | grep -q 'decoy_http_requests_total' || exit 6
        """.write(toFile: client, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: client)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.decoy())
        process.arguments = ["run", folder + "/scenario.yaml", "--junit", folder + "/junit.xml", "--", client]
        process.standardInput = FileHandle.nullDevice
        let out = folder + "/stdout"
        let err = folder + "/stderr"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        // Waited for on a thread of its own: a pool thread blocked for the whole run would starve the
        // in-process servers of the suites running beside this one.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                for _ in 0..<600 where process.isRunning { usleep(100_000) }
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
                continuation.resume()
            }.start()
        }
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(stdout)\n\(stderr)")
        #expect(stderr.contains("control API on http://127.0.0.1:"), "decoy run says where it listens: \(stderr)")
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("failures=\"0\""), "\(junit)")
    }
}
