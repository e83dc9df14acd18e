import DecoyCore
import DecoyTinyCam
import Testing

private let admin = "user=admin&pwd=admin"

@Suite("Methods, paths and common headers")
struct HTTPBehaviourTests {
    @Test("POST, PUT and DELETE on a served path are 405 with Allow")
    func methodNotAllowed() async throws {
        try await withHarness { harness in
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                let response = await harness.send("/api/v1/login?\(admin)", method: method)
                #expect(response.code == 405, "\(method)")
                #expect(response.header("Allow") == "GET, HEAD, OPTIONS")
                #expect(response.text.hasPrefix("HTTP 405. Method \(method) is not allowed"))
            }
            // Nothing happened: no token was issued.
            #expect(harness.services.authenticator.tokens.count == 0)
        }
    }

    @Test("an absolute-form target (RFC 9112 §3.2.2) is served like its path")
    func absoluteForm() async throws {
        try await withHarness { harness in
            let origin = await harness.send("/api/v1/get_cam_list?\(admin)")
            let absolute = await harness.send("http://192.0.2.1:8083/api/v1/get_cam_list?\(admin)")
            #expect(absolute.code == 200)
            #expect(absolute.text == origin.text)
            let noPath = await harness.send("HTTP://192.0.2.1:8083?\(admin)")
            #expect(noPath.code == 404)
        }
    }

    @Test("HEAD is answered like GET")
    func head() async throws {
        try await withHarness { harness in
            let get = await harness.send("/api/v1/get_cam_list?\(admin)")
            let head = await harness.send("/api/v1/get_cam_list?\(admin)", method: "HEAD")
            #expect(head.code == 200)
            #expect(head.text == get.text)
        }
    }

    @Test("OPTIONS is a CORS preflight: 204 without credentials")
    func preflight() async throws {
        try await withHarness { harness in
            let response = await harness.send("/api/v1/get_status", method: "OPTIONS")
            #expect(response.code == 204)
            #expect(response.bytes.isEmpty)
            #expect(response.header("Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS")
            #expect(response.header("Access-Control-Allow-Headers") == "Authorization")
            #expect(response.header("Access-Control-Max-Age") == "600")
            #expect(response.header("Access-Control-Allow-Origin") == "*")
            #expect(response.header("WWW-Authenticate") == nil)
        }
    }

    @Test("an unknown path is 404 with an HTTP 404 text, before any authentication")
    func unknownPath() async throws {
        try await withHarness { harness in
            // `/` is the camera page (`WebPageRoute`); the folder of its files and unknown files in it are not.
            for target in [
                "/nope", "/api/v1/get_cam_list/", "/API/V1/GET_CAM_LIST", "/axis-cgi/param.cgi", "/web/",
                "/web/nope.js",
            ] {
                let response = await harness.send(target)
                #expect(response.code == 404, "\(target)")
                #expect(response.text.hasPrefix("HTTP 404. "), "\(target)")
                #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
            }
            #expect(await harness.send("/nope", method: "POST").code == 404)
        }
    }

    @Test("the path is percent-decoded once; a malformed escape is 400")
    func pathEscapes() async throws {
        try await withHarness { harness in
            #expect(await harness.send("/api/v1/get%5Fcam%5Flist?\(admin)").code == 200)
            #expect(await harness.send("/api/v1/get%255Fcam_list?\(admin)").code == 404)
            for target in ["/api/v1/get%zzcam_list", "/api/v1/get_cam_list%", "/api%2", "/api/%FF"] {
                let response = await harness.send(target)
                #expect(response.code == 400, "\(target)")
                #expect(response.text.hasPrefix("HTTP 400. "), "\(target)")
            }
        }
    }

    @Test("a malformed query is 400 before authentication")
    func badQuery() async throws {
        try await withHarness { harness in
            let unauthenticated = await harness.send("/api/v1/get_cam_list?x=%zz")
            #expect(unauthenticated.code == 400)
            #expect(
                unauthenticated.text
                    == "HTTP 400. malformed percent escape in value of 'x' (use %XX with two hex digits)")
            let repeated = await harness.send("/api/v1/get_cam_list?user=admin&pwd=admin&user=guest")
            #expect(repeated.code == 400)
            #expect(repeated.text == "HTTP 400. parameter 'user' is given more than once")
        }
    }

    @Test("every answer carries Server and Access-Control-Allow-Origin")
    func commonHeaders() async throws {
        try await withHarness { harness in
            let targets = [
                "/api/v1/get_cam_list?\(admin)", "/api/v1/get_cam_list", "/nope", "/param.cgi?\(admin)",
                "/axis-cgi/mjpg/video.cgi?\(admin)", "/api/v1/get_status?user=guest&pwd=guest",
            ]
            for target in targets {
                let response = await harness.send(target)
                #expect(response.headers.first?.name == "Server", "\(target)")
                #expect(response.header("Server") == "Decoy/0.1.0", "\(target)")
                #expect(response.header("Access-Control-Allow-Origin") == "*", "\(target)")
                #expect(response.headers.filter { $0.name == "Server" }.count == 1)
            }
        }
    }

    @Test("with cors off there is no Access-Control-Allow-Origin; the Server header is configurable")
    func corsOff() async throws {
        let config = DecoyConfig.testDefault.with {
            $0.server.cors = false
            $0.server.serverHeader = "tinyCam Monitor/15.3"
        }
        try await withHarness(config) { harness in
            for target in ["/api/v1/get_cam_list?\(admin)", "/api/v1/get_cam_list", "/nope"] {
                let response = await harness.send(target)
                #expect(response.header("Access-Control-Allow-Origin") == nil, "\(target)")
                #expect(response.header("Server") == "tinyCam Monitor/15.3")
            }
        }
    }

    @Test("the answer names the authenticated user for the access log")
    func answerUser() async throws {
        try await withHarness { harness in
            #expect(await harness.send("/api/v1/get_cam_list?user=guest&pwd=guest").user == "guest")
            #expect(await harness.send("/api/v1/get_cam_list").user == nil)
        }
    }
}
