import DecoyCore
import Foundation
import Testing

@testable import DecoyTinyCam

private let axisConfig = DecoyConfig.testDefault.with {
    $0.server.profile = .axis
    $0.cameras[0].io = CameraIOConfig(inputs: ["Door"], outputs: ["Siren"])
    $0.cameras[1].io = CameraIOConfig(inputs: ["Bell"])
}

/// The values of `notifications` by topic and source value (`topic|value` when a source tells instances apart).
private func values(_ notifications: [AxisEventNotification]) -> [String: String] {
    Dictionary(
        notifications.map { note in
            (note.source.first.map { "\(note.topic)|\($0.value)" } ?? note.topic, note.data.first?.value ?? "")
        }, uniquingKeysWith: { _, last in last })
}

@Suite("Axis event topics: filters in the concrete-set dialect")
struct AxisTopicFilterTests {
    @Test("a topic matches itself; //. matches it and everything below; | joins alternatives")
    func matching() throws {
        let exact = try AxisTopicFilter(expressions: ["tns1:Device/tnsaxis:Light/Status"])
        #expect(exact.matches("tns1:Device/tnsaxis:Light/Status"))
        #expect(!exact.matches("tns1:Device/tnsaxis:Light"))
        #expect(!exact.matches("tns1:Device/tnsaxis:Light/Status/More"))
        let below = try AxisTopicFilter(expressions: ["tns1:Device//."])
        #expect(below.matches("tns1:Device/tnsaxis:IO/Port"))
        #expect(below.matches("tns1:Device/Trigger/Relay"))
        #expect(!below.matches("tns1:VideoSource/MotionAlarm"))
        let either = try AxisTopicFilter(expressions: ["tns1:VideoSource/MotionAlarm|tns1:Device/tnsaxis:IO/Port"])
        #expect(either.matches("tns1:VideoSource/MotionAlarm") && either.matches("tns1:Device/tnsaxis:IO/Port"))
        #expect(!either.matches("tns1:Device/Trigger/Relay"))
        #expect(
            try AxisTopicFilter(expressions: ["//."]).matches("tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1"))
        #expect(try AxisTopicFilter(expressions: ["//"]).matches("tns1:VideoSource/MotionAlarm"))
        #expect(AxisTopicFilter.all.matches("anything/at/all"))
    }

    @Test("the axis library's short prefixes (onvif:, axis:) name the same topics; /. names the topic itself")
    func prefixes() throws {
        let filter = try AxisTopicFilter(expressions: [
            "onvif:Device/axis:Light/Status", "axis:CameraApplicationPlatform/VMD/.",
        ])
        #expect(filter.matches("tns1:Device/tnsaxis:Light/Status"))
        #expect(filter.matches("tnsaxis:CameraApplicationPlatform/VMD"))
        #expect(!filter.matches("tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1"))
    }

    @Test("empty, overlong or non-topic expressions are refused with a reason")
    func invalid() {
        for bad in [
            [], [""], ["a||b"], ["tns1:Device/<script>"], [String(repeating: "a", count: 2000)], ["tns1:Device///x"],
        ] {
            #expect(throws: AxisTopicFilter.Invalid.self, "\(bad)") { try AxisTopicFilter(expressions: bad) }
        }
    }
}

@Suite("Axis events: one catalog read from the cameras' live state")
struct AxisEventModelTests {
    @Test("the catalog has VMD, motion alarm, object analytics, audio, light, PTZ and port topics per camera")
    func catalog() async throws {
        try await withHarness(axisConfig) { harness in
            let topics = Set(harness.services.axisEvents.catalog.properties.map(\.key))
            for expected in [
                "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1",
                "tnsaxis:CameraApplicationPlatform/VMD/Camera2Profile1",
                "tns1:VideoSource/MotionAlarm|Source=0", "tns1:VideoSource/MotionAlarm|Source=1",
                "tnsaxis:CameraApplicationPlatform/ObjectAnalytics/Device1Scenario1",
                "tnsaxis:CameraApplicationPlatform/ObjectAnalytics/Device2Scenario4",
                "tns1:AudioSource/tnsaxis:TriggerLevel|channel=1",
                "tns1:Device/tnsaxis:Light/Status|id=0", "tns1:Device/tnsaxis:Light/Status|id=1",
                "tns1:PTZController/tnsaxis:Move/Channel_1|PTZConfigurationToken=1",
                "tns1:Device/tnsaxis:IO/Port|port=0", "tns1:Device/Trigger/DigitalInput|InputToken=0",
                "tns1:Device/Trigger/Relay|RelayToken=1", "tns1:Device/tnsaxis:IO/Port|port=2",
            ] {
                #expect(topics.contains(expected), "\(expected) in \(topics.sorted())")
            }
            // The doorbell has only an LED: no PTZ topic for channel 2.
            #expect(!topics.contains { $0.hasPrefix("tns1:PTZController/tnsaxis:Move/Channel_2") })
        }
    }

