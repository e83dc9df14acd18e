import DecoyCore
import Foundation
import NIOCore
import Testing

@testable import DecoyServer
@testable import DecoyTestSupport

#if canImport(Glibc)
    import Glibc
#endif

extension ServerIntegration {
    /// The `decoy` command line, run as the built binary.
    @Suite struct CLI {
        static let packageRoot = DecoyTestSupport.packageRoot

        static func decoy() throws -> String { try DecoyBinary.path() }

        @Test func checkAcceptsAValidFile() async throws {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var file = Self.packageRoot + "/Fixtures/decoy.example.yaml"
            if !FileManager.default.fileExists(atPath: file) {
                file = folder + "/valid.yaml"
                try """
                server:
                  listen: 127.0.0.1:8090
                users:
                  - name: viewer
                    password: s3cret
                    role: guest
                cameras:
                  - name: Porch
                    id: 5
                    resolution: 640x480
                    fps: 10
                """.write(toFile: file, atomically: true, encoding: .utf8)
            }
            let result = try await ChildProcess.run(try Self.decoy(), ["check", file])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.hasPrefix("\(file): OK: "), "\(result.stdoutText)")
        }

        @Test func checkReportsEveryErrorWithItsPosition() async throws {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/broken.yaml"
            try "server:\n  listen: 127.0.0.1:8083\n  bogus: 1\ncameras:\n  - name: A\n    id: x\n".write(
                toFile: file, atomically: true, encoding: .utf8)
            let result = try await ChildProcess.run(try Self.decoy(), ["check", file])
            #expect(result.status == 1)
            let lines = result.stderrText.split(whereSeparator: \.isNewline)
            #expect(lines.count == 2, "\(result.stderrText)")
            #expect(lines.first?.hasPrefix("\(file):3:3: ") == true, "\(result.stderrText)")
            #expect(lines.last?.hasPrefix("\(file):6:9: ") == true, "\(result.stderrText)")
        }

        @Test func helpShowsExamples() async throws {
            let result = try await ChildProcess.run(try Self.decoy(), ["--help"])
            #expect(result.status == 0)
            #expect(result.stdoutText.contains("Examples:"))
            #expect(result.stdoutText.contains("decoy check"))
        }

        /// `decoy check` on a scenario validates it as one (instead of "unknown key 'name'"), and
        /// says at check time what `serve` would refuse.
        @Test func checkKnowsScenariosAndExposedDefaultPasswords() async throws {
            let scenario = try await ChildProcess.run(
                try Self.decoy(), ["check", Self.packageRoot + "/Scenarios/doorbell-ring.yaml"])
            #expect(scenario.status == 0, "\(scenario.stderrText)")
            #expect(scenario.stdoutText.contains("OK: scenario doorbell-ring"), "\(scenario.stdoutText)")
            #expect(!scenario.stderrText.contains("unknown key"))
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let exposed = folder + "/exposed.yaml"
            try "server:\n  listen: 0.0.0.0:8083\n".write(toFile: exposed, atomically: true, encoding: .utf8)
            let refused = try await ChildProcess.run(try Self.decoy(), ["check", exposed])
            #expect(refused.status == 1)
            #expect(refused.stderrText.contains("refusing to listen on 0.0.0.0:8083"), "\(refused.stderrText)")
            #expect(refused.stderrText.contains("--allow-default-credentials"))
            let allowed = try await ChildProcess.run(
                try Self.decoy(), ["check", exposed, "--allow-default-credentials"])
            #expect(allowed.status == 0, "\(allowed.stderrText)")
        }

        @Test func refusesToExposeDefaultPasswords() async throws {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let result = try await ChildProcess.run(
                try Self.decoy(), ["serve", "--listen", "0.0.0.0:0", "--state-dir", folder], timeout: .seconds(20))
            #expect(!result.timedOut, "it must exit, not serve")
            #expect(result.status == 1)
            #expect(result.stderrText.contains("default password"), "\(result.stderrText)")
            #expect(!result.stderrText.contains("Usage:"), "a situation, not a usage error")
        }

        @Test func aPortInUseIsAnErrorThatSaysSo() async throws {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await withServer { server in
                let result = try await ChildProcess.run(
                    try Self.decoy(), ["serve", "--listen", "127.0.0.1:\(server.port)", "--state-dir", folder],
                    timeout: .seconds(20))
                #expect(!result.timedOut, "it must exit, not wait")
                #expect(result.status == 1)
                #expect(result.stderrText.contains("cannot listen on 127.0.0.1:\(server.port)"), "\(result.stderrText)")
                #expect(result.stderrText.contains("--listen"), "says how to fix it")
                #expect(result.stderrText.contains("already in use"), "\(result.stderrText)")
            }
        }

