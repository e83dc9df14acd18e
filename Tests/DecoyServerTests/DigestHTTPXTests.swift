import DecoyCore
import Foundation
import Testing

@testable import DecoyTestSupport

/// httpx (the HTTP client of Home Assistant's Axis integration, in the test venv) with Digest:
/// with `authChallenge: both` it must pick a Digest field (the reason for separate
/// fields), and after the nonce expires its retry on `stale=true` must succeed without new
/// credentials.
@Suite(
    "httpx authenticates with Digest",
    .enabled("needs .venv-axis (Tools/setup.sh --axis-venv), which brings httpx") { AxisVenv.ready })
struct DigestHTTPXTests {
    /// Three requests, then (once the test has moved the server's clock past the nonce's life,
    /// signalled through files in `folder`) one more on the same client.
    static let client = """
        import json, os, sys, time
        import httpx
        base, folder = sys.argv[1], sys.argv[2]
        auth = httpx.DigestAuth("admin", "admin")
        statuses = []
        with httpx.Client(auth=auth, timeout=30) as client:
            for path in ["/api/v1/get_status", "/api/v1/get_cam_list", "/axis-cgi/jpg/image.cgi?resolution=160x120"]:
                statuses.append(client.get(base + path).status_code)
            open(os.path.join(folder, "asked"), "w").close()
            for _ in range(600):
                if os.path.exists(os.path.join(folder, "expired")):
                    break
                time.sleep(0.05)
            statuses.append(client.get(base + "/api/v1/get_status").status_code)
        print(json.dumps({"statuses": statuses}))
        """

    @Test("SHA-256 Digest on several paths, and a stale-nonce retry", arguments: [AuthChallenge.both, .digest])
    func digest(mode: AuthChallenge) async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The server's clock stands still (its timers keep real time): nonces age only when moved.
        let clock = ManualClock()
        try await withServer(clock: clock, { $0.server.authChallenge = mode }) { server in
            let ttl = Int64(server.runtime.services.config.server.digestNonceTTLSeconds) * 1000
            let asked = folder + "/asked"
            let client = Task {
                try await ChildProcess.run(
                    AxisVenv.python, ["-c", Self.client, "http://127.0.0.1:\(server.port)", folder],
                    timeout: .seconds(60))
            }
            #expect(try await poll(timeout: .seconds(30)) { FileManager.default.fileExists(atPath: asked) })
            clock.advance(by: ttl + 1000)
            _ = FileManager.default.createFile(atPath: folder + "/expired", contents: nil)
            let result = try await client.value
            #expect(result.status == 0, "\(result.stderrText)")
            let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
            #expect(object?["statuses"] as? [Int] == [200, 200, 200, 200], "\(result.stdoutText)")
            let log = server.runtime.services.logs.access.text
            #expect(log.contains("admin \"GET /api/v1/get_status\" 200"), "\(log)")
            #expect(log.contains(" 401 "), "the stale nonce was challenged again: \(log)")
        }
    }
}
