import DecoyCore
import DecoyMedia
import Foundation
import Testing

/// The diagnostics `ConfigLoader.parse` reports for `yaml` (the test fails when it parses).
private func diagnostics(_ yaml: String, file: String = "decoy.yaml") -> [ConfigDiagnostic] {
    do {
        let config = try ConfigLoader.parse(yaml, file: file)
        Issue.record("expected errors, but the file parsed: \(config)")
        return []
    } catch let error as ConfigError {
        return error.diagnostics
    } catch {
        Issue.record("expected a ConfigError, got \(error)")
        return []
    }
}

/// `(line, column)` of each diagnostic, for compact comparisons.
private func positions(_ diagnostics: [ConfigDiagnostic]) -> [[Int]] { diagnostics.map { [$0.line, $0.column] } }

@Suite("ConfigLoader.parse")
struct ConfigLoaderTests {
    @Test("an empty file (or only comments) gives the embedded default, except that it does not seed events")
    func emptyFileIsDefault() throws {
        var fromFile = DecoyConfig.embeddedDefault
        fromFile.isEmbeddedDefault = false
        #expect(try ConfigLoader.parse("", file: "empty.yaml") == fromFile)
        #expect(try ConfigLoader.parse("# nothing here\n\n", file: "empty.yaml") == fromFile)
        #expect(DecoyConfig.embeddedDefault.isEmbeddedDefault)
    }

    @Test("the embedded default has the API document's two cameras and an admin and a guest")
    func embeddedDefaultContents() {
        let config = DecoyConfig.embeddedDefault
        #expect(config.cameras.map(\.name) == ["Front yard", "Doorbell"])
        #expect(config.cameras.map(\.id) == [182_399_567, 1_455_317_736])
        #expect(config.cameras.map(\.ptzCapabilities) == [230_911, 32768])
        #expect(config.cameras.map(\.cloudAccess) == [false, true])
        #expect(config.users.map(\.role) == [.admin, .guest])
        #expect(config.server.listen == ListenAddress(host: "127.0.0.1", port: 8083))
        #expect(config.server.serverHeader == "Decoy/0.1.0")
        #expect(config.server.cors)
        #expect(!config.server.legacyErrorStatus200)
        #expect(config.server.tokenTTLSeconds == 0)
        // The sandbox is alive: Front yard detects, records and has activity; Doorbell records.
        #expect(config.cameras.map(\.motionDetection.enabled) == [true, false])
        #expect(config.cameras.map(\.recording.enabled) == [true, true])
        #expect(config.cameras.map(\.activity) == [true, false])
    }

