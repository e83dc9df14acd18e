import DecoyCore
import DecoyMedia
import Testing

@testable import DecoyTinyCam

private let axisConfig = DecoyConfig.testDefault.with { $0.server.profile = .axis }
private let admin = [(name: "Authorization", value: basicHeader("admin", "admin"))]

/// A POST to `target` with `body`, as the `axis` library sends it (`Content-Type: text/plain` for forms).
private func post(
    _ harness: Harness, _ target: String, _ body: String, contentType: String = "text/plain",
    user: String = "admin", password: String = "admin"
) async -> TinyCamResponse {
    await harness.api.handle(
        TinyCamRequest(
            method: "POST", target: target,
            headers: [("Authorization", basicHeader(user, password)), ("Content-Type", contentType)],
            clientAddress: "192.0.2.10", body: Array(body.utf8)))
}

/// The whole parameter list of the test cameras: Front yard (PTZ 230911: every move) and Doorbell
/// (32768: LED only), both 320x240 at 10 fps.
private func expectedList(_ config: DecoyConfig) -> String {
    let identity = AxisDeviceIdentity(config: config)
    let serial = AxisEndpoints.deviceID(config: config)
    let support = [
        "AbsoluteBrightness", "AbsoluteFocus", "AbsoluteIris", "AbsolutePan", "AbsoluteTilt", "AbsoluteZoom",
        "ActionNotification", "AreaZoom", "AutoFocus", "AutoIrCutFilter", "AutoIris", "Auxiliary", "BackLight",
        "ContinuousBrightness", "ContinuousFocus", "ContinuousIris", "ContinuousPan", "ContinuousTilt",
        "ContinuousZoom", "DevicePreset", "DigitalZoom", "GenericHTTP", "IrCutFilter", "JoyStickEmulation",
        "LensOffset", "OSDMenu", "ProportionalSpeed", "RelativeBrightness", "RelativeFocus", "RelativeIris",
        "RelativePan", "RelativeTilt", "RelativeZoom", "ServerPreset", "SpeedCtl",
    ].map { key in
        let on = [
            "ContinuousFocus", "ContinuousIris", "ContinuousPan", "ContinuousTilt", "ContinuousZoom", "ServerPreset",
        ]
        return "root.PTZ.Support.S1.\(key)=\(on.contains(key))\n"
    }.joined()
    return """
        root.Brand.Brand=AXIS
        root.Brand.ProdFullName=AXIS Decoy Network Camera
        root.Brand.ProdNbr=Decoy
        root.Brand.ProdShortName=AXIS Decoy
        root.Brand.ProdType=Network Camera
        root.Brand.ProdVariant=
        root.Brand.WebURL=http://www.axis.com
        root.Properties.API.HTTP.AdminPath=/
        root.Properties.API.HTTP.Version=3
        root.Properties.API.Metadata.Metadata=no
        root.Properties.API.Metadata.Version=1.0
        root.Properties.ApiDiscovery.ApiDiscovery=yes
        root.Properties.Audio.Audio=no
        root.Properties.BasicDeviceInfo.BasicDeviceInfo=yes
        root.Properties.EmbeddedDevelopment.Version=3.0
        root.Properties.Firmware.BuildDate=Jan 01 2025 00:00
        root.Properties.Firmware.BuildNumber=1
        root.Properties.Firmware.Version=10.12.0
        root.Properties.HTTPS.HTTPS=no
        root.Properties.Image.Format=jpeg,mjpeg
        root.Properties.Image.NbrOfViews=2
        root.Properties.Image.Resolution=320x240,320x180,160x120,160x90
        root.Properties.Image.Rotation=0
        root.Properties.Motion.Motion=no
        root.Properties.PTZ.DigitalPTZ=no
        root.Properties.PTZ.PTZ=yes
        root.Properties.System.Architecture=\(identity.architecture)
        root.Properties.System.HardwareID=DEC0
        root.Properties.System.Language=English
        root.Properties.System.LanguageType=default
        root.Properties.System.SerialNumber=\(serial)
        root.Properties.System.Soc=Decoy synthetic camera
        root.Image.RFCCompliantMultipartEnabled=yes
        root.Image.I0.Enabled=yes
        root.Image.I0.Name=Front yard
        root.Image.I0.Source=0
        root.Image.I0.Appearance.ColorEnabled=yes
        root.Image.I0.Appearance.Compression=30
        root.Image.I0.Appearance.MirrorEnabled=no
        root.Image.I0.Appearance.Resolution=320x240
        root.Image.I0.Appearance.Rotation=0
        root.Image.I0.Stream.Duration=0
        root.Image.I0.Stream.FPS=10
        root.Image.I0.Stream.NbrOfFrames=0
        root.Image.I1.Enabled=yes
        root.Image.I1.Name=Doorbell
        root.Image.I1.Source=1
        root.Image.I1.Appearance.ColorEnabled=yes
        root.Image.I1.Appearance.Compression=30
        root.Image.I1.Appearance.MirrorEnabled=no
        root.Image.I1.Appearance.Resolution=320x240
        root.Image.I1.Appearance.Rotation=0
        root.Image.I1.Stream.Duration=0
        root.Image.I1.Stream.FPS=10
        root.Image.I1.Stream.NbrOfFrames=0
        root.PTZ.BoaProtPTZOperator=password
        root.PTZ.CameraDefault=1
        root.PTZ.NbrOfCameras=2
        root.PTZ.NbrOfSerPorts=0
        root.PTZ.CamPorts.Cam1Port=1
        root.PTZ.ImageSource.I0.PTZEnabled=true
        root.PTZ.ImageSource.I1.PTZEnabled=false

        """ + support + """
            root.PTZ.Various.V1.CtlQueueing=false
            root.PTZ.Various.V1.CtlQueueLimit=20
            root.PTZ.Various.V1.CtlQueuePollTime=20
            root.PTZ.Various.V1.FocusEnabled=true
            root.PTZ.Various.V1.HomePresetSet=true
            root.PTZ.Various.V1.IrisEnabled=true
            root.PTZ.Various.V1.Locked=false
            root.PTZ.Various.V1.PanEnabled=true
            root.PTZ.Various.V1.ProportionalSpeedEnabled=false
            root.PTZ.Various.V1.ReturnToOverview=0
            root.PTZ.Various.V1.SpeedCtlEnabled=false
            root.PTZ.Various.V1.TiltEnabled=true
            root.PTZ.Various.V1.ZoomEnabled=true
            root.Input.NbrOfInputs=0
            root.Output.NbrOfOutputs=0
            root.StreamProfile.MaxGroups=0

            """
}

