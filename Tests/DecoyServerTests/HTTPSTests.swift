import DecoyServer
import Foundation
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// HTTPS on the same port with a self-signed certificate generated once into the state folder.
    @Suite struct HTTPS {
        @Test func selfSignedCertificateIsGeneratedServedAndReused() async throws {
            let curl = try ChildProcess.tool("curl")
            let state = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: state) }
            let certificate = TLSSetup.generatedPaths(stateDirectory: state).certificate
            #expect(certificate == state + "/tls/cert.pem")

            let firstBytes = try await withServer(stateDirectory: state, { $0.server.https = true }) { server in
                #expect(server.runtime.certificatePath == certificate)
                let pem = try String(contentsOfFile: certificate, encoding: .utf8)
                #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
                let result = try await ChildProcess.run(
                    curl,
                    [
                        "-sS", "-k", "--max-time", "20", "-u", "admin:admin", "-w", "\n%{http_code} %{scheme}",
                        "https://127.0.0.1:\(server.port)/api/v1/get_cam_list",
                    ])
                #expect(result.status == 0, "\(result.stderrText)")
                let lines = result.stdoutText.split(separator: "\n")
                #expect(lines.last == "200 HTTPS", "\(result.stdoutText)")
                #expect(lines.first?.hasPrefix("{\"data\":[") == true, "\(result.stdoutText)")
                // Plain HTTP on the HTTPS port gets no HTTP answer.
                let plain = try await ChildProcess.run(
                    curl, ["-sS", "--max-time", "10", "http://127.0.0.1:\(server.port)/api/v1/get_cam_list"])
                #expect(plain.status != 0)
                return try Data(contentsOf: URL(fileURLWithPath: certificate))
            }

            let secondBytes = try await withServer(stateDirectory: state, { $0.server.https = true }) { server in
                let result = try await ChildProcess.run(
                    curl,
                    [
                        "-sS", "-k", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", "-u", "admin:admin",
                        "https://127.0.0.1:\(server.port)/api/v1/get_cam_list",
                    ])
                #expect(result.stdoutText == "200", "\(result.stderrText)")
                return try Data(contentsOf: URL(fileURLWithPath: certificate))
            }
            #expect(firstBytes == secondBytes, "the second start reuses the certificate")
        }
    }
}
