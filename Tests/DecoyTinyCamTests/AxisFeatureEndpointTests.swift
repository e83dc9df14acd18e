import DecoyCore
import Foundation
import Testing

@testable import DecoyTinyCam

private let axisConfig = DecoyConfig.testDefault.with {
    $0.server.profile = .axis
    $0.cameras[0].io = CameraIOConfig(inputs: ["Door"], outputs: ["Siren", "Lamp"])
}

/// A POST of `body` as `user`, the way the `axis` library sends VAPIX requests.
private func post(
    _ harness: Harness, _ target: String, _ body: String, user: String = "admin", password: String = "admin"
) async -> TinyCamResponse {
    await harness.api.handle(
        TinyCamRequest(
            method: "POST", target: target, headers: [("Authorization", basicHeader(user, password))],
            clientAddress: "192.0.2.10", body: Array(body.utf8)))
}

private func json(_ method: String, _ version: String = "1.0", params: String = "{}") -> String {
    #"{"apiVersion":"\#(version)","context":"t","method":"\#(method)","params":\#(params)}"#
}

@Suite("Axis profile: users, light control, I/O ports, media info, applications, absent features")
struct AxisFeatureEndpointTests {
    @Test("usergroup.cgi names the caller and its groups; pwdgrp.cgi lists every group's members, admins only")
    func users() async throws {
        try await withHarness(axisConfig) { harness in
            #expect(
                await harness.send("/axis-cgi/usergroup.cgi", basic: "admin", "admin").text
                    == "admin\nadmin operator viewer ptz\n")
            #expect(await harness.send("/axis-cgi/usergroup.cgi", basic: "guest", "guest").text == "guest\nviewer\n")
            let list = await post(harness, "/axis-cgi/pwdgrp.cgi", "action=get")
            #expect(list.code == 200)
            #expect(
                list.text
                    == "admin=\"admin\"\nanonymous=\"\"\noperator=\"admin\"\nptz=\"admin\"\nviewer=\"admin,guest\"\n"
                    + "digusers=\"admin,guest\"\n")
            #expect(
                await post(harness, "/axis-cgi/pwdgrp.cgi", "action=get", user: "guest", password: "guest").code == 403)
            let add = await post(harness, "/axis-cgi/pwdgrp.cgi", "action=remove&grp=users")
            #expect(add.code == 400)
            #expect(add.text.contains("users come from its configuration"), "\(add.text)")
        }
    }

    @Test("the light control API and tinyCam's lightcontrol.cgi set one LED")
    func light() async throws {
        try await withHarness(axisConfig) { harness in
            let info = try #require(
                await post(harness, "/axis-cgi/lightcontrol.cgi", json("getLightInformation", "1.1")).json)
            let items = info["data"]?["items"]?.items ?? []
            #expect(items.map { $0["lightID"]?.string } == ["led0", "led1"])
            #expect(items.first?["lightState"]?.bool == false)
            #expect(
                await post(
                    harness, "/axis-cgi/lightcontrol.cgi", json("activateLight", "1.1", params: #"{"lightID":"led0"}"#)
                ).code == 200)
            #expect(harness.frontYard.led == .on)
            let status = await post(
                harness, "/axis-cgi/lightcontrol.cgi", json("getLightStatus", "1.1", params: #"{"lightID":"led0"}"#))
            #expect(status.json?["data"]?["status"]?.bool == true)
            _ = await harness.send("/axis-cgi/io/lightcontrol.cgi?camera=1&action=L1:-0", basic: "admin", "admin")
            let off = await post(
                harness, "/axis-cgi/lightcontrol.cgi", json("getLightStatus", "1.1", params: #"{"lightID":"led0"}"#))
            #expect(off.json?["data"]?["status"]?.bool == false)
            _ = await post(
                harness, "/axis-cgi/lightcontrol.cgi",
                json("setAutomaticIntensityMode", "1.1", params: #"{"lightID":"led0","enabled":true}"#))
            #expect(harness.frontYard.led == .auto)
            _ = await post(
                harness, "/axis-cgi/lightcontrol.cgi",
                json("setManualIntensity", "1.1", params: #"{"lightID":"led1","intensity":40}"#))
            #expect(harness.doorbell.led == .on)
            let unknown = await post(
                harness, "/axis-cgi/lightcontrol.cgi", json("activateLight", "1.1", params: #"{"lightID":"led9"}"#))
            #expect(unknown.json?["error"]?["code"]?.int == 2104)
            let missing = await post(harness, "/axis-cgi/lightcontrol.cgi", json("activateLight", "1.1"))
            #expect(missing.json?["error"]?["code"]?.int == 2103)
            let disable = await post(
                harness, "/axis-cgi/lightcontrol.cgi", json("disableLight", "1.1", params: #"{"lightID":"led0"}"#))
            #expect(disable.json?["error"]?["code"]?.int == 2104)
        }
    }

    @Test("I/O ports: listed with their state, outputs set by setPorts and port.cgi, inputs refused")
    func ports() async throws {
        try await withHarness(axisConfig) { harness in
            let list = try #require(await post(harness, "/axis-cgi/io/portmanagement.cgi", json("getPorts")).json)
            #expect(list["data"]?["numberOfPorts"]?.int == 3)
            let items = list["data"]?["items"]?.items ?? []
            #expect(items.map { $0["name"]?.string } == ["Door", "Siren", "Lamp"])
            #expect(items.map { $0["direction"]?.string } == ["input", "output", "output"])
            #expect(items.allSatisfy { $0["state"]?.string == "open" && $0["normalState"]?.string == "open" })
            let set = await post(
                harness, "/axis-cgi/io/portmanagement.cgi",
                #"{"apiVersion":"1.0","context":"t","method":"setPorts","params":[{"port":"1","state":"closed"}]}"#)
            #expect(set.json?["data"] == .object([]), "\(set.text)")
            #expect(harness.frontYard.io.isActive(.output(0)))
            let input = await post(
                harness, "/axis-cgi/io/portmanagement.cgi",
                #"{"apiVersion":"1.0","context":"t","method":"setPorts","params":[{"port":"0","state":"closed"}]}"#)
            #expect(input.json?["error"]?["code"]?.int == 4002)
            #expect(!harness.frontYard.io.isActive(.input(0)))
            #expect(await harness.send("/axis-cgi/io/port.cgi?action=3%3A%2F", basic: "admin", "admin").text == "OK\n")
            #expect(harness.frontYard.io.isActive(.output(1)))
            #expect(await harness.send("/axis-cgi/io/port.cgi?action=3%3A%5C", basic: "admin", "admin").code == 200)
            #expect(!harness.frontYard.io.isActive(.output(1)))
            #expect(await harness.send("/axis-cgi/io/port.cgi?action=1%3A%2F", basic: "admin", "admin").code == 400)
            #expect(await harness.send("/axis-cgi/io/port.cgi?action=9%3A%2F", basic: "admin", "admin").code == 400)
            #expect(await harness.send("/axis-cgi/io/port.cgi?action=nonsense", basic: "admin", "admin").code == 400)
        }
    }

    @Test("stream profiles, view areas, the VMD application and its configuration")
    func mediaAndApplications() async throws {
        try await withHarness(axisConfig) { harness in
            let profiles = await post(
                harness, "/axis-cgi/streamprofile.cgi", json("list", params: #"{"streamProfileName":[]}"#))
            #expect(profiles.json?["data"]?["streamProfile"]?.items?.map { $0["name"]?.string } == ["H.264", "MJPEG"])
            let missing = await post(
                harness, "/axis-cgi/streamprofile.cgi", json("list", params: #"{"streamProfileName":[{"name":"x"}]}"#))
            #expect(missing.json?["error"]?["code"]?.int == 2006)
            let areas = await post(harness, "/axis-cgi/viewarea/info.cgi", json("list"))
            let first = areas.json?["data"]?["viewAreas"]?[0]
            #expect(first?["id"]?.int == 1)
            #expect(first?["canvasSize"]?["horizontal"]?.int == 320)
            #expect(first?["rectangularGeometry"]?["verticalSize"]?.int == 240)
            let apps = await harness.send("/axis-cgi/applications/list.cgi", basic: "admin", "admin")
            #expect(apps.text.contains("Name=\"vmd\"") && apps.text.contains("Status=\"Running\""))
            let vmd = await post(harness, "/local/vmd/control.cgi", json("getConfiguration", "1.2"))
            #expect(vmd.json?["data"]?["profiles"]?.items?.count == 2)
            #expect(vmd.json?["data"]?["configurationStatus"]?.int == 2)
        }
    }

    @Test("MQTT is inactive and not configurable; there is no PIR sensor")
    func absentFeatures() async throws {
        try await withHarness(axisConfig) { harness in
            let mqtt = await post(harness, "/axis-cgi/mqtt/client.cgi", json("getClientStatus"))
            #expect(mqtt.json?["data"]?["status"]?["state"]?.string == "inactive")
            #expect(mqtt.json?["data"]?["status"]?["connectionStatus"]?.string == "disconnected")
            #expect(
                await post(harness, "/axis-cgi/mqtt/client.cgi", json("activateClient")).json?["error"]?["code"]?.int
                    == 2102)
            let pir = await post(harness, "/axis-cgi/pirsensor.cgi", json("listSensors"))
            #expect(pir.json?["data"]?["sensors"] == .array([]))
            let sensitivity = await post(
                harness, "/axis-cgi/pirsensor.cgi", json("getSensitivity", params: #"{"id":0}"#))
            #expect(sensitivity.json?["error"]?["code"]?.int == 2200)
        }
    }

    @Test("wssession.cgi gives a one-use token; ws-data-stream needs a proper upgrade and sources=events")
    func eventSocketUpgrade() async throws {
        try await withHarness(axisConfig) { harness in
            let token = await harness.send("/axis-cgi/wssession.cgi", basic: "guest", "guest").text
            #expect(token.count == 40)
            let upgrade: [(name: String, value: String)] = [
                ("Upgrade", "websocket"), ("Connection", "keep-alive, Upgrade"), ("Sec-WebSocket-Version", "13"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ]
            let accepted = await harness.send(
                "/vapix/ws-data-stream?sources=events&wssession=\(token)", headers: upgrade)
            #expect(accepted.code == 101)
            #expect(accepted.user == "guest")
            guard case .eventSocket(let socket) = accepted.body else {
                Issue.record("not an event socket")
                return
            }
            #expect(socket.key == "dGhlIHNhbXBsZSBub25jZQ==")
            #expect(harness.services.axisEvents.openStreams == 1)
            socket.lease.release()
            #expect(harness.services.axisEvents.openStreams == 0)
            #expect(
                await harness.send("/vapix/ws-data-stream?sources=events&wssession=\(token)", headers: upgrade).code
                    == 403)
            let admin = [("Authorization", basicHeader("admin", "admin"))]
            #expect(await harness.send("/vapix/ws-data-stream?sources=events", headers: admin).code == 400)
            #expect(await harness.send("/vapix/ws-data-stream?sources=video", headers: admin + upgrade).code == 400)
            #expect(await harness.send("/vapix/ws-data-stream?sources=events").code == 401)
        }
    }

    @Test("/vapix/services: GetEventInstances answers the topic set; malformed SOAP gets a Sender fault")
    func services() async throws {
        try await withHarness(axisConfig) { harness in
            let request =
                #"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>"#
                + #"<GetEventInstances xmlns="http://www.axis.com/vapix/ws/event1"/></s:Body></s:Envelope>"#
            let answer = await post(harness, "/vapix/services", request, user: "guest", password: "guest")
            #expect(answer.code == 200)
            #expect(answer.header("Content-Type") == "application/soap+xml; charset=utf-8")
            #expect(answer.text.contains("<tns1:Device aev:NiceName=\"Device\">"))
            for bad in [
                "", "not xml", "<a/>", #"<s:Envelope xmlns:s="x"><s:Body><GetServices/></s:Body></s:Envelope>"#,
            ] {
                let fault = await post(harness, "/vapix/services", bad)
                #expect(fault.code == 400, "\(bad)")
                #expect(fault.text.contains("SOAP-ENV:Sender"), "\(bad)")
            }
            #expect(await harness.send("/vapix/services", basic: "admin", "admin").code == 400)
        }
    }

    @Test("the tinycam profile has none of these paths")
    func tinyCamProfile() async throws {
        try await withHarness { harness in
            for path in [
                "/axis-cgi/usergroup.cgi", "/vapix/services", "/vapix/ws-data-stream", "/axis-cgi/wssession.cgi",
            ] {
                #expect(await harness.send(path, basic: "admin", "admin").code == 404, "\(path)")
            }
        }
    }
}