@Suite("Axis profile: param.cgi")
struct AxisParamTests {
    @Test("the three Axis paths do not exist in the tinycam profile: 404 before any credential check")
    func absentInTinyCamProfile() async throws {
        try await withHarness { harness in
            for path in [
                "/axis-cgi/param.cgi?action=list", "/axis-cgi/basicdeviceinfo.cgi", "/axis-cgi/apidiscovery.cgi",
            ] {
                let anonymous = await harness.send(path)
                #expect(anonymous.code == 404, "\(path)")
                #expect(anonymous.header("WWW-Authenticate") == nil)
                let asAdmin = await harness.send(path, headers: admin)
                #expect(asAdmin.code == 404)
                #expect(asAdmin.text.hasPrefix("HTTP 404. No such page: /axis-cgi/"))
            }
            #expect(!harness.api.accessTable.contains { $0.path.hasPrefix("/axis-cgi/param") })
        }
    }

    @Test("action=list without a group lists every group, byte for byte, as text/plain with status 200")
    func listAll() async throws {
        try await withHarness(axisConfig) { harness in
            let response = await harness.send("/axis-cgi/param.cgi?action=list", headers: admin)
            #expect(response.code == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain") == true)
            let expected = expectedList(axisConfig)
            #expect(response.text == expected)
            for (got, want) in zip(response.text.split(separator: "\n"), expected.split(separator: "\n"))
            where got != want {
                Issue.record("first difference: got '\(got)', want '\(want)'")
                break
            }
        }
    }

