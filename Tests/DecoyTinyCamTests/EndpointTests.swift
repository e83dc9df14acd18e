import DecoyCore
import DecoyTinyCam
import Testing

private let admin = "user=admin&pwd=admin"
private let jsonType = "application/json; charset=utf-8"

@Suite("Sessions")
struct SessionTests {
    @Test("login answers {\"data\":{\"token\":…,\"access\":…}} for admin and guest")
    func loginShape() async throws {
        try await withHarness { harness in
            for (user, access) in [("admin", "admin"), ("guest", "guest")] {
                let response = await harness.send("/api/v1/login?user=\(user)&pwd=\(user)")
                #expect(response.code == 200)
                #expect(response.header("Content-Type") == jsonType)
                let token = try #require(response.json?["data"]?["token"]?.string)
                #expect(response.text == #"{"data":{"token":"\#(token)","access":"\#(access)"}}"#)
            }
        }
    }

    @Test("login with Basic credentials also issues a token")
    func loginWithBasic() async throws {
        try await withHarness { harness in
            let response = await harness.send("/api/v1/login", basic: "guest", "guest")
            #expect(response.json?["data"]?.keys == ["token", "access"])
            #expect(response.json?["data"]?["access"]?.string == "guest")
        }
    }

    @Test("logout answers {\"data\":{}} and revokes the token; other tokens stay valid")
    func logout() async throws {
        try await withHarness { harness in
            let token = try #require(await harness.send("/api/v1/login?\(admin)").json?["data"]?["token"]?.string)
            let other = try #require(await harness.send("/api/v1/login?\(admin)").json?["data"]?["token"]?.string)
            #expect(await harness.send("/api/v1/get_status?token=\(token)").code == 200)
            let response = await harness.send("/api/v1/logout?token=\(token)")
            #expect(response.code == 200)
            #expect(response.header("Content-Type") == jsonType)
            #expect(response.text == #"{"data":{}}"#)
            let after = await harness.send("/api/v1/get_status?token=\(token)")
            #expect(after.code == 403)
            #expect(after.text == "HTTP 403. Invalid token.")
            #expect(await harness.send("/api/v1/get_status?token=\(other)").code == 200)
            // Logging out twice: the token is already invalid.
            #expect(await harness.send("/api/v1/logout?token=\(token)").code == 403)
        }
    }
}

@Suite("Camera list and status")
struct StatusTests {
    /// The `get_cam_list` example of the tinyCam API document, verbatim.
    static let documentExample = """
        {
        	"data": [{
        		"name": "Front yard",
        		"enabled": true,
        		"id": 182399567,
        		"ptzCapabilities": 230911,
        		"audioListening": true,
        		"cloudAccess": false
        	}, {
        		"name": "Doorbell",
        		"enabled": true,
        		"id": 1455317736,
        		"ptzCapabilities": 32768,
        		"audioListening": true,
        		"cloudAccess": true
        	}]
        }
        """

    @Test("get_cam_list is byte for byte the API document's example without its whitespace")
    func cameraListMatchesDocument() async throws {
        try await withHarness(.embeddedDefault) { harness in
            let response = await harness.send("/api/v1/get_cam_list?user=guest&pwd=guest")
            #expect(response.code == 200)
            #expect(response.header("Content-Type") == jsonType)
            #expect(response.text == compactJSON(Self.documentExample))
        }
    }

