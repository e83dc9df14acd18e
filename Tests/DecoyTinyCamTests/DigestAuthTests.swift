import DecoyCore
import DecoyTinyCam
import Testing

private func challenging(_ mode: AuthChallenge, realm: String = "tinyCam") -> DecoyConfig {
    DecoyConfig.testDefault.with {
        $0.server.authChallenge = mode
        $0.server.realm = realm
    }
}

@Suite("Digest authentication (RFC 7616)")
struct DigestAuthTests {
    @Test("each authChallenge value sends its fields, in the order Basic, Digest SHA-256, Digest MD5")
    func challenges() async throws {
        for (mode, schemes) in [
            (AuthChallenge.basic, ["Basic realm=\"tinyCam\""]), (.digest, ["Digest", "Digest"]),
            (.both, ["Basic realm=\"tinyCam\"", "Digest", "Digest"]),
        ] {
            try await withHarness(challenging(mode)) { harness in
                let response = await harness.send("/api/v1/get_cam_list")
                #expect(response.code == 401)
                #expect(response.text == "HTTP 401. Unauthorized.")
                let fields = response.headers.filter { $0.name == "WWW-Authenticate" }.map(\.value)
                #expect(fields.count == schemes.count, "\(mode): \(fields)")
                for (field, scheme) in zip(fields, schemes) { #expect(field.hasPrefix(scheme), "\(field)") }
                let digests = fields.filter { $0.hasPrefix("Digest") }
                if !digests.isEmpty {
                    #expect(digests[0].hasPrefix("Digest realm=\"tinyCam\", qop=\"auth\", algorithm=SHA-256, nonce=\""))
                    #expect(digests[1].hasPrefix("Digest realm=\"tinyCam\", qop=\"auth\", algorithm=MD5, nonce=\""))
                    let nonces = digests.compactMap(DigestClient.nonce(in:))
                    #expect(nonces.count == 2 && nonces[0] != nonces[1] && nonces.allSatisfy { $0.count >= 32 })
                    #expect(!digests.contains { $0.contains("stale") })
                }
            }
        }
    }

    @Test(
        "MD5 and SHA-256 answers to a challenge authenticate, with the user's role",
        arguments: [
            DigestAuthority.Algorithm.md5, .sha256,
        ])
    func answers(algorithm: DigestAuthority.Algorithm) async throws {
        try await withHarness(challenging(.both, realm: "AXIS_00408C1234AB")) { harness in
            let challenge = await harness.send("/api/v1/get_status")
            let field = try #require(
                challenge.headers.first { $0.value.contains("algorithm=\(algorithm.rawValue),") }?.value)
            let nonce = try #require(DigestClient.nonce(in: field))
            var client = DigestClient(user: "admin", password: "admin", algorithm: algorithm)
            client.realm = "AXIS_00408C1234AB"
            let ok = await harness.send("/api/v1/get_status", digest: client, nonce: nonce, count: 1)
            #expect(ok.code == 200, "\(ok.text)")
            // The next request on the same nonce counts up.
            let again = await harness.send("/api/v1/get_cam_list", digest: client, nonce: nonce, count: 2)
            #expect(again.code == 200)
            var guest = DigestClient(user: "guest", password: "guest", algorithm: algorithm)
            guest.realm = "AXIS_00408C1234AB"
            let denied = await harness.send("/api/v1/get_status", digest: guest, nonce: nonce, count: 3)
            #expect(denied.code == 403 && denied.text == "HTTP 403. Access denied.")
        }
    }

    @Test("an expired nonce gets stale=true and the client's retry with the new nonce succeeds")
    func staleNonce() async throws {
        try await withHarness(challenging(.digest).with { $0.server.digestNonceTTLSeconds = 300 }) { harness in
            let client = DigestClient(user: "admin", password: "admin", algorithm: .sha256)
            let old = harness.services.authenticator.digest.issueNonce()
            harness.clock.advance(by: 301_000)
            let stale = await harness.send("/api/v1/get_status", digest: client, nonce: old, count: 1)
            #expect(stale.code == 401)
            let fields = stale.headers.filter { $0.name == "WWW-Authenticate" }.map(\.value)
            #expect(fields.count == 2 && fields.allSatisfy { $0.hasSuffix(", stale=true") }, "\(fields)")
            let fresh = try #require(DigestClient.nonce(in: fields[0]))
            let retry = await harness.send("/api/v1/get_status", digest: client, nonce: fresh, count: 1)
            #expect(retry.code == 200)
        }
    }

    @Test("a replayed nc, a wrong password, another uri or a forged realm get 401 with stale=false")
    func refused() async throws {
        try await withHarness(challenging(.digest)) { harness in
            let nonce = harness.services.authenticator.digest.issueNonce()
            let client = DigestClient(user: "admin", password: "admin", algorithm: .md5)
            let target = "/api/v1/get_status"
            let first = client.authorization(method: "GET", target: target, nonce: nonce, count: 5)
            #expect(await harness.send(target, headers: [("Authorization", first)]).code == 200)
            var forgedRealm = client
            forgedRealm.realm = "other"
            for header in [
                first, client.authorization(method: "GET", target: target, nonce: nonce, count: 4),
                DigestClient(user: "admin", password: "wrong", algorithm: .md5)
                    .authorization(method: "GET", target: target, nonce: nonce, count: 9),
                client.authorization(
                    method: "GET", target: target, nonce: nonce, count: 10, uri: "/api/v1/get_cam_list"),
                forgedRealm.authorization(method: "GET", target: target, nonce: nonce, count: 11),
                "Digest username=\"admin\"", "Digest ", "Digest username=\"admin, nonce=x",
            ] {
                let response = await harness.send(target, headers: [("Authorization", header)])
                #expect(response.code == 401, "\(header)")
                #expect(!response.headers.contains { $0.value.contains("stale=true") }, "\(header)")
            }
        }
    }

    @Test("the realm and challenge are configured and checked by decoy check")
    func configuration() throws {
        let config = try ConfigLoader.parse(
            "server: { authChallenge: both, realm: AXIS_00408C1234AB, digestNonceTTL: 60 }\n", file: "a.yaml")
        #expect(config.server.authChallenge == .both)
        #expect(config.server.realm == "AXIS_00408C1234AB" && config.server.digestNonceTTLSeconds == 60)
        #expect(throws: ConfigError.self) {
            try ConfigLoader.parse("server: { authChallenge: ntlm }\n", file: "b.yaml")
        }
        #expect(throws: ConfigError.self) { try ConfigLoader.parse("server: { realm: 'a\"b' }\n", file: "c.yaml") }
    }
}

extension Harness {
    /// Sends a GET of `target` with `client`'s Digest answer for `nonce` and `count`.
    fileprivate func send(
        _ target: String, digest client: DigestClient, nonce: String, count: Int
    ) async
        -> TinyCamResponse
    {
        await send(
            target,
            headers: [
                ("Authorization", client.authorization(method: "GET", target: target, nonce: nonce, count: count))
            ])
    }
}