    @Test("groups: with or without root., several at once, sub-groups and single parameters, in the order asked")
    func groups() async throws {
        try await withHarness(axisConfig) { harness in
            let brand = await harness.send("/axis-cgi/param.cgi?action=list&group=root.Brand", headers: admin)
            #expect(brand.text.split(separator: "\n").count == 7)
            #expect(brand.text.hasPrefix("root.Brand.Brand=AXIS\nroot.Brand.ProdFullName=AXIS Decoy Network Camera\n"))
            let short = await harness.send("/axis-cgi/param.cgi?action=list&group=Brand", headers: admin)
            #expect(short.text == brand.text)

            let two = await harness.send(
                "/axis-cgi/param.cgi?action=list&group=root.Image.I1.Name,root.Properties.System.SerialNumber",
                headers: admin)
            #expect(
                two.text
                    == "root.Image.I1.Name=Doorbell\nroot.Properties.System.SerialNumber=\(AxisEndpoints.deviceID(config: axisConfig))\n"
            )

            // A prefix only matches whole name parts: root.Image.I1 is not root.Image.I10.
            let channel = await harness.send("/axis-cgi/param.cgi?action=list&group=root.Image.I1", headers: admin)
            #expect(channel.text.split(separator: "\n").allSatisfy { $0.hasPrefix("root.Image.I1.") })
            #expect(channel.text.split(separator: "\n").count == 11)
            let partial = await harness.send("/axis-cgi/param.cgi?action=list&group=root.Bran", headers: admin)
            #expect(partial.text == "# Error: Error -1 getting param in group 'root.Bran'\n")
        }
    }

    @Test("a camera's size and rate changed mid-run (a scenario's camera step) show in its channel")
    func changedFormatIsListed() async throws {
        try await withHarness(axisConfig) { harness in
            harness.doorbell.setFormat(size: PixelSize(width: 1280, height: 720), framesPerSecond: 4)
            try await harness.doorbell.hub.mediaLoop.submit {}.get()
            let channel = await harness.send("/axis-cgi/param.cgi?action=list&group=root.Image.I1", headers: admin)
            #expect(channel.text.contains("root.Image.I1.Appearance.Resolution=1280x720\n"), "\(channel.text)")
            #expect(channel.text.contains("root.Image.I1.Stream.FPS=4\n"), "\(channel.text)")
            let other = await harness.send("/axis-cgi/param.cgi?action=list&group=root.Image.I0", headers: admin)
            #expect(other.text.contains("root.Image.I0.Appearance.Resolution=320x240\n"), "\(other.text)")
        }
    }

    @Test("an unknown group answers Axis's error line in its place, with status 200")
    func unknownGroup() async throws {
        try await withHarness(axisConfig) { harness in
            let response = await harness.send(
                "/axis-cgi/param.cgi?action=list&group=root.Network,root.Input", headers: admin)
            #expect(response.code == 200)
            #expect(
                response.text == "# Error: Error -1 getting param in group 'root.Network'\nroot.Input.NbrOfInputs=0\n")
        }
    }

    @Test("the library's POST form (text/plain body) lists the same as a GET query")
    func postForm() async throws {
        try await withHarness(axisConfig) { harness in
            let viaPost = await post(harness, "/axis-cgi/param.cgi", "action=list&group=root.Properties")
            let viaGet = await harness.send("/axis-cgi/param.cgi?action=list&group=root.Properties", headers: admin)
            #expect(viaPost.code == 200)
            #expect(viaPost.text == viaGet.text)
            #expect(viaPost.text.contains("root.Properties.API.HTTP.Version=3\n"))
        }
    }

    @Test("param.cgi is admin only, like tinyCam's /param.cgi")
    func adminOnly() async throws {
        try await withHarness(axisConfig) { harness in
            let guest = await harness.send("/axis-cgi/param.cgi?action=list", basic: "guest", "guest")
            #expect(guest.code == 403)
            #expect(guest.text == "HTTP 403. Access denied.")
        }
    }

    @Test("without PTZ cameras there is no root.PTZ and Properties.PTZ.PTZ=no")
    func noPTZ() async throws {
        let config = axisConfig.with { config in
            for index in config.cameras.indices { config.cameras[index].ptzCapabilities = 0x8000 }
        }
        try await withHarness(config) { harness in
            let response = await harness.send(
                "/axis-cgi/param.cgi?action=list&group=root.PTZ,root.Properties.PTZ", headers: admin)
            #expect(
                response.text
                    == "# Error: Error -1 getting param in group 'root.PTZ'\n"
                    + "root.Properties.PTZ.DigitalPTZ=no\nroot.Properties.PTZ.PTZ=no\n")
        }
    }

    @Test("PTZ support follows each camera's capability bits; channels without PTZ are disabled")
    func ptzPerCamera() async throws {
        let config = axisConfig.with { config in
            config.cameras[0].ptzCapabilities = 0
            config.cameras[1].ptzCapabilities = 0x1 | 0x10  // continuous pan/tilt and presets only
        }
        try await withHarness(config) { harness in
            let text = await harness.send("/axis-cgi/param.cgi?action=list&group=root.PTZ", headers: admin).text
            #expect(text.contains("root.PTZ.CamPorts.Cam2Port=2\n"))
            #expect(!text.contains("Cam1Port"))
            #expect(
                text.contains("root.PTZ.ImageSource.I0.PTZEnabled=false\nroot.PTZ.ImageSource.I1.PTZEnabled=true\n"))
            #expect(!text.contains(".S1.") && !text.contains(".V1."))
            #expect(text.contains("root.PTZ.Support.S2.ContinuousPan=true\n"))
            #expect(text.contains("root.PTZ.Support.S2.ContinuousZoom=false\n"))
            #expect(text.contains("root.PTZ.Support.S2.ServerPreset=true\n"))
            #expect(text.contains("root.PTZ.Support.S2.RelativePan=false\n"))
            #expect(text.contains("root.PTZ.Various.V2.ZoomEnabled=false\n"))
            #expect(text.contains("root.PTZ.Various.V2.HomePresetSet=false\n"))
        }
    }

    @Test("Properties.Image.Resolution: every camera's size and the common sizes that fit, largest first")
    func resolutions() {
        var cameras = DecoyConfig.defaultCameras
        cameras[0].resolution = PixelSize(width: 1280, height: 720)
        cameras[1].resolution = PixelSize(width: 700, height: 500)
        #expect(
            AxisParameters.resolutions(cameras).map(\.description) == [
                "1280x720", "1024x576", "800x600", "800x450", "700x500", "640x480", "640x360", "480x270", "320x240",
                "320x180",
                "160x120", "160x90",
            ])
    }

    @Test("a camera name with a line break stays on one line")
    func nameOnOneLine() async throws {
        let config = axisConfig.with { $0.cameras[1].name = "Door\nbell" }
        try await withHarness(config) { harness in
            let text = await harness.send("/axis-cgi/param.cgi?action=list&group=root.Image.I1.Name", headers: admin)
                .text
            #expect(text == "root.Image.I1.Name=Door bell\n")
        }
    }

    @Test("action=update sets tinyCam's switches and answers OK")
    func update() async throws {
        try await withHarness(axisConfig) { harness in
            #expect(harness.services.settings.current.backgroundMode)
            let response = await post(
                harness, "/axis-cgi/param.cgi", "action=update&root.BackgroundMode=off&root.StreamProfile=sub")
            #expect(response.code == 200)
            #expect(response.text == "OK")
            #expect(!harness.services.settings.current.backgroundMode)
            #expect(harness.services.settings.current.streamProfile == .sub)
            let tagged = await harness.send(
                "/axis-cgi/param.cgi?action=update&root.Notifications=off&tag=porch", headers: admin)
            #expect(tagged.text == "OK")
            #expect(harness.services.settings.current.notificationsTag == "porch")
        }
    }

    @Test("a refused update answers Axis's error line with status 200 and changes nothing")
    func updateRefused() async throws {
        try await withHarness(axisConfig) { harness in
            let bad = await harness.send(
                "/axis-cgi/param.cgi?action=update&root.PowerSafeMode=on&root.BackgroundMode=maybe", headers: admin)
            #expect(bad.code == 200)
            #expect(bad.text == "# Error: Error setting 'root.BackgroundMode' to 'maybe'!")
            #expect(!harness.services.settings.current.powerSafeMode)
            let unknown = await harness.send("/axis-cgi/param.cgi?action=update&root.Brand.Brand=ACME", headers: admin)
            #expect(unknown.text == "# Error: Error setting 'root.Brand.Brand' to 'ACME'!")
            let stray = await harness.send(
                "/axis-cgi/param.cgi?action=update&root.BackgroundMode=on&tag=x", headers: admin)
            #expect(stray.code == 200)
            #expect(stray.text.hasPrefix("# Error: tag 'x' only goes with root.Notifications"))
            let empty = await harness.send("/axis-cgi/param.cgi?action=update", headers: admin)
            #expect(empty.text.hasPrefix("# Request failed: action=update needs root.<Name>=<value>"))
        }
    }

    @Test("a missing or unknown action is a failed request, with status 200")
    func badAction() async throws {
        try await withHarness(axisConfig) { harness in
            let none = await harness.send("/axis-cgi/param.cgi", headers: admin)
            #expect(none.code == 200)
            #expect(none.text.hasPrefix("# Request failed: no action given; use action=list"))
            let add = await harness.send("/axis-cgi/param.cgi?action=add&group=root.Foo", headers: admin)
            #expect(add.text.hasPrefix("# Request failed: unknown action 'add'; use action=list"))
        }
    }

    @Test("the device id: 00408C and 6 hex digits, the same for the same seed, another for another seed")
    func deviceID() {
        let id = AxisEndpoints.deviceID(config: axisConfig)
        #expect(id.count == 12)
        #expect(id.hasPrefix("00408C"))
        #expect(id.allSatisfy { "0123456789ABCDEF".contains($0) })
        #expect(AxisEndpoints.deviceID(config: DecoyConfig.testDefault) == id)
        let other = axisConfig.with { $0.cameras[0].seed = 42 }
        #expect(AxisEndpoints.deviceID(config: other) != id)
        #expect(axisConfig.realm == "AXIS_" + id)
    }
}