    @Test("get_cam_list escapes slashes like org.json and lists disabled cameras")
    func cameraListEscapingAndDisabled() async throws {
        let config = DecoyConfig.testDefault.with {
            $0.cameras = [CameraConfig(name: "Back \"yard\" 1\\2", id: 5, enabled: false, ptzCapabilities: 0)]
        }
        try await withHarness(config) { harness in
            let response = await harness.send("/api/v1/get_cam_list?\(admin)")
            #expect(
                response.text
                    == #"{"data":[{"name":"Back \"yard\" 1\\2","enabled":false,"id":5,"ptzCapabilities":0,"audioListening":true,"cloudAccess":false}]}"#
            )
        }
    }

    /// The keys of the global `get_status` example of the API document, in its order.
    static let documentStatusKeys = [
        "backgroundMode", "cpuUsagePercents", "cpuFrequencyMhz", "temperature", "memoryAvailable", "memoryUsed",
        "threadsUsed", "threadsRunnableUsed", "processes", "batteryLevel", "batteryStatus", "uptime", "networkInBps",
        "networkOutBps", "streamProfile", "powerSafeMode", "notifications", "rootAvailable", "spaceUsed",
        "spaceAvailable", "liveConnections", "motionCameras",
    ]

    @Test("global get_status has every key of the document's example, in order, with the right types")
    func globalStatus() async throws {
        try await withHarness { harness in
            harness.clock.advance(by: 5000)
            let response = await harness.send("/api/v1/get_status?\(admin)")
            #expect(response.code == 200)
            #expect(response.header("Content-Type") == jsonType)
            let json = try #require(response.json)
            #expect(json.keys == ["data"])
            let data = try #require(json["data"])
            #expect(data.keys == Self.documentStatusKeys)

            for key in ["backgroundMode", "powerSafeMode", "notifications", "rootAvailable"] {
                #expect(data[key]?.bool != nil, "\(key) is \(String(describing: data[key]))")
            }
            for key in [
                "cpuUsagePercents", "cpuFrequencyMhz", "temperature", "memoryAvailable", "memoryUsed", "threadsUsed",
                "threadsRunnableUsed", "batteryLevel", "uptime", "networkInBps", "networkOutBps", "streamProfile",
                "spaceUsed", "spaceAvailable", "liveConnections",
            ] {
                #expect(data[key]?.int != nil, "\(key) is \(String(describing: data[key]))")
            }
            #expect(data["batteryStatus"]?.string == "charging")
            #expect(data["batteryLevel"]?.int == 100)
            #expect(data["temperature"]?.int == -1)
            #expect(data["backgroundMode"]?.bool == true)
            #expect(data["notifications"]?.bool == true)
            #expect(data["powerSafeMode"]?.bool == false)
            #expect(data["rootAvailable"]?.bool == false)
            #expect(data["streamProfile"]?.int == 0)
            #expect(data["liveConnections"]?.int == 0)
            #expect(data["uptime"]?.int == 5000)
            #expect((data["cpuUsagePercents"]?.int).map { (0...100).contains($0) } == true)
            #expect(data["motionCameras"]?.items == [])
            let processes = try #require(data["processes"]?.items)
            #expect(!processes.isEmpty)
            for process in processes {
                #expect(process.keys == ["name", "memoryUsed"])
                #expect(process["name"]?.string != nil)
                #expect(process["memoryUsed"]?.int != nil)
            }
        }
    }

    @Test("get_status reports the configured battery and temperature")
    func configuredStatusValues() async throws {
        let config = DecoyConfig.testDefault.with {
            $0.status.batteryLevel = 15
            $0.status.batteryStatus = "discharging"
            $0.status.temperature = 41
        }
        try await withHarness(config) { harness in
            let data = try #require(await harness.send("/api/v1/get_status?\(admin)").json?["data"])
            #expect(data["batteryLevel"]?.int == 15)
            #expect(data["batteryStatus"]?.string == "discharging")
            #expect(data["temperature"]?.int == 41)
        }
    }

    @Test("per camera get_status is {\"data\":{\"motion\":…,\"health\":…}} and motionCameras follows it")
    func cameraStatus() async throws {
        try await withHarness { harness in
            let quiet = await harness.send("/api/v1/get_status?\(admin)&cameraId=182399567")
            #expect(quiet.code == 200)
            #expect(quiet.text == #"{"data":{"motion":false,"health":"live"}}"#)
            harness.frontYard.activity.begin(.motion, origin: .api)
            let moving = await harness.send("/api/v1/get_status?\(admin)&cameraId=182399567")
            #expect(moving.text == #"{"data":{"motion":true,"health":"live"}}"#)
            let global = await harness.send("/api/v1/get_status?\(admin)")
            #expect(global.json?["data"]?["motionCameras"] == .array([.string("Front yard")]))
            #expect(await harness.send("/api/v1/get_status?\(admin)&cameraId=").json?["data"]?.keys.count == 22)
        }
    }

    @Test("get_status with a malformed cameraId is 400, an unknown one 404")
    func cameraStatusErrors() async throws {
        try await withHarness { harness in
            let malformed = await harness.send("/api/v1/get_status?\(admin)&cameraId=abc")
            #expect(malformed.code == 400)
            #expect(malformed.text.hasPrefix("HTTP 400. "))
            #expect(malformed.header("Content-Type") == "text/plain; charset=utf-8")
            let unknown = await harness.send("/api/v1/get_status?\(admin)&cameraId=42")
            #expect(unknown.code == 404)
            #expect(unknown.text.hasPrefix("HTTP 404. "))
        }
    }
}

