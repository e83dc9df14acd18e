import DecoyCore
import Foundation
import Testing

/// The camera page and the console in a real headless Chromium, against a real sandbox. Each
/// check keeps its screenshots in `.artifacts/web/` (git-ignored): look at them.
@Suite(.serialized, .enabled("needs headless Chromium (Tools/setup.sh --test)") { Browser.ready })
struct BrowserTests {
    @Test func adminAndGuestSignInAndSeeWhatTheirRoleAllows() async throws {
        try await WebHarness.with { harness in
            let facts = try await Browser.check("login", harness)
            #expect(facts["admin_nav"] as? [String] == ["Live", "Events", "Status", "Admin"])
            #expect(facts["admin_role"] as? String == "Administrator")
            #expect(facts["guest_nav"] as? [String] == ["Live", "Events"])
            #expect(facts["guest_role"] as? String == "Guest")
            #expect(facts["wrong_password_message"] as? String == "Wrong user name or password.")
            #expect((facts["unlabelled"] as? [String: [String]])?["login"] == [])
        }
    }

    /// Six cameras: four tiles stream MJPEG and two refresh snapshots, each at the size its tile
    /// is shown at (640x360 cameras in ~300-pixel tiles), and every tile's picture changes.
    @Test func gridTilesAskForTheirSizeAndShowChangingFrames() async throws {
        try await WebHarness.with(WebHarness.config(extraCameras: 4)) { harness in
            let facts = try await Browser.check("tiles", harness)
            let tiles = try #require(facts["tiles"] as? [[String: Any]])
            #expect(tiles.count == 6)
            #expect(facts["columns"] as? Int == 3)
            #expect(tiles.map { $0["path"] as? String }.filter { $0 == "/axis-cgi/mjpg/video.cgi" }.count == 4)
            #expect(tiles.map { $0["path"] as? String }.filter { $0 == "/axis-cgi/jpg/image.cgi" }.count == 2)
            for tile in tiles {
                let css = tile["css"] as? [Double] ?? []
                let asked = (tile["resolution"] as? String ?? "").split(separator: "x").compactMap { Int($0) }
                #expect(asked.count == 2 && asked[0] < 640 && Double(asked[0]) <= (css.first ?? 0) + 2, "\(tile)")
                #expect(asked.count == 2 && asked[0] * 9 / 16 - asked[1] <= 2, "keeps the camera's aspect: \(tile)")
                #expect(tile["natural"] as? [Int] == asked, "the picture is the size asked: \(tile)")
                #expect((tile["difference"] as? Double ?? 0) > 0.05, "frames change between two screenshots: \(tile)")
            }
            #expect(
                tiles.filter { $0["path"] as? String == "/axis-cgi/mjpg/video.cgi" }.allSatisfy {
                    $0["fps"] as? String == "5"
                })
            #expect((facts["unlabelled"] as? [String: [String]])?["grid"] == [])
            #expect(facts["streams_shown"] as? Int == 4)
            #expect(facts["streams_hidden"] as? Int == 0, "a hidden tab closes its streams")
            #expect(facts["streams_shown_again"] as? Int == 4)
            #expect(facts["streams_after_leaving"] as? Int == 0, "leaving the page closes its streams")
        }
    }

    @Test func aPTZButtonMovesThePictureAndHomeBringsItBack() async throws {
        try await WebHarness.with { harness in
            let facts = try await Browser.check("ptz", harness)
            let baseline = facts["baseline_difference"] as? Double ?? .infinity
            let pan = facts["pan_difference"] as? Double ?? 0
            #expect(pan > 8, "panning changes the scene: \(facts)")
            #expect(pan > baseline * 4, "far more than two frames of a still camera differ: \(facts)")
            #expect((facts["home_difference"] as? Double ?? .infinity) < pan / 2, "home is where it started: \(facts)")
            #expect(harness.sandbox.runtime.services.cameras.cameras[0].viewport.pan == 0)
            #expect((facts["unlabelled"] as? [String: [String]])?["camera"] == [])
        }
    }

    @Test func theLEDToggleShowsInTheNextSnapshot() async throws {
        try await WebHarness.with { harness in
            let facts = try await Browser.check("led", harness)
            let number = { (key: String) in facts[key] as? Double ?? .nan }
            // The corner where the camera draws "LED ON": unchanged between two frames, changed by the toggle.
            #expect(number("snapshot_on") > max(5, 4 * number("snapshot_baseline")), "\(facts)")
            #expect(number("stream_on") > max(5, 4 * number("stream_baseline")), "\(facts)")
            #expect(number("snapshot_off_again") < number("snapshot_on") / 4, "off again: \(facts)")
            #expect(harness.sandbox.runtime.services.cameras.cameras[0].led == .off)
        }
    }

    @Test func anEventsClipPlaysAndSeeksAndCanBePinned() async throws {
        try await WebHarness.with { harness in
            let facts = try await Browser.check("clip", harness)
            #expect(facts["ready_state"] as? Int == 4)
            #expect((facts["advanced_to"] as? Double ?? 0) > 0.3)
            let target = facts["seek_target"] as? Double ?? -1
            #expect(abs((facts["seeked_to"] as? Double ?? 99) - target) < 0.5, "\(facts)")
            #expect((facts["ready_after_seek"] as? Int ?? 0) >= 2)
            #expect((facts["clip_statuses"] as? [Int] ?? []).contains(206), "seeking reads ranges: \(facts)")
            #expect(facts["admin_actions"] as? [String] == ["clip-pin", "clip-delete"])
            #expect(facts["pinned_listed"] as? Int == 1)
            #expect((facts["unlabelled"] as? [String: [String]])?["events"] == [])
        }
    }

    @Test func aGuestSeesNoAdminControlsAndTheAPIRefusesWhatThePageHides() async throws {
        try await WebHarness.with { harness in
            let facts = try await Browser.check("guest", harness)
            #expect(facts["motion_status"] as? Int == 200)
            #expect(facts["nav"] as? [String] == ["Live", "Events"])
            #expect(facts["camera_controls"] as? [String] == ["guest-note"])
            #expect(facts["player_controls"] as? [String] == [])
            #expect(facts["status_page"] as? String == "Status needs an administrator")
            let api = try #require(facts["api"] as? [String: Int])
            for name in ["ptz", "led", "motion", "status", "settings", "pin", "log", "restart"] {
                #expect(api[name] == 403, "\(name): \(api)")
            }
            #expect(api["cameras"] == 200)
            #expect(harness.sandbox.runtime.services.cameras.cameras[0].led == .off)
        }
    }

    @Test func theCameraPageWorksFromTheKeyboard() async throws {
        try await WebHarness.with { harness in
            let facts = try await Browser.check("keyboard", harness)
            #expect(facts["signed_in_by_keyboard"] as? Bool == true)
            #expect(facts["tile_focused"] as? String == "Front yard: open the camera")
            #expect(facts["camera_opened"] as? String == "#/live/182399567")
            #expect(facts["ptz_focused"] as? String == "ptz-right")
            #expect(facts["ptz_pressed_after"] as? String == "false", "released with the key")
            let pan = harness.sandbox.runtime.services.cameras.cameras[0].viewport.pan
            #expect(pan > 0.1, "Enter held on Pan right panned: \(pan)")
        }
    }

    @Test func everyPageFitsAPhone() async throws {
        try await WebHarness.with { harness in
            let facts = try await Browser.check("mobile", harness)
            let overflow = try #require(facts["overflow"] as? [String: Int])
            #expect(overflow.count == 5)
            for (page, pixels) in overflow { #expect(pixels <= 0, "\(page) is \(pixels) px wider than 390") }
            #expect((facts["unlabelled"] as? [String: [String]])?["console"] == [])
        }
    }

    @Test func aMotionFiredFromTheConsoleShowsInTheJournalAndOnTheCameraPage() async throws {
        try await WebHarness.with { harness in
            let facts = try await Browser.check("console-motion", harness)
            #expect(facts["yaml"] as? String == "motion: { camera: Doorbell, type: person, duration: 4s }")
            #expect(
                (facts["result"] as? String)?.hasPrefix("Done: motion person on Doorbell for 4 s") == true, "\(facts)")
            #expect((facts["journal_row"] as? String)?.contains("motion person on Doorbell") == true)
            #expect((facts["events_listed"] as? Int ?? 0) >= 1)
            #expect((facts["event_label"] as? String)?.hasPrefix("person on Doorbell") == true, "\(facts)")
            #expect((facts["unlabelled"] as? [String: [String]])?["console"] == [])
        }
    }

    @Test func a503RuleAddedFromTheConsoleFailsTheNextRequest() async throws {
        try await WebHarness.with { harness in
            let facts = try await Browser.check("console-rule", harness)
            #expect(
                facts["yaml"] as? String
                    == "name: busy camera list\nmatch: { path: /api/v1/get_cam_list }\nstatus: 503")
            #expect(facts["next_request"] as? Int == 503)
            #expect((facts["journal_row"] as? String)?.contains("busy camera list") == true, "\(facts)")
            #expect((facts["filtered_rows"] as? Int ?? 0) >= 1)
            #expect(facts["after_removal"] as? Int == 200)
        }
    }
}