@Suite("Axis profile: basicdeviceinfo.cgi and apidiscovery.cgi")
struct AxisDiscoveryTests {
    private func json(_ harness: Harness, _ path: String, _ body: String) async -> TinyCamResponse {
        await post(harness, path, body, contentType: "application/json")
    }

    @Test("getAllProperties: every VAPIX property, byte for byte")
    func allProperties() async throws {
        try await withHarness(axisConfig) { harness in
            let response = await json(
                harness, "/axis-cgi/basicdeviceinfo.cgi",
                #"{"apiVersion":"1.1","context":"Axis library","method":"getAllProperties"}"#)
            #expect(response.code == 200)
            #expect(response.header("Content-Type") == "application/json")
            let architecture = AxisDeviceIdentity(config: axisConfig).architecture
            let serial = AxisEndpoints.deviceID(config: axisConfig)
            #expect(
                response.text
                    == #"{"apiVersion":"1.1","context":"Axis library","method":"getAllProperties","data":{"propertyList":{"#
                    + #""Architecture":"\#(architecture)","Brand":"AXIS","BuildDate":"Jan 01 2025 00:00","HardwareID":"DEC0","#
                    + #""ProdFullName":"AXIS Decoy Network Camera","ProdNbr":"Decoy","ProdShortName":"AXIS Decoy","#
                    + #""ProdType":"Network Camera","ProdVariant":"","SerialNumber":"\#(serial)","#
                    + #""Soc":"Decoy synthetic camera","SocSerialNumber":"","Version":"10.12.0","#
                    + #""WebURL":"http:\/\/www.axis.com"}}}"#)
        }
    }

    @Test("the same identity through basicdeviceinfo.cgi and param.cgi")
    func sameIdentity() async throws {
        try await withHarness(axisConfig) { harness in
            let info = await json(
                harness, "/axis-cgi/basicdeviceinfo.cgi", #"{"apiVersion":"1.1","method":"getAllProperties"}"#
            ).json?["data"]?["propertyList"]
            let params = await harness.send(
                "/axis-cgi/param.cgi?action=list&group=root.Brand.ProdNbr,root.Properties.System.SerialNumber,"
                    + "root.Properties.Firmware.Version", headers: admin
            ).text
            #expect(
                params
                    == "root.Brand.ProdNbr=\(info?["ProdNbr"]?.string ?? "?")\n"
                    + "root.Properties.System.SerialNumber=\(info?["SerialNumber"]?.string ?? "?")\n"
                    + "root.Properties.Firmware.Version=\(info?["Version"]?.string ?? "?")\n")
        }
    }