@Suite("param.cgi")
struct ParamTests {
    private func status(_ harness: Harness) async throws -> JSON {
        try #require(await harness.send("/api/v1/get_status?\(admin)").json?["data"])
    }

    @Test("each switch is read back by get_status")
    func switches() async throws {
        try await withHarness { harness in
            let cases: [(String, String, JSON)] = [
                ("root.BackgroundMode=off", "backgroundMode", .bool(false)),
                ("root.BackgroundMode=on", "backgroundMode", .bool(true)),
                ("root.StreamProfile=sub", "streamProfile", .number("1")),
                ("root.StreamProfile=auto", "streamProfile", .number("2")),
                ("root.StreamProfile=main", "streamProfile", .number("0")),
                ("root.Notifications=off", "notifications", .bool(false)),
                ("root.Notifications=on", "notifications", .bool(true)),
                ("root.PowerSafeMode=on", "powerSafeMode", .bool(true)),
                ("root.PowerSafeMode=off", "powerSafeMode", .bool(false)),
            ]
            for (parameter, key, expected) in cases {
                let response = await harness.send("/param.cgi?\(admin)&action=update&\(parameter)")
                #expect(response.code == 200, "\(parameter): \(response.text)")
                #expect(response.text == "", "\(parameter)")
                let data = try await status(harness)
                #expect(data[key] == expected, "\(parameter)")
            }
        }
    }

    @Test("notifications with a tag remember the tag")
    func notificationsTag() async throws {
        try await withHarness { harness in
            let response = await harness.send("/param.cgi?\(admin)&action=update&root.Notifications=off&tag=Home")
            #expect(response.code == 200)
            #expect(harness.services.settings.current.notificationsTag == "Home")
            let data = try await status(harness)
            #expect(data["notifications"] == .bool(false))
            _ = await harness.send("/param.cgi?\(admin)&action=update&root.Notifications=on")
            #expect(harness.services.settings.current.notificationsTag == nil)
        }
    }

    @Test("several switches in one request are all applied")
    func severalAtOnce() async throws {
        try await withHarness { harness in
            let response = await harness.send(
                "/param.cgi?\(admin)&action=update&root.BackgroundMode=off&root.StreamProfile=auto"
                    + "&root.PowerSafeMode=on&root.Notifications=off&tag=Office")
            #expect(response.code == 200)
            let data = try await status(harness)
            #expect(data["backgroundMode"] == .bool(false))
            #expect(data["streamProfile"] == .number("2"))
            #expect(data["powerSafeMode"] == .bool(true))
            #expect(data["notifications"] == .bool(false))
            #expect(harness.services.settings.current.notificationsTag == "Office")
        }
    }

    @Test(
        "bad requests are 400 with a reason and change nothing",
        arguments: [
            ("action=update&root.BackgroundMode=maybe", "root.BackgroundMode must be on or off, got 'maybe'"),
            ("action=update&root.BackgroundMode=ON", "root.BackgroundMode must be on or off, got 'ON'"),
            ("action=update&root.StreamProfile=hd", "root.StreamProfile must be main, sub or auto, got 'hd'"),
            ("action=update&root.Notifications=", "root.Notifications must be on or off, got ''"),
            ("action=update&root.PowerSafeMode=1", "root.PowerSafeMode must be on or off, got '1'"),
            ("action=update&root.Volume=11", "unknown parameter 'root.Volume'"),
            ("root.BackgroundMode=off", "missing action"),
            ("action=delete", "action=delete needs root.Filename"),
            ("action=list", "unknown action 'list'"),
            ("action=update", "action=update needs one of"),
            ("action=update&root.PowerSafeMode=on&tag=Home", "tag 'Home' only goes with root.Notifications"),
            ("action=update&root.BackgroundMode=off&root.StreamProfile=bogus", "root.StreamProfile must be"),
            ("action=update&root.PowerSafeMode=on&root.Nope=on", "unknown parameter 'root.Nope'"),
        ])
    func badRequests(query: String, reason: String) async throws {
        try await withHarness { harness in
            let before = harness.services.settings.current
            let response = await harness.send("/param.cgi?\(admin)&\(query)")
            #expect(response.code == 400)
            #expect(response.text.hasPrefix("HTTP 400. \(reason)"), "\(response.text)")
            #expect(harness.services.settings.current == before)
        }
    }

