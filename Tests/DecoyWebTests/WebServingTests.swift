import DecoyCore
import Foundation
import Testing

/// The camera page on the tinyCam port and the console on the control listener, through the real
/// transports, read with curl.
@Suite struct WebServingTests {
    @Test(arguments: [ServerProfile.tinycam, .axis])
    func theCameraPageIsAtTheRootWithoutCredentials(profile: ServerProfile) async throws {
        try await WebHarness.with(WebHarness.config(profile: profile)) { harness in
            let page = try await fetch(harness.tinyCam + "/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.text.contains("<script type=\"module\" src=\"/web/camera-app.js\"></script>"))
            #expect(page.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            #expect(page.header("Cache-Control") == "no-cache")
            #expect(page.header("Server")?.hasPrefix("Decoy/") == true)
            let tag = try #require(page.header("ETag"))
            let again = try await fetch(harness.tinyCam + "/", headers: ["If-None-Match: \(tag)"])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            let script = try await fetch(harness.tinyCam + "/web/camera-live.js")
            #expect(script.status == 200)
            #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
            let head = try await fetch(harness.tinyCam + "/web/camera-live.js", method: "HEAD")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == String(script.body.count))
            #expect(head.body.isEmpty)
            // The API around it is unchanged: still credentials first.
            #expect(try await fetch(harness.tinyCam + "/api/v1/get_cam_list").status == 401)
        }
    }

    @Test func nothingOfTheConsoleIsOnTheTinyCamPort() async throws {
        try await WebHarness.with { harness in
            for path in [
                "/web/console-app.js", "/web/console.html", "/web/console.css", "/events/journal", "/web/nope.js",
            ] {
                let answer = try await fetch(harness.tinyCam + path)
                #expect(answer.status == 404, "\(path)")
                #expect(answer.text == "HTTP 404. No such page: \(path)", "\(path)")
            }
            let post = try await fetch(harness.tinyCam + "/", method: "POST", body: "x=1")
            #expect(post.status == 405)
            #expect(post.header("Allow") == "GET, HEAD")
        }
    }

    @Test func theJournalRecordsThePageLikeAnyRequest() async throws {
        try await WebHarness.with { harness in
            _ = try await fetch(harness.tinyCam + "/web/ui.js")
            let journal = try jsonObject(try await fetch(harness.control.url + "/journal?path=/web/*").text)
            let entries = journal["entries"] as? [[String: Any]] ?? []
            #expect((entries.first?["request"] as? [String: Any])?["status"] as? Int == 200, "\(journal)")
        }
    }

    @Test func theConsoleIsAtTheRootOfTheControlListener() async throws {
        try await WebHarness.with { harness in
            let page = try await fetch(harness.control.url + "/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.text.contains("/web/console-app.js"))
            #expect(page.header("Content-Security-Policy")?.contains("require-trusted-types-for 'script'") == true)
            #expect(page.header("Cache-Control") == "no-cache")
            let tag = try #require(page.header("ETag"))
            let again = try await fetch(harness.control.url + "/", headers: ["If-None-Match: \(tag)"])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(again.header("Content-Length") == nil)
            #expect(try await fetch(harness.control.url + "/web/console-health.js").status == 200)
            let camera = try await fetch(harness.control.url + "/web/camera-live.js")
            #expect(camera.status == 404)
            #expect(camera.text.contains("\"endpoints\""))
            let post = try await fetch(harness.control.url + "/", method: "POST", body: "{}")
            #expect(post.status == 405)
            #expect(post.header("Allow") == "GET")
            #expect(try await fetch(harness.control.url + "/web/console.css", method: "HEAD").status == 405)
            // The JSON API keeps its own caching rule.
            #expect(try await fetch(harness.control.url + "/healthz").header("Cache-Control") == "no-store")
        }
    }
}