    @Test("getProperties answers the properties asked for, in that order; no context, none echoed")
    func someProperties() async throws {
        try await withHarness(axisConfig) { harness in
            let response = await json(
                harness, "/axis-cgi/basicdeviceinfo.cgi",
                #"{"apiVersion":"1.0","method":"getProperties","params":{"propertyList":["ProdNbr","Brand"]}}"#)
            #expect(
                response.text
                    == #"{"apiVersion":"1.1","method":"getProperties","data":{"propertyList":{"ProdNbr":"Decoy","Brand":"AXIS"}}}"#
            )
        }
    }

    @Test("getSupportedVersions needs no apiVersion")
    func supportedVersions() async throws {
        try await withHarness(axisConfig) { harness in
            let info = await json(
                harness, "/axis-cgi/basicdeviceinfo.cgi", #"{"context":"Axis library","method":"getSupportedVersions"}"#
            )
            #expect(
                info.text
                    == #"{"apiVersion":"1.1","context":"Axis library","method":"getSupportedVersions","data":{"apiVersions":["1.1"]}}"#
            )
            let discovery = await json(harness, "/axis-cgi/apidiscovery.cgi", #"{"method":"getSupportedVersions"}"#)
            #expect(
                discovery.text
                    == #"{"apiVersion":"1.0","method":"getSupportedVersions","data":{"apiVersions":["1.0"]}}"#)
        }
    }