    @Test("a change is written to the event log")
    func eventLog() async throws {
        try await withHarness { harness in
            _ = await harness.send("/param.cgi?\(admin)&action=update&root.Notifications=off&tag=Home")
            #expect(
                harness.services.logs.audit.text
                    == "2020-09-29 12:06:04.000 settings root.Notifications=off tag=Home by admin\n")
        }
    }
}

@Suite("Admin pages")
struct AdminTests {
    @Test("get_ip_addresses lists recent clients, newest first, one entry per address and user")
    func ipAddresses() async throws {
        try await withHarness { harness in
            _ = await harness.send("/api/v1/get_cam_list?user=guest&pwd=guest", from: "10.0.0.2")
            harness.clock.advance(by: 1000)
            _ = await harness.send("/api/v1/get_cam_list?\(admin)", from: "10.0.0.1")
            harness.clock.advance(by: 1000)
            _ = await harness.send("/api/v1/get_cam_list?user=guest&pwd=guest", from: "10.0.0.2")
            harness.clock.advance(by: 1000)
            // Failed requests are not recorded.
            _ = await harness.send("/api/v1/get_cam_list?user=admin&pwd=bad", from: "10.0.0.9")
            let response = await harness.send("/api/v1/get_ip_addresses?\(admin)", from: "10.0.0.1")
            #expect(response.code == 200)
            #expect(response.header("Content-Type") == jsonType)
            let start = ManualClock().nowMilliseconds()
            #expect(
                response.text
                    == #"{"data":[{"ip":"10.0.0.1","time":\#(start + 3000),"user":"admin"},"#
                    + #"{"ip":"10.0.0.2","time":\#(start + 2000),"user":"guest"}]}"#)
        }
    }

    @Test("the event log has logins and settings; clearalllog empties every log")
    func logs() async throws {
        try await withHarness { harness in
            _ = await harness.send("/api/v1/login?\(admin)", from: "10.0.0.1")
            harness.clock.advance(by: 1500)
            _ = await harness.send("/param.cgi?\(admin)&action=update&root.BackgroundMode=off")
            harness.services.logs.app.append("app line")
            harness.services.logs.lifecycle.append("web server listening")

            let events = await harness.send("/axis-cgi/admin/eventlog.cgi?\(admin)")
            #expect(events.code == 200)
            #expect(events.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(
                events.text
                    == "2020-09-29 12:06:04.000 login admin from 10.0.0.1\n"
                    + "2020-09-29 12:06:05.500 settings root.BackgroundMode=off by admin\n")
            #expect(await harness.send("/axis-cgi/admin/applog.cgi?\(admin)").text == "app line\n")
            #expect(await harness.send("/axis-cgi/admin/watchdoglog.cgi?\(admin)").text == "web server listening\n")
            #expect(await harness.send("/axis-cgi/admin/crashlog.cgi?\(admin)").text == "")
            let access = await harness.send("/axis-cgi/admin/accesslog.cgi?\(admin)")
            #expect(access.code == 200)

            let clear = await harness.send("/axis-cgi/admin/clearalllog.cgi?\(admin)")
            #expect(clear.code == 200)
            #expect(clear.text == "")
            for page in ["eventlog", "applog", "watchdoglog", "accesslog"] {
                #expect(await harness.send("/axis-cgi/admin/\(page).cgi?\(admin)").text == "", "\(page)")
            }
        }
    }

    @Test("clearapplog empties only the app log")
    func clearAppLog() async throws {
        try await withHarness { harness in
            harness.services.logs.app.append("app line")
            _ = await harness.send("/api/v1/login?\(admin)")
            #expect(await harness.send("/axis-cgi/admin/clearapplog.cgi?\(admin)").code == 200)
            #expect(harness.services.logs.app.count == 0)
            #expect(harness.services.logs.audit.count == 1)
        }
    }

    @Test("restart.cgi asks the server to restart and logs it")
    func restart() async throws {
        try await withHarness { harness in
            let response = await harness.send("/axis-cgi/admin/restart.cgi?\(admin)")
            #expect(response.code == 200)
            #expect(response.text == "")
            #expect(harness.control.restarts == 1)
            #expect(harness.services.logs.audit.text.hasSuffix(" restart requested by admin\n"))
            // A guest cannot.
            #expect(await harness.send("/axis-cgi/admin/restart.cgi?user=guest&pwd=guest").code == 403)
            #expect(harness.control.restarts == 1)
        }
    }
}
