import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import DecoyServer
@testable import DecoyTestSupport

@Suite("Access-log redaction")
struct RedactionTests {
    @Test(
        "pwd and token values are masked under every spelling the API decodes to them",
        arguments: [
            ("/a?user=admin&pwd=secret", "/a?user=admin&pwd=***"),
            ("/a?user=admin&p%77d=secret", "/a?user=admin&p%77d=***"),
            ("/a?%70%77%64=secret&x=1", "/a?%70%77%64=***&x=1"),
            ("/a?%74oken=abc", "/a?%74oken=***"),
            ("/a?token=abc&token=def", "/a?token=***&token=***"),
            ("/a?PWD=secret", "/a?PWD=***"),
            ("/a?Token=abc", "/a?Token=***"),
            ("/a?pwd=a=b", "/a?pwd=***"),
            ("/a?p%ZZd=secret", "/a?p%ZZd=***"),
            ("/a?p%77=secret", "/a?p%77=secret"),
            ("/a?pw+d=secret", "/a?pw+d=secret"),
            ("/a?user=pwd&camera=1", "/a?user=pwd&camera=1"),
            ("/a?pwd", "/a?pwd"),
            ("/a", "/a"),
            ("/a?&&pwd=x&", "/a?&&pwd=***&"),
        ])
    func redacts(_ target: String, _ logged: String) {
        #expect(AccessLogRedaction.redact(target) == logged)
    }
}

/// Every message logged, for checking what reaches the log.
final class CapturingLog: Sendable {
    let lines = NIOLockedValueBox<[String]>([])

    var logger: Logger {
        Logger(label: "capture") { _ in CapturingHandler(sink: self) }
    }

    struct CapturingHandler: LogHandler {
        let sink: CapturingLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            sink.lines.withLockedValue { $0.append("\(event.message)") }
        }
    }
}

extension ServerIntegration {
    @Suite struct AccessLogSecrets {
        @Test func anEncodedPasswordThatAuthenticatesIsMaskedInBothLogs() async throws {
            let capture = CapturingLog()
            try await withServer(logger: capture.logger) { server in
                let accepted = try await HTTP.get(
                    port: server.port, "/api/v1/get_cam_list?user=admin&p%77d=admin", auth: nil)
                #expect(accepted.status == 200, "the encoded name authenticates")
                let refused = try await HTTP.get(port: server.port, "/api/v1/get_cam_list?%74oken=0123abcd", auth: nil)
                #expect(refused.status == 403)
                let page = try await HTTP.get(port: server.port, "/axis-cgi/admin/accesslog.cgi")
                #expect(page.status == 200)
                #expect(
                    page.bodyText.contains("\"GET /api/v1/get_cam_list?user=admin&p%77d=***\" 200 "), "\(page.bodyText)"
                )
                #expect(page.bodyText.contains("\"GET /api/v1/get_cam_list?%74oken=***\" 403 "), "\(page.bodyText)")
                #expect(!page.bodyText.contains("p%77d=admin") && !page.bodyText.contains("0123abcd"))
                let logged = capture.lines.withLockedValue { $0 }.joined(separator: "\n")
                #expect(logged.contains("p%77d=***") && logged.contains("%74oken=***"), "\(logged)")
                #expect(!logged.contains("p%77d=admin") && !logged.contains("0123abcd"), "\(logged)")
            }
        }
    }
}
