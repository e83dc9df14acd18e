import DecoyCore
import DecoyTinyCam
import Foundation
import Testing

/// The role `wire-reference.md` §12 gives each endpoint (including ones Decoy may not serve yet),
/// and the status an authorised request without parameters gets (nil = only "not 401/403" is checked).
private let specifiedAccess: [String: (role: Role, statusWithoutParameters: Int?)] = [
    "/api/v1/login": (.guest, 200),
    "/api/v1/logout": (.guest, 200),
    "/api/v1/get_cam_list": (.guest, 200),
    "/api/v1/get_cam_event_list": (.guest, nil),
    "/api/v1/get_file": (.guest, nil),
    "/axis-cgi/mjpg/video.cgi": (.guest, 200),
    "/axis-cgi/jpg/image.cgi": (.guest, 200),
    "/api/v1/get_status": (.admin, 200),
    "/axis-cgi/audio/receive.wav": (.admin, nil),
    "/axis-cgi/com/ptz.cgi": (.admin, 400),
    "/axis-cgi/io/lightcontrol.cgi": (.admin, 400),
    "/param.cgi": (.admin, 400),
    "/axis-cgi/admin/restart.cgi": (.admin, 200),
    "/axis-cgi/motion/createmotion.cgi": (.admin, nil),
    "/api/v1/get_ip_addresses": (.admin, 200),
    "/axis-cgi/admin/applog.cgi": (.admin, 200),
    "/axis-cgi/admin/accesslog.cgi": (.admin, 200),
    "/axis-cgi/admin/eventlog.cgi": (.admin, 200),
    "/axis-cgi/admin/watchdoglog.cgi": (.admin, 200),
    "/axis-cgi/admin/crashlog.cgi": (.admin, 200),
    "/axis-cgi/admin/clearapplog.cgi": (.admin, 200),
    "/axis-cgi/admin/clearalllog.cgi": (.admin, 200),
]

/// Who sends a request in the auth matrix.
enum Who: String, CaseIterable, Sendable {
    case nobody, wrongPassword, unknownUser, guest, admin, loggedOutToken
}

/// How the credentials travel.
enum Scheme: String, CaseIterable, Sendable {
    case basic, query, token, digest
}

/// One cell of the auth matrix.
struct AuthCase: Sendable, CustomTestStringConvertible {
    let who: Who
    let scheme: Scheme

    var testDescription: String { "\(who.rawValue) via \(scheme.rawValue)" }

    static let all: [AuthCase] =
        Who.allCases.flatMap { who in
            who == .nobody || who == .loggedOutToken
                ? [AuthCase(who: who, scheme: .token)] : Scheme.allCases.map { AuthCase(who: who, scheme: $0) }
        }
}

/// What the matrix expects.
private enum Outcome: Equatable {
    case challenge
    case forbidden(String)
    case authorised
}

private let invalidCredentials = "HTTP 403. Invalid user name or password."
private let invalidToken = "HTTP 403. Invalid token."
private let accessDenied = "HTTP 403. Access denied."

/// Sends `path` as `who` via `scheme`; tokens are fresh for every request (logout revokes them).
private func send(_ path: String, _ cell: AuthCase, harness: Harness) async -> TinyCamResponse {
    func credentials(_ user: String, _ password: String, role: Role) async -> TinyCamResponse {
        switch cell.scheme {
        case .basic: return await harness.send(path, basic: user, password)
        case .digest:
            let nonce = harness.services.authenticator.digest.issueNonce()
            let header = DigestClient(user: user, password: password, algorithm: .sha256)
                .authorization(method: "GET", target: path, nonce: nonce, count: 1)
            return await harness.send(path, headers: [("Authorization", header)])
        case .query: return await harness.send("\(path)?user=\(user)&pwd=\(password)")
        case .token:
            // An unknown or wrong user never gets a token: a random one stands for it.
            let token =
                harness.services.config.users.contains { $0.name == user && $0.password == password }
                ? harness.token(for: user, role: role) : "0123456789abcdef0123456789abcdef01234567"
            return await harness.send("\(path)?token=\(token)")
        }
    }
    switch cell.who {
    case .nobody: return await harness.send(path)
    case .wrongPassword: return await credentials("admin", "wrong", role: .admin)
    case .unknownUser: return await credentials("mallory", "admin", role: .admin)
    case .guest: return await credentials("guest", "guest", role: .guest)
    case .admin: return await credentials("admin", "admin", role: .admin)
    case .loggedOutToken:
        let login = await harness.send("/api/v1/login?user=admin&pwd=admin")
        let token = login.json?["data"]?["token"]?.string ?? "missing"
        let logout = await harness.send("/api/v1/logout?token=\(token)")
        #expect(logout.code == 200)
        return await harness.send("\(path)?token=\(token)")
    }
}

