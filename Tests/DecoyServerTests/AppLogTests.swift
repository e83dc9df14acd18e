import DecoyCore
import DecoyServer
import Testing

@testable import DecoyTestSupport

extension ServerIntegration {
    /// `applog.cgi` shows Decoy's own log however Decoy was started: here in-process, with a
    /// logger that writes nowhere, as tests and `decoy run` start it.
    @Suite struct AppLog {
        @Test func theAppLogPageShowsTheRuntimesLogWithoutALoggingSystem() async throws {
            try await withServer { server in
                let port = server.port
                #expect(try await HTTP.get(port: port, "/api/v1/get_cam_list").status == 200)
                let page = try await HTTP.get(port: port, "/axis-cgi/admin/applog.cgi")
                #expect(page.status == 200)
                #expect(page.bodyText.contains("\"GET /api/v1/get_cam_list\" 200"), "\(page.bodyText)")
                #expect(page.bodyText.contains(" info "), "lines carry their level: \(page.bodyText.prefix(300))")
            }
        }
    }
}