    @Test("a file using every key is read completely")
    func everyKey() throws {
        let yaml = """
            server:
              listen: "[::1]:9090"
              https: true
              cert: /tmp/cert.pem
              key: /tmp/key.pem
              cors: false
              serverHeader: tinyCam Monitor/16.0
              legacyErrorStatus200: yes
              tokenTTL: 3600
              maxTokens: 50
              restartDelay: 0.5
              requestTimeout: 30
              maxConnections: 64
              access:
                /api/v1/get_status: guest
                /axis-cgi/mjpg/video.cgi: admin
            users:
              - name: root
                password: 0123
                role: admin
              - name: viewer
                password: yes
                role: guest
              - name: nobody   # no password, default role
            cameras:
              - name: Garage
                id: 42
                enabled: false
                ptzCapabilities: 32768
                audioListening: no
                cloudAccess: true
                source: synthetic
                resolution: 640x480
                fps: 25
                movingObject: true
                seed: 1_234
              - name: Porch
                id: 43
            storage:
              stateDir: /var/lib/decoy
              timeZone: Europe/Berlin
            status:
              batteryLevel: 42
              batteryStatus: not charging
              temperature: -5
            """
        let config = try ConfigLoader.parse(yaml, file: "full.yaml")

        var server = ServerConfig()
        server.listen = ListenAddress(host: "::1", port: 9090)
        server.https = true
        server.certificatePath = "/tmp/cert.pem"
        server.privateKeyPath = "/tmp/key.pem"
        server.cors = false
        server.serverHeader = "tinyCam Monitor/16.0"
        server.legacyErrorStatus200 = true
        server.tokenTTLSeconds = 3600
        server.maxTokens = 50
        server.restartDelaySeconds = 0.5
        server.requestTimeoutSeconds = 30
        server.maxConnections = 64
        server.accessOverrides = ["/api/v1/get_status": .guest, "/axis-cgi/mjpg/video.cgi": .admin]
        #expect(config.server == server)

        // Passwords are taken as written: no YAML 1.1 coercion of `0123` or `yes`.
        #expect(
            config.users == [
                UserConfig(name: "root", password: "0123", role: .admin),
                UserConfig(name: "viewer", password: "yes", role: .guest),
                UserConfig(name: "nobody", password: "", role: .guest),
            ])
        #expect(
            config.cameras == [
                CameraConfig(
                    name: "Garage", id: 42, enabled: false, ptzCapabilities: 32768, audioListening: false,
                    cloudAccess: true, source: .synthetic, resolution: PixelSize(width: 640, height: 480), fps: 25,
                    movingObject: true, seed: 1234),
                CameraConfig(name: "Porch", id: 43),
            ])
        #expect(config.cameras[1].seed == 43, "the seed defaults to the id")
        #expect(config.storage == StorageConfig(stateDirectory: "/var/lib/decoy", timeZone: "Europe/Berlin"))
        #expect(config.status.batteryLevel == 42)
        #expect(config.status.batteryStatus == "not charging")
        #expect(config.status.temperature == -5)
    }

    @Test("keys left out keep their default")
    func partialFileKeepsDefaults() throws {
        let config = try ConfigLoader.parse("server:\n  cors: false\n", file: "partial.yaml")
        var expected = DecoyConfig.embeddedDefault
        expected.isEmbeddedDefault = false
        expected.server.cors = false
        #expect(config == expected)
    }

    @Test("an unknown top-level key is reported where it is, with the nearest valid key")
    func unknownTopLevelKey() {
        let found = diagnostics("camras:\n  - name: X\n    id: 1\n", file: "typo.yaml")
        #expect(positions(found) == [[1, 1]])
        let message = found.first?.message ?? ""
        #expect(message.contains("unknown key 'camras'"))
        #expect(message.contains("did you mean 'cameras'?"))
        #expect(found.first?.file == "typo.yaml")
        #expect(found.first?.description.hasPrefix("typo.yaml:1:1: error: unknown key 'camras'") == true)
    }

    @Test("a key far from every valid key gets no suggestion")
    func unknownKeyWithoutSuggestion() {
        let found = diagnostics("server:\n  frobnicate: 1\n")
        #expect(positions(found) == [[2, 3]])
        #expect(found.first?.message.contains("did you mean") == false)
        #expect(found.first?.message.contains("unknown key 'frobnicate' under 'server'") == true)
    }

    @Test("an unknown camera key suggests ptzCapabilities")
    func unknownCameraKey() {
        let yaml = """
            cameras:
              - name: Garage
                id: 7
                ptzCapabilites: 5
            """
        let found = diagnostics(yaml)
        #expect(positions(found) == [[4, 5]])
        #expect(found.first?.message.contains("did you mean 'ptzCapabilities'?") == true)
        #expect(found.first?.message.contains("under 'cameras[0]'") == true)
    }

    @Test("values of the wrong type are reported at the value")
    func wrongTypes() {
        let yaml = """
            server:
              https: maybe
            cameras:
              - name: Garage
                id: 7
                fps: abc
            """
        let found = diagnostics(yaml)
        #expect(positions(found) == [[2, 10], [6, 10]])
        #expect(found.first?.message == "'server.https' must be true or false, got 'maybe'")
        #expect(found.last?.message == "'cameras[0].fps' must be a whole number from 1 to 60, got 'abc'")
    }

    @Test("out-of-range values are all reported at once, each at its value")
    func outOfRange() {
        let yaml = """
            cameras:
              - name: Garage
                id: 7
                fps: 0
                resolution: 640*480
            status:
              batteryLevel: 101
            """
        let found = diagnostics(yaml)
        #expect(positions(found) == [[4, 10], [5, 17], [7, 17]])
        #expect(found.count == 3)
        #expect(
            found[safe: 0]?.message.contains("'cameras[0].fps' must be a whole number from 1 to 60, got '0'") == true)
        #expect(found[safe: 1]?.message.contains("'cameras[0].resolution' must be WxH") == true)
        #expect(found[safe: 1]?.message.contains("got '640*480'") == true)
        #expect(found[safe: 2]?.message.contains("'status.batteryLevel' must be a whole number from 0 to 100") == true)
    }

    @Test(
        "resolutions must be even and within 64x48...3840x2160", arguments: ["63x48", "64x47", "641x480", "3842x2160"])
    func badResolutions(_ text: String) {
        let found = diagnostics("cameras:\n  - name: A\n    id: 1\n    resolution: \(text)\n")
        #expect(positions(found) == [[4, 17]])
    }

    @Test("the smallest and the largest resolutions are accepted")
    func resolutionBounds() throws {
        for text in ["64x48", "3840x2160"] {
            let config = try ConfigLoader.parse(
                "cameras:\n  - name: A\n    id: 1\n    resolution: \(text)\n", file: "f")
            #expect(config.cameras.first?.resolution == PixelSize(text))
        }
    }

    @Test("a camera id used twice is reported at the second id")
    func duplicateCameraID() {
        let yaml = """
            cameras:
              - name: A
                id: 7
              - name: B
                id: 7
            """
        let found = diagnostics(yaml)
        #expect(positions(found) == [[5, 9]])
        #expect(found.first?.message == "camera id 7 is used twice")
    }

    @Test("a camera name used twice is reported at the second name")
    func duplicateCameraName() {
        let found = diagnostics("cameras:\n  - name: A\n    id: 1\n  - name: A\n    id: 2\n")
        #expect(positions(found) == [[4, 11]])
        #expect(found.first?.message == "camera name 'A' is used twice")
    }

    @Test("a camera without a name or without an id is reported at the camera")
    func missingNameAndID() {
        let yaml = """
            cameras:
              - id: 7
              - name: B
            """
        let found = diagnostics(yaml)
        #expect(positions(found) == [[2, 5], [3, 5]])
        #expect(found[safe: 0]?.message == "'cameras[0]' needs a non-empty 'name'")
        #expect(found[safe: 1]?.message == "'cameras[1]' needs an 'id' (a positive number, unique)")
    }

    @Test("a configuration without an admin user is rejected")
    func noAdmin() {
        let yaml = """
            users:
              - name: viewer
                password: v
                role: guest
            """
        let found = diagnostics(yaml)
        #expect(positions(found) == [[1, 1]])
        #expect(found.first?.message.contains("no user has role admin") == true)
    }

    @Test("an empty user list reports both the empty list and the missing admin")
    func noUsers() {
        let found = diagnostics("users: []\n")
        #expect(found.count == 2)
        #expect(found.contains { $0.message.contains("'users' is empty") })
        #expect(found.contains { $0.message.contains("no user has role admin") })
    }

    @Test("a YAML syntax error carries the line and column of the problem")
    func syntaxError() {
        let found = diagnostics("server:\n  cors: true\n  listen: a: b\n", file: "broken.yaml")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("YAML syntax: mapping values are not allowed") == true)
        #expect(found.first?.file == "broken.yaml")
        #expect(positions(found) == [[3, 12]])
    }

    @Test("an unclosed flow list is reported where the scanner gives up")
    func unclosedFlowList() {
        // The list runs on into the next line; the `:` of `users:` is the first thing a flow list cannot hold.
        let yaml = """
            server:
              cors: true
              listen: [127.0.0.1:8083
            users: []
            """
        let found = diagnostics(yaml, file: "broken.yaml")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("YAML syntax: ") == true)
        #expect(positions(found) == [[4, 6]])
    }

    @Test("a tab used for indentation is a syntax error at the tab")
    func tabIndentation() {
        let found = diagnostics("server:\n\tcors: true\n")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("YAML syntax: ") == true)
        #expect(positions(found) == [[2, 1]])
    }

    @Test("an unknown time zone is reported at the value")
    func unknownTimeZone() {
        let found = diagnostics("storage:\n  timeZone: Mars/Olympus_Mons\n")
        #expect(positions(found) == [[2, 13]])
        #expect(found.first?.message.contains("'Mars/Olympus_Mons' is not an IANA time zone") == true)
    }

    @Test("several kinds of mistakes are reported together, in file order")
    func severalErrors() {
        let yaml = """
            sever:
              listen: 1.2.3.4
            cameras:
              - name: A
                id: 1
                fps: 61
            status:
              batteryStatus: exploding
              temperature: hot
            """
        let found = diagnostics(yaml)
        #expect(positions(found) == [[1, 1], [6, 10], [8, 18], [9, 16]])
        #expect(found[safe: 0]?.message.contains("did you mean 'server'?") == true)
        #expect(found[safe: 2]?.message.contains("'status.batteryStatus' must be one of") == true)
    }

    @Test("a bad listen address, role and access override are reported")
    func badServerValues() {
        let yaml = """
            server:
              listen: localhost
              access:
                api/v1/get_status: guest
                /param.cgi: root
            users:
              - name: admin
                role: superuser
              - name: boss
                role: admin
            """
        let found = diagnostics(yaml)
        #expect(positions(found) == [[2, 11], [4, 5], [5, 17], [8, 11]])
        #expect(found[safe: 0]?.message == "'server.listen' must be HOST:PORT such as 127.0.0.1:8083, got 'localhost'")
        #expect(found[safe: 3]?.message == "'users[0].role' must be one of guest, admin, got 'superuser'")
    }

    @Test("load(path:) reads a file and names it in diagnostics")
    func loadFile() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.yaml")
        try "status:\n  batteryLevel: 7\n".write(to: good, atomically: true, encoding: .utf8)
        #expect(try ConfigLoader.load(path: good.path).status.batteryLevel == 7)

        let bad = folder.appendingPathComponent("bad.yaml")
        try "status:\n  batteryLevel: 700\n".write(to: bad, atomically: true, encoding: .utf8)
        do {
            _ = try ConfigLoader.load(path: bad.path)
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.diagnostics.map(\.file) == [bad.path])
            #expect(error.description.hasPrefix("\(bad.path):2:17: error: "))
        }
    }

    @Test("load(path:) of a missing file is one diagnostic at 1:1 naming the file")
    func loadMissingFile() throws {
        let path = try temporaryDirectory().appendingPathComponent("nope.yaml").path
        do {
            _ = try ConfigLoader.load(path: path)
            Issue.record("expected an error for a missing file")
        } catch let error as ConfigError {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics.first?.file == path)
            #expect(positions(error.diagnostics) == [[1, 1]])
            #expect(error.diagnostics.first?.message.contains("cannot read the file") == true)
        }
    }
}