private func expectedOutcome(_ cell: AuthCase, role: Role) -> Outcome {
    switch (cell.who, cell.scheme) {
    case (.nobody, _), (.wrongPassword, .basic), (.unknownUser, .basic), (.wrongPassword, .digest),
        (.unknownUser, .digest):
        .challenge
    case (.wrongPassword, .query), (.unknownUser, .query): .forbidden(invalidCredentials)
    case (.wrongPassword, .token), (.unknownUser, .token), (.loggedOutToken, _): .forbidden(invalidToken)
    case (.guest, _): role == .admin ? .forbidden(accessDenied) : .authorised
    case (.admin, _): .authorised
    }
}

@Suite("Authentication and access")
struct AuthTests {
    @Test("every served path needs the role wire-reference §12 gives it")
    func accessTableMatchesSpecification() async throws {
        try await withHarness { harness in
            let table = harness.api.accessTable
            #expect(table.count >= 17)
            for (path, role) in table {
                let specified = specifiedAccess[path]
                #expect(specified != nil, "\(path) is served but has no role in §12")
                #expect(specified?.role == role, "\(path)")
            }
            for path in specifiedAccess.keys where specifiedAccess[path]?.statusWithoutParameters != nil {
                #expect(table.contains { $0.path == path }, "\(path) is not served")
            }
        }
    }

    @Test("the auth matrix: every path, every credential case", arguments: AuthCase.all)
    func matrix(_ cell: AuthCase) async throws {
        try await withHarness { harness in
            for (path, _) in harness.api.accessTable {
                let role = try #require(specifiedAccess[path]?.role, "\(path)")
                let response = await send(path, cell, harness: harness)
                switch expectedOutcome(cell, role: role) {
                case .challenge:
                    #expect(response.code == 401, "\(path)")
                    #expect(response.header("WWW-Authenticate") == "Basic realm=\"tinyCam\"", "\(path)")
                    #expect(response.text == "HTTP 401. Unauthorized.", "\(path)")
                case .forbidden(let body):
                    #expect(response.code == 403, "\(path)")
                    #expect(response.text == body, "\(path)")
                    #expect(response.header("Content-Type") == "text/plain; charset=utf-8", "\(path)")
                    #expect(response.header("WWW-Authenticate") == nil, "\(path)")
                case .authorised:
                    #expect(response.code != 401 && response.code != 403, "\(path): \(response.code) \(response.text)")
                    if let status = specifiedAccess[path]?.statusWithoutParameters {
                        #expect(response.code == status, "\(path): \(response.text)")
                    }
                }
            }
        }
    }

    @Test("a valid token wins over wrong user/pwd and a wrong Basic header")
    func tokenWins() async throws {
        try await withHarness { harness in
            let token = harness.token()
            let response = await harness.send(
                "/api/v1/get_status?token=\(token)&user=admin&pwd=wrong",
                headers: [("Authorization", basicHeader("admin", "wrong"))])
            #expect(response.code == 200)
        }
    }

    @Test("an invalid token is rejected even with valid user/pwd or Basic credentials")
    func invalidTokenIsNeverSkipped() async throws {
        try await withHarness { harness in
            let withQuery = await harness.send("/api/v1/get_cam_list?token=deadbeef&user=admin&pwd=admin")
            #expect(withQuery.code == 403)
            #expect(withQuery.text == invalidToken)
            let withBasic = await harness.send(
                "/api/v1/get_cam_list?token=deadbeef", headers: [("Authorization", basicHeader("admin", "admin"))])
            #expect(withBasic.code == 403)
            #expect(withBasic.text == invalidToken)
        }
    }

    @Test("user/pwd in the query win over Basic, and wrong ones are not skipped")
    func queryBeforeBasic() async throws {
        try await withHarness { harness in
            let good = await harness.send(
                "/api/v1/get_status?user=admin&pwd=admin", headers: [("Authorization", basicHeader("x", "y"))])
            #expect(good.code == 200)
            let bad = await harness.send(
                "/api/v1/get_status?user=admin&pwd=nope", headers: [("Authorization", basicHeader("admin", "admin"))])
            #expect(bad.code == 403)
            #expect(bad.text == invalidCredentials)
            // The role is the query user's: guest in the query, admin in Basic → guest.
            let guest = await harness.send(
                "/api/v1/get_status?user=guest&pwd=guest", headers: [("Authorization", basicHeader("admin", "admin"))])
            #expect(guest.code == 403)
            #expect(guest.text == accessDenied)
        }
    }

