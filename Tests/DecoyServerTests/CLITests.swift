import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ServerIntegration {
    /// The `decoy` command line, run as the built binary.
    @Suite struct CLI {
        /// The package root, from this file's path (`Tests/DecoyServerTests/CLITests.swift`).
        static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path

        static func decoy() throws -> String {
            let path = packageRoot + "/.build/debug/decoy"
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw ToolMissing(description: "\(path) is missing: build with `swift build --build-tests` first")
            }
            return path
        }

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
            }
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