    @Test("a subscription starts with every value (Initialized), then reports only what changed (Changed)")
    func subscription() async throws {
        try await withHarness(axisConfig) { harness in
            var subscription = AxisEventSubscription(catalog: harness.services.axisEvents.catalog, filter: .all)
            let now = harness.clock.nowMilliseconds()
            let initial = subscription.start(at: now)
            #expect(initial.count == harness.services.axisEvents.catalog.properties.count)
            #expect(initial.allSatisfy { $0.operation == .initialized })
            #expect(values(initial)["tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1"] == "0")
            #expect(values(initial)["tns1:Device/tnsaxis:Light/Status|0"] == "OFF")
            #expect(subscription.changes(at: now).isEmpty)

            let person = harness.frontYard.activity.begin(.person, origin: .api, durationMilliseconds: 5000)
            let started = subscription.changes(at: harness.clock.nowMilliseconds())
            #expect(started.allSatisfy { $0.operation == .changed })
            #expect(
                values(started) == [
                    "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1": "1",
                    "tns1:VideoSource/MotionAlarm|0": "true",
                    "tnsaxis:CameraApplicationPlatform/ObjectAnalytics/Device1Scenario1": "1",
                ])
            harness.clock.advance(by: 5000)
            let ended = subscription.changes(at: harness.clock.nowMilliseconds())
            #expect(
                values(ended) == [
                    "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1": "0",
                    "tns1:VideoSource/MotionAlarm|0": "false",
                    "tnsaxis:CameraApplicationPlatform/ObjectAnalytics/Device1Scenario1": "0",
                ])
            harness.frontYard.activity.end(person)

            try harness.doorbell.setLED(.on)
            harness.frontYard.io.set(.input(0), active: true)
            let other = subscription.changes(at: harness.clock.nowMilliseconds())
            #expect(
                values(other) == [
                    "tns1:Device/tnsaxis:Light/Status|1": "ON", "tns1:Device/tnsaxis:IO/Port|0": "1",
                    "tns1:Device/Trigger/DigitalInput|0": "true",
                ])
        }
    }

    @Test("an audio event is the audio trigger only; a PTZ move is the Move topic while the head moves")
    func audioAndPTZ() async throws {
        try await withHarness(axisConfig) { harness in
            let filter = try AxisTopicFilter(expressions: [
                "tns1:AudioSource//.|tnsaxis:CameraApplicationPlatform/VMD//.|tns1:PTZController//."
            ])
            var subscription = AxisEventSubscription(catalog: harness.services.axisEvents.catalog, filter: filter)
            _ = subscription.start(at: harness.clock.nowMilliseconds())
            harness.doorbell.activity.begin(.audio, origin: .api, durationMilliseconds: 1000)
            #expect(
                values(subscription.changes(at: harness.clock.nowMilliseconds())) == [
                    "tns1:AudioSource/tnsaxis:TriggerLevel|2": "1"
                ])
            try harness.frontYard.apply([.continuousPanTilt(pan: 50, tilt: 0)])
            #expect(
                values(subscription.changes(at: harness.clock.nowMilliseconds()))
                    == ["tns1:PTZController/tnsaxis:Move/Channel_1|1": "1"])
            try harness.frontYard.apply([.continuousPanTilt(pan: 0, tilt: 0)])
            #expect(
                values(subscription.changes(at: harness.clock.nowMilliseconds()))
                    == ["tns1:PTZController/tnsaxis:Move/Channel_1|1": "0"])
        }
    }
}

@Suite("Axis events on the wire: ONVIF metadata XML, WebSocket JSON, SOAP event instances")
struct AxisEventWireTests {
    private let note = AxisEventNotification(
        topic: "tns1:Device/tnsaxis:Light/Status", source: [AxisSimpleItem(name: "id", value: "0")],
        data: [AxisSimpleItem(name: "state", value: "ON")], operation: .changed, timeMilliseconds: 1_552_434_506_371)