    @Test("pwd alone or user alone counts as query credentials")
    func partialQueryCredentials() async throws {
        try await withHarness { harness in
            let onlyPassword = await harness.send("/api/v1/get_cam_list?pwd=admin")
            #expect(onlyPassword.code == 403)
            #expect(onlyPassword.text == invalidCredentials)
            let onlyUser = await harness.send("/api/v1/get_cam_list?user=admin")
            #expect(onlyUser.code == 403)
            #expect(onlyUser.text == invalidCredentials)
        }
    }

    @Test("malformed Basic headers are challenged again")
    func malformedBasic() async throws {
        try await withHarness { harness in
            for header in ["Basic", "Basic !!!", "Bearer abc", "Basic " + "no-colon".utf8.base64, "Digest x=1"] {
                let response = await harness.send("/api/v1/get_cam_list", headers: [("Authorization", header)])
                #expect(response.code == 401, "\(header)")
                #expect(response.header("WWW-Authenticate") == "Basic realm=\"tinyCam\"")
            }
            let lowercase = await harness.send(
                "/api/v1/get_cam_list", headers: [("authorization", "basic " + "admin:admin".utf8.base64)])
            #expect(lowercase.code == 200)
            let colonInPassword = await harness.send(
                "/api/v1/get_cam_list", headers: [("Authorization", basicHeader("guest", "guest:extra"))])
            #expect(colonInPassword.code == 401)
        }
    }

    @Test("a user with an empty password logs in with pwd= and with no pwd at all")
    func emptyPassword() async throws {
        let config = DecoyConfig.testDefault.with {
            $0.users.append(UserConfig(name: "kiosk", password: "", role: .admin))
        }
        try await withHarness(config) { harness in
            #expect(await harness.send("/api/v1/get_status?user=kiosk&pwd=").code == 200)
            #expect(await harness.send("/api/v1/get_status?user=kiosk").code == 200)
            #expect(await harness.send("/api/v1/get_status", basic: "kiosk", "").code == 200)
            let wrong = await harness.send("/api/v1/get_status?user=kiosk&pwd=x")
            #expect(wrong.code == 403)
            #expect(wrong.text == invalidCredentials)
            let login = await harness.send("/api/v1/login?user=kiosk&pwd=")
            #expect(login.json?["data"]?["access"]?.string == "admin")
        }
    }

    @Test("user names and passwords are percent-decoded, + is a space")
    func encodedCredentials() async throws {
        let config = DecoyConfig.testDefault.with {
            $0.users.append(UserConfig(name: "me@home", password: "a b&c+d%", role: .guest))
        }
        try await withHarness(config) { harness in
            #expect(await harness.send("/api/v1/get_cam_list?user=me%40home&pwd=a+b%26c%2Bd%25").code == 200)
            #expect(await harness.send("/api/v1/get_cam_list?user=me@home&pwd=a%20b%26c%2Bd%25").code == 200)
            #expect(await harness.send("/api/v1/get_cam_list?user=me%40home&pwd=a+b%26c+d%25").code == 403)
        }
    }

    @Test("legacy mode answers 403 errors with status 200 and the same body; 401 is unchanged")
    func legacyStatus200() async throws {
        let config = DecoyConfig.testDefault.with { $0.server.legacyErrorStatus200 = true }
        try await withHarness(config) { harness in
            let credentials = await harness.send("/api/v1/login?user=admin&pwd=nope")
            #expect(credentials.code == 200)
            #expect(credentials.text == invalidCredentials)
            let token = await harness.send("/api/v1/get_cam_list?token=abc")
            #expect(token.code == 200)
            #expect(token.text == invalidToken)
            let denied = await harness.send("/api/v1/get_status?user=guest&pwd=guest")
            #expect(denied.code == 200)
            #expect(denied.text == accessDenied)
            let challenge = await harness.send("/api/v1/get_cam_list")
            #expect(challenge.code == 401)
            #expect(challenge.header("WWW-Authenticate") == "Basic realm=\"tinyCam\"")
            let wrongBasic = await harness.send("/api/v1/get_cam_list", basic: "admin", "nope")
            #expect(wrongBasic.code == 401)
            // Other errors keep their status.
            #expect(await harness.send("/api/v1/get_status?user=admin&pwd=admin&cameraId=x").code == 400)
        }
    }