        /// Runs `decoy serve` on a free loopback port with `arguments`, expecting it to refuse to start.
        static func failedStart(_ arguments: [String]) async throws -> ProcessResult {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var all = ["serve"] + arguments
            if !arguments.contains("--listen") { all += ["--listen", "127.0.0.1:\(try freePort())"] }
            if !arguments.contains("--state-dir") { all += ["--state-dir", folder] }
            let result = try await ChildProcess.run(try decoy(), all, timeout: .seconds(20))
            #expect(!result.timedOut, "it must exit, not serve: \(result.stderrText)")
            #expect(result.status == 1, "\(result.stderrText)")
            #expect(!result.stderrText.contains("another server"), "not blamed on the port: \(result.stderrText)")
            return result
        }

        @Test func aMissingCertificateIsNamed() async throws {
            let result = try await Self.failedStart([
                "--https", "--cert", "/nonexistent/cert.pem", "--key", "/nonexistent/key.pem",
            ])
            #expect(
                result.stderrText.contains("the certificate file /nonexistent/cert.pem does not exist"),
                "\(result.stderrText)")
            #expect(result.stderrText.contains("--cert and --key"), "says how to fix it: \(result.stderrText)")
        }

        @Test func aCertificateThatIsNotPEMIsNamed() async throws {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try "not a certificate\n".write(toFile: folder + "/cert.pem", atomically: true, encoding: .utf8)
            try "not a key\n".write(toFile: folder + "/key.pem", atomically: true, encoding: .utf8)
            let result = try await Self.failedStart([
                "--https", "--cert", folder + "/cert.pem", "--key", folder + "/key.pem",
            ])
            #expect(
                result.stderrText.contains("the certificate \(folder)/cert.pem is not a PEM certificate"),
                "\(result.stderrText)")
        }

        @Test func aStateFolderThatCannotBeCreatedIsNamed() async throws {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/plain-file"
            try "x".write(toFile: file, atomically: true, encoding: .utf8)
            let result = try await Self.failedStart(["--state-dir", file + "/state"])
            #expect(
                result.stderrText.contains(
                    "cannot create the state folder \(file)/state: \(file) exists and is not a folder"),
                "\(result.stderrText)")
            #expect(result.stderrText.contains("--state-dir"), "says how to fix it: \(result.stderrText)")
        }

        @Test func anAddressOfAnotherMachineIsNamed() async throws {
            // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
            let result = try await Self.failedStart(["--listen", "192.0.2.1:8083", "--allow-default-credentials"])
            #expect(
                result.stderrText.contains(
                    "cannot listen on 192.0.2.1:8083: 192.0.2.1 is not an address of this machine"),
                "\(result.stderrText)")
        }

        @Test func aHostThatDoesNotResolveIsNamed() async throws {
            let result = try await Self.failedStart([
                "--listen", "nosuchhost.invalid:8083", "--allow-default-credentials",
            ])
            #expect(
                result.stderrText.contains("the host 'nosuchhost.invalid' does not resolve"), "\(result.stderrText)")
        }

        @Test func aPrivilegedPortIsNamed() async throws {
            guard getuid() != 0 else { return }  // root may bind any port
            let result = try await Self.failedStart(["--listen", "127.0.0.1:1"])
            #expect(result.stderrText.contains("permission denied"), "\(result.stderrText)")
            #expect(result.stderrText.contains("1024"), "\(result.stderrText)")
        }

        @Test func servesOnTheGivenPortUntilInterrupted() async throws {
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let port = try Self.freePort()
            let child = try ChildProcess(
                try Self.decoy(), ["serve", "--listen", "127.0.0.1:\(port)", "--state-dir", folder])
            let served =
                (try? await poll(timeout: .seconds(20), every: .milliseconds(100)) {
                    (try? await HTTP.isHealthy(port: port)) ?? false
                }) ?? false
            child.interrupt()
            let result = try await Blocking.run { child.wait(timeout: .seconds(20)) }
            #expect(served, "\(result.stderrText)")
            #expect(!result.timedOut && result.status == 0, "Ctrl-C stops it cleanly: \(result.stderrText)")
            #expect(result.stderrText.contains("listening on http://127.0.0.1:\(port)"), "\(result.stderrText)")
        }

        /// A port nobody listens on right now (the kernel's pick for an ephemeral bind).
        static func freePort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw SocketError.system("socket") }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            guard bound else { throw SocketError.system("bind") }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }
}

/// The classification behind the messages above, for the failures a test running as root cannot
/// provoke (binding a privileged port).
@Suite("Start-up failures are classified by errno")
struct StartupErrorTests {
    @Test func bindErrorsAreClassified() {
        let address = ListenAddress(host: "127.0.0.1", port: 80)
        let cases: [(Int32, StartupError.Reason, String)] = [
            (EADDRINUSE, .addressInUse, "already in use"), (EACCES, .permissionDenied, "permission denied"),
            (EPERM, .permissionDenied, "below 1024"), (EADDRNOTAVAIL, .addressNotAvailable, "not an address"),
            (EMFILE, .other, "cannot listen on 127.0.0.1:80"),
        ]
        for (code, reason, text) in cases {
            let error = StartupError(listening: address, error: IOError(errnoCode: code, reason: "bind"))
            #expect(error.reason == reason, "errno \(code)")
            #expect(error.description.hasPrefix("cannot listen on 127.0.0.1:80: "))
            #expect(error.description.contains(text), "\(error)")
        }
    }
}