    @Test("a notification is a tt:MetadataStream document in the shape Axis cameras send")
    func metadataXML() {
        let xml = AxisMetadataXML.document(note, producer: "d3c0d3c0-0000-4000-8000-00408c123456")
        #expect(
            xml
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tt:MetadataStream xmlns:tt=\"http://www.onvif.org/ver10/schema\">\n"
                + "<tt:Event><wsnt:NotificationMessage xmlns:tns1=\"http://www.onvif.org/ver10/topics\" "
                + "xmlns:tnsaxis=\"http://www.axis.com/2009/event/topics\" xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\" "
                + "xmlns:wsa5=\"http://www.w3.org/2005/08/addressing\"><wsnt:Topic "
                + "Dialect=\"http://docs.oasis-open.org/wsn/t-1/TopicExpression/Simple\">tns1:Device/tnsaxis:Light/Status"
                + "</wsnt:Topic><wsnt:ProducerReference><wsa5:Address>uri://d3c0d3c0-0000-4000-8000-00408c123456/"
                + "ProducerReference</wsa5:Address></wsnt:ProducerReference><wsnt:Message><tt:Message "
                + "UtcTime=\"2019-03-12T23:48:26.371000Z\" PropertyOperation=\"Changed\"><tt:Source><tt:SimpleItem "
                + "Name=\"id\" Value=\"0\"/></tt:Source><tt:Key></tt:Key><tt:Data><tt:SimpleItem Name=\"state\" "
                + "Value=\"ON\"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></tt:Event>"
                + "</tt:MetadataStream>\n")
        #expect(AxisMetadataXML.producerUUID(deviceID: "00408C123456") == "d3c0d3c0-0000-4000-8000-00408c123456")
    }

    @Test("events:notify carries topic, timestamp and the source/key/data maps")
    func notify() throws {
        let json = try JSON.parse(AxisEventSocketMessages.notify(note))
        #expect(json["apiVersion"]?.string == "1.0")
        #expect(json["method"]?.string == "events:notify")
        let notification = json["params"]?["notification"]
        #expect(notification?["topic"]?.string == "tns1:Device/tnsaxis:Light/Status")
        #expect(notification?["timestamp"]?.int == 1_552_434_506_371)
        #expect(notification?["message"]?["source"]?["id"]?.string == "0")
        #expect(notification?["message"]?["key"] == .object([]))
        #expect(notification?["message"]?["data"]?["state"]?.string == "ON")
    }

    @Test("events:configure with filters is accepted (echoing context); every malformed message gets its error code")
    func configure() throws {
        let ok = AxisEventSocketMessages.read(
            #"{"apiVersion":"1.0","context":"axis-py","method":"events:configure","params":{"eventFilterList":[{"topicFilter":"//."}]}}"#
        )
        guard case .configure(let filter, let reply) = ok else {
            Issue.record("not accepted: \(ok)")
            return
        }
        #expect(filter == (try AxisTopicFilter(expressions: ["//."])))
        #expect(reply == #"{"apiVersion":"1.0","context":"axis-py","method":"events:configure","data":{}}"#)
        let cases: [(String, Int64)] = [
            ("not json", 2101), ("[1,2]", 2101),
            (
                #"{"apiVersion":"2.0","method":"events:configure","params":{"eventFilterList":[{"topicFilter":"//."}]}}"#,
                2100
            ),
            (#"{"apiVersion":"1.0","method":"events:subscribe"}"#, 2102),
            (#"{"apiVersion":"1.0","method":"events:configure"}"#, 2103),
            (#"{"apiVersion":"1.0","method":"events:configure","params":{"eventFilterList":[]}}"#, 2104),
            (
                #"{"apiVersion":"1.0","method":"events:configure","params":{"eventFilterList":[{"contentFilter":"x"}]}}"#,
                2104
            ),
            (
                #"{"apiVersion":"1.0","method":"events:configure","params":{"eventFilterList":[{"topicFilter":"bad topic!"}]}}"#,
                2104
            ),
        ]
        for (text, code) in cases {
            guard case .invalid(let reply) = AxisEventSocketMessages.read(text) else {
                Issue.record("accepted: \(text)")
                continue
            }
            let json = try JSON.parse(reply)
            #expect(json["error"]?["code"]?.int == code, "\(text) → \(reply)")
            #expect((json["error"]?["message"]?.string ?? "").count > 10)
        }
    }

    @Test("GetEventInstances lists each topic once, with its source values, as a wstop:TopicSet tree")
    func eventInstances() async throws {
        try await withHarness(axisConfig) { harness in
            let xml = AxisEventInstancesSOAP.response(harness.services.axisEvents.catalog)
            #expect(xml.contains("<aev:GetEventInstancesResponse><wstop:TopicSet>"))
            #expect(xml.contains("<tns1:Device aev:NiceName=\"Device\">"))
            let light = try #require(xml.components(separatedBy: "<Status wstop:topic=\"true\"").last)
                .components(separatedBy: "</Status>")[0]
            #expect(light.contains("<aev:Value>0</aev:Value><aev:Value>1</aev:Value>"), "\(light)")
            #expect(xml.components(separatedBy: "<tns1:VideoSource").count == 2, "one VideoSource branch")
            #expect(xml.contains("<Camera1Profile1 wstop:topic=\"true\""))
            #expect(xml.contains("<Channel_1 wstop:topic=\"true\""))
        }
    }

    @Test("a SOAP request's operation is the first element in its Body; anything else is a Sender fault")
    func soapRequest() {
        let request =
            #"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body xmlns:xsi="x">"#
            + #"<GetEventInstances xmlns="http://www.axis.com/vapix/ws/event1"/></s:Body></s:Envelope>"#
        #expect(AxisSOAPRequest.operation(of: Array(request.utf8)) == .success("GetEventInstances"))
        for bad in ["", "hello", "<a><b/></a>", "<s:Envelope><s:Body></s:Body></s:Envelope>", "<<<<>>>", "<Envelope"] {
            guard case .failure(let fault) = AxisSOAPRequest.operation(of: Array(bad.utf8)) else {
                Issue.record("accepted: \(bad)")
                continue
            }
            #expect(!fault.receiver)
            #expect(fault.xml.contains("<SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value>"))
        }
    }
}