    @Test("with a time to live, a token is valid before it expires and rejected after")
    func tokenTimeToLive() async throws {
        let config = DecoyConfig.testDefault.with { $0.server.tokenTTLSeconds = 60 }
        try await withHarness(config) { harness in
            let login = await harness.send("/api/v1/login?user=admin&pwd=admin")
            let token = try #require(login.json?["data"]?["token"]?.string)
            harness.clock.advance(by: 59_000)
            #expect(await harness.send("/api/v1/get_status?token=\(token)").code == 200)
            harness.clock.advance(by: 2000)
            let expired = await harness.send("/api/v1/get_status?token=\(token)")
            #expect(expired.code == 403)
            #expect(expired.text == invalidToken)
            // A new login gives a new, valid token.
            let again = await harness.send("/api/v1/login?user=admin&pwd=admin")
            let fresh = try #require(again.json?["data"]?["token"]?.string)
            #expect(await harness.send("/api/v1/get_status?token=\(fresh)").code == 200)
        }
    }

    @Test("without a time to live tokens do not expire")
    func tokensLiveLong() async throws {
        try await withHarness { harness in
            let token = harness.token()
            harness.clock.advance(by: 400 * 86_400_000)
            #expect(await harness.send("/api/v1/get_status?token=\(token)").code == 200)
        }
    }

    @Test("at most maxTokens tokens are kept; the oldest is forgotten")
    func maxTokens() async throws {
        let config = DecoyConfig.testDefault.with { $0.server.maxTokens = 3 }
        try await withHarness(config) { harness in
            var tokens: [String] = []
            for _ in 0..<4 {
                let login = await harness.send("/api/v1/login?user=guest&pwd=guest")
                tokens.append(try #require(login.json?["data"]?["token"]?.string))
                harness.clock.advance(by: 1)
            }
            #expect(harness.services.authenticator.tokens.count == 3)
            let oldest = await harness.send("/api/v1/get_cam_list?token=\(tokens[0])")
            #expect(oldest.code == 403)
            #expect(oldest.text == invalidToken)
            for token in tokens.dropFirst() {
                #expect(await harness.send("/api/v1/get_cam_list?token=\(token)").code == 200)
            }
            for _ in 0..<20 { _ = await harness.send("/api/v1/login?user=guest&pwd=guest") }
            #expect(harness.services.authenticator.tokens.count == 3)
        }
    }

    @Test("tokens are 40 lowercase hex characters and never repeat")
    func tokenFormat() async throws {
        try await withHarness { harness in
            var seen = Set<String>()
            for _ in 0..<200 {
                let login = await harness.send("/api/v1/login?user=admin&pwd=admin")
                let token = try #require(login.json?["data"]?["token"]?.string)
                #expect(token.utf8.count == 40)
                #expect(token.allSatisfy { "0123456789abcdef".contains($0) }, "\(token)")
                seen.insert(token)
            }
            #expect(seen.count == 200)
        }
    }

    @Test("an access override lets a guest read get_status")
    func accessOverride() async throws {
        let config = DecoyConfig.testDefault.with { $0.server.accessOverrides["/api/v1/get_status"] = .guest }
        try await withHarness(config) { harness in
            #expect(harness.api.accessTable.first { $0.path == "/api/v1/get_status" }?.role == .guest)
            #expect(await harness.send("/api/v1/get_status?user=guest&pwd=guest").code == 200)
            // Other admin endpoints stay closed to guests.
            let ptz = await harness.send("/axis-cgi/com/ptz.cgi?move=home&user=guest&pwd=guest")
            #expect(ptz.code == 403)
            #expect(ptz.text == accessDenied)
        }
    }

    @Test("an override can also close a guest endpoint")
    func accessOverrideToAdmin() async throws {
        let config = DecoyConfig.testDefault.with { $0.server.accessOverrides["/api/v1/get_cam_list"] = .admin }
        try await withHarness(config) { harness in
            let guest = await harness.send("/api/v1/get_cam_list?user=guest&pwd=guest")
            #expect(guest.code == 403)
            #expect(guest.text == accessDenied)
            #expect(await harness.send("/api/v1/get_cam_list?user=admin&pwd=admin").code == 200)
        }
    }
}

extension String.UTF8View {
    var base64: String { Data(self).base64EncodedString() }
}