    @Test("getApiList lists exactly the APIs Decoy implements")
    func apiList() async throws {
        try await withHarness(axisConfig) { harness in
            let response = await json(
                harness, "/axis-cgi/apidiscovery.cgi",
                #"{"apiVersion":"1.0","context":"Axis library","method":"getApiList"}"#)
            #expect(response.code == 200)
            let doc = #"https:\/\/developer.axis.com\/vapix\/network-video\/"#
            #expect(
                response.text
                    == #"{"apiVersion":"1.0","context":"Axis library","method":"getApiList","data":{"apiList":["#
                    + #"{"id":"api-discovery","version":"1.0","name":"API Discovery Service","docLink":"\#(doc)api-discovery-service\/"},"#
                    + #"{"id":"basic-device-info","version":"1.1","name":"Basic Device Information","docLink":"\#(doc)basic-device-information\/"},"#
                    + #"{"id":"event-streaming-over-websocket","version":"1.0","name":"Event streaming over WebSocket","docLink":"\#(doc)event-streaming-over-websocket\/"},"#
                    + #"{"id":"io-port-management","version":"1.0","name":"IO Port Management","docLink":"\#(doc)io-port-management\/"},"#
                    + #"{"id":"light-control","version":"1.1","name":"Light Control","docLink":"\#(doc)light-control\/"},"#
                    + #"{"id":"param-cgi","version":"1.0","name":"Legacy Parameter Handling","docLink":"\#(doc)parameter-management\/"},"#
                    + #"{"id":"stream-profiles","version":"1.0","name":"Stream Profiles","docLink":"\#(doc)stream-profiles\/"},"#
                    + #"{"id":"view-area","version":"1.0","name":"View Area","docLink":"\#(doc)view-area\/"}]}}"#
            )
        }
    }

