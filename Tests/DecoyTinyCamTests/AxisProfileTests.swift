import DecoyCore
import DecoyTinyCam
import Testing

private let axis = DecoyConfig.testDefault.with { $0.server.profile = .axis }

@Suite("Axis profile: POST forms, challenges")
struct AxisProfileTests {
    @Test("POST bodies are form data whatever their Content-Type, merged with the query")
    func postForms() async throws {
        try await withHarness(axis) { harness in
            for contentType in ["application/x-www-form-urlencoded", "text/plain", ""] {
                let response = await harness.api.handle(
                    TinyCamRequest(
                        method: "POST", target: "/axis-cgi/com/ptz.cgi?camera=1",
                        headers: [("Authorization", basicHeader("admin", "admin"))]
                            + (contentType.isEmpty ? [] : [("Content-Type", contentType)]),
                        clientAddress: "192.0.2.1", body: Array("continuouspantiltmove=100,0\n".utf8)))
                #expect(response.status.code == 204, "\(contentType): \(response.text)")
            }
            harness.clock.advance(by: 500)
            #expect(harness.frontYard.viewport.pan > 0)
            // Credentials may travel in the body too (the library's forms carry only parameters, but nothing forbids it).
            let login = await harness.api.handle(
                TinyCamRequest(
                    method: "POST", target: "/api/v1/login", clientAddress: "192.0.2.1",
                    body: Array("user=admin&pwd=admin".utf8)))
            #expect(login.status.code == 200)
        }
    }

    @Test("a parameter in both the query and the body is a repeat: 400")
    func repeatAcrossQueryAndBody() async throws {
        try await withHarness(axis) { harness in
            let response = await harness.api.handle(
                TinyCamRequest(
                    method: "POST", target: "/axis-cgi/com/ptz.cgi?camera=1",
                    headers: [("Authorization", basicHeader("admin", "admin"))], clientAddress: "192.0.2.1",
                    body: Array("camera=2".utf8)))
            #expect(response.status.code == 400)
            #expect(response.text == "HTTP 400. parameter 'camera' is given more than once")
        }
    }

    @Test("the tinycam profile answers POST with 405 as before; the axis profile names POST in Allow")
    func methods() async throws {
        try await withHarness { harness in
            let response = await harness.send("/api/v1/get_cam_list", method: "POST")
            #expect(response.code == 405)
            #expect(response.header("Allow") == "GET, HEAD, OPTIONS")
        }
        try await withHarness(axis) { harness in
            let response = await harness.send("/api/v1/get_cam_list", method: "PUT")
            #expect(response.code == 405)
            #expect(response.header("Allow") == "GET, HEAD, POST, OPTIONS")
            #expect(
                response.text == "HTTP 405. Method PUT is not allowed; the Axis profile answers GET, HEAD and POST.")
        }
    }

    @Test("the axis profile challenges with Basic and both Digests in an AXIS_<id> realm, unless configured")
    func challenges() async throws {
        try await withHarness(axis) { harness in
            let fields = await harness.send("/api/v1/get_status").headers.filter { $0.name == "WWW-Authenticate" }
            let realm = "AXIS_" + harness.services.config.axisDeviceID
            #expect(fields.count == 3)
            #expect(fields.first?.value == "Basic realm=\"\(realm)\"")
            #expect(fields.dropFirst().allSatisfy { $0.value.hasPrefix("Digest realm=\"\(realm)\"") })
            #expect(harness.services.config.axisDeviceID.count == 12)
            #expect(harness.services.config.axisDeviceID.hasPrefix("00408C"))
        }
        try await withHarness(axis.with { $0.server.authChallenge = .basic }) { harness in
            let fields = await harness.send("/api/v1/get_status").headers.filter { $0.name == "WWW-Authenticate" }
            #expect(fields.map(\.value) == ["Basic realm=\"AXIS_\(harness.services.config.axisDeviceID)\""])
        }
    }

    @Test("PTZ answers 204 in the axis profile and an empty 200 in the tinycam profile")
    func ptzStatus() async throws {
        try await withHarness(axis) { harness in
            #expect(await harness.send("/axis-cgi/com/ptz.cgi?user=admin&pwd=admin&move=home").code == 204)
        }
        try await withHarness { harness in
            #expect(await harness.send("/axis-cgi/com/ptz.cgi?user=admin&pwd=admin&move=home").code == 200)
        }
    }
}