@Suite("ListenAddress")
struct ListenAddressTests {
    @Test(
        "well-formed addresses",
        arguments: [
            ("127.0.0.1:8083", "127.0.0.1", 8083), ("0.0.0.0:80", "0.0.0.0", 80), ("localhost:1", "localhost", 1),
            ("[::1]:8083", "::1", 8083), ("[fe80::1%eth0]:443", "fe80::1%eth0", 443), (":8083", "0.0.0.0", 8083),
            ("example.org:65535", "example.org", 65535), ("127.0.0.1:0", "127.0.0.1", 0),
        ])
    func parses(text: String, host: String, port: Int) {
        #expect(ListenAddress(parsing: text) == ListenAddress(host: host, port: port))
    }

    @Test(
        "malformed addresses",
        arguments: [
            "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:http", "::1:8083", "[::1]8083",
            "[::1]", "[::1:8083", "host:80:81", "", "127.0.0.1:99999999999999999999",
        ])
    func rejects(text: String) {
        #expect(ListenAddress(parsing: text) == nil)
    }

    @Test("the description brackets IPv6 hosts")
    func description() {
        #expect(ListenAddress(host: "::1", port: 8083).description == "[::1]:8083")
        #expect(ListenAddress(host: "127.0.0.1", port: 8083).description == "127.0.0.1:8083")
        #expect(ListenAddress(parsing: ListenAddress(host: "::1", port: 1).description)?.host == "::1")
    }

    @Test("loopback addresses")
    func loopback() {
        for host in ["127.0.0.1", "127.1.2.3", "::1", "localhost"] {
            #expect(ListenAddress(host: host, port: 1).isLoopback, "\(host)")
        }
        for host in ["0.0.0.0", "192.168.1.2", "::", "10.127.0.1", "example.org"] {
            #expect(!ListenAddress(host: host, port: 1).isLoopback, "\(host)")
        }
    }
}

@Suite("Default passwords")
struct DefaultPasswordTests {
    @Test("the embedded users both still have their shipped passwords")
    func embedded() {
        #expect(DecoyConfig.embeddedDefault.usersWithDefaultPasswords == ["admin", "guest"])
    }

    @Test("only users whose name and password both match a shipped user are listed")
    func changed() {
        var config = DecoyConfig.embeddedDefault
        config.users = [
            UserConfig(name: "admin", password: "long-and-secret", role: .admin),
            UserConfig(name: "guest", password: "guest", role: .guest),
            UserConfig(name: "root", password: "admin", role: .admin),
        ]
        #expect(config.usersWithDefaultPasswords == ["guest"])
        config.users[1].password = "other"
        #expect(config.usersWithDefaultPasswords.isEmpty)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