    @Test("VAPIX JSON errors: status 200, code and message, request fields echoed")
    func errors() async throws {
        try await withHarness(axisConfig) { harness in
            let path = "/axis-cgi/basicdeviceinfo.cgi"
            let cases: [(body: String, code: Int64, echoesMethod: Bool)] = [
                ("not json", 4000, false), ("", 4000, false), ("[1]", 4000, false),
                (#"{"apiVersion":"1.1"}"#, 4002, false),
                (#"{"apiVersion":"1.1","method":"reboot"}"#, 2004, true),
                (#"{"apiVersion":"2.0","method":"getAllProperties"}"#, 2003, true),
                (#"{"apiVersion":"1.9","method":"getAllProperties"}"#, 2003, true),
                (#"{"apiVersion":"one","method":"getAllProperties"}"#, 2003, true),
                (#"{"apiVersion":1.1,"method":"getAllProperties"}"#, 4002, true),
                (#"{"method":"getAllProperties"}"#, 4002, true),
                (#"{"apiVersion":"1.1","method":"getProperties"}"#, 4002, true),
                (#"{"apiVersion":"1.1","method":"getProperties","params":{"propertyList":["Colour"]}}"#, 1000, true),
            ]
            for item in cases {
                let response = await json(harness, path, item.body)
                #expect(response.code == 200, "\(item.body)")
                let parsed = response.json
                #expect(parsed?["error"]?["code"]?.int == item.code, "\(item.body): \(response.text)")
                #expect(parsed?["error"]?["message"]?.string?.isEmpty == false)
                #expect(parsed?["data"] == nil)
                #expect((parsed?["method"] != nil) == item.echoesMethod, "\(item.body)")
            }
            let unknown = await json(
                harness, path,
                #"{"apiVersion":"1.1","context":"c","method":"getProperties","params":{"propertyList":["Colour"]}}"#)
            #expect(
                unknown.json?["error"]?["message"]?.string?.hasPrefix(
                    "Invalid parameter value specified: no property 'Colour'; use Architecture, Brand") == true)
            #expect(unknown.json?["context"]?.string == "c")
            #expect(unknown.json?["apiVersion"]?.string == "1.1")
        }
    }

    @Test("a GET is refused the VAPIX way (2002): these APIs take POST only")
    func getRefused() async throws {
        try await withHarness(axisConfig) { harness in
            for path in ["/axis-cgi/basicdeviceinfo.cgi", "/axis-cgi/apidiscovery.cgi"] {
                let response = await harness.send(path, headers: admin)
                #expect(response.code == 200)
                #expect(response.json?["error"]?["code"]?.int == 2002)
            }
        }
    }

    @Test("guests may ask what the device is")
    func guests() async throws {
        try await withHarness(axisConfig) { harness in
            let response = await post(
                harness, "/axis-cgi/apidiscovery.cgi", #"{"apiVersion":"1.0","method":"getApiList"}"#,
                contentType: "application/json", user: "guest", password: "guest")
            #expect(response.json?["data"]?["apiList"]?.items?.count == AxisDiscoveryEndpoints.listedAPIs.count)
            #expect(AxisDiscoveryEndpoints.listedAPIs.count == 8)
        }
    }
}
