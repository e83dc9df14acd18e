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
    static let client = """
        import asyncio, json, sys, time
        import httpx
        base, ttl = sys.argv[1], float(sys.argv[2])
        auth = httpx.DigestAuth("admin", "admin")
        statuses = []
        with httpx.Client(auth=auth, timeout=30) as client:
            for path in ["/api/v1/get_status", "/api/v1/get_cam_list", "/axis-cgi/jpg/image.cgi?resolution=160x120"]:
                statuses.append(client.get(base + path).status_code)
            time.sleep(ttl + 0.5)
            statuses.append(client.get(base + "/api/v1/get_status").status_code)
        print(json.dumps({"statuses": statuses}))
        """

    @Test("SHA-256 Digest on several paths, and a stale-nonce retry", arguments: [AuthChallenge.both, .digest])
    func digest(mode: AuthChallenge) async throws {
        try await withServer({
            $0.server.authChallenge = mode
            // Long enough that a loaded machine answers a challenge within it, short enough to expire.
            $0.server.digestNonceTTLSeconds = 8
        }) { server in
            let result = try await ChildProcess.run(
                AxisVenv.python, ["-c", Self.client, "http://127.0.0.1:\(server.port)", "8"], timeout: .seconds(60))
            #expect(result.status == 0, "\(result.stderrText)")
            let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
            #expect(object?["statuses"] as? [Int] == [200, 200, 200, 200], "\(result.stdoutText)")
            let log = server.runtime.services.logs.access.text
            #expect(log.contains("admin \"GET /api/v1/get_status\" 200"), "\(log)")
            #expect(log.contains(" 401 "), "the stale nonce was challenged again: \(log)")
        }
    }
}
