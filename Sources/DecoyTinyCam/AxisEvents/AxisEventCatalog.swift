import DecoyCore

/// Every event property an Axis-profile Decoy reports, for all its cameras: what
/// `GetEventInstances` lists and what event subscriptions (WebSocket, RTSP metadata) send.
///
/// Camera N (1-based, as `camera=N`) is video channel N: `Camera<N>Profile1` of VMD,
/// `Device<N>Scenario<k>` of object analytics, `Channel_<N>` of PTZ, video source and light
/// `N-1`. I/O ports are numbered across cameras in `cameras[]` order, inputs first, from 0 (the
/// ids `io/portmanagement.cgi` lists).
public struct AxisEventCatalog: Sendable {
    public let properties: [AxisEventProperty]

    public init(properties: [AxisEventProperty]) { self.properties = properties }

    public init(cameras: CameraRegistry) {
        var properties: [AxisEventProperty] = []
        for camera in cameras.cameras {
            properties += Self.cameraProperties(camera)
        }
        properties += AxisIOPortList(cameras: cameras).ports.flatMap(Self.portProperties)
        self.properties = properties
    }

    /// The object-analytics scenarios, one per object type a Decoy event can be about.
    static let analyticsScenarios: [(number: Int, type: EventType, name: String)] = [
        (1, .person, "Person"), (2, .vehicle, "Vehicle"), (3, .pet, "Animal"), (4, .face, "Face"),
    ]

    private static func cameraProperties(_ camera: Camera) -> [AxisEventProperty] {
        let channel = camera.index
        let activity = camera.activity
        let video: @Sendable (Int64) -> Bool = { time in activity.active(at: time).contains { $0.type != .audio } }
        var properties = [
            AxisEventProperty(
                topic: "tnsaxis:CameraApplicationPlatform/VMD/Camera\(channel)Profile1", source: nil,
                dataName: "active",
                description: AxisEventDescription(niceName: "VMD 4: Profile 1 (\(camera.config.name))"),
                read: { video($0) ? "1" : "0" }),
            AxisEventProperty(
                topic: "tns1:VideoSource/MotionAlarm", source: AxisSimpleItem(name: "Source", value: "\(channel - 1)"),
                dataName: "State",
                description: AxisEventDescription(niceName: "Motion alarm", sourceType: "tt:ReferenceToken"),
                read: { video($0) ? "true" : "false" }),
        ]
        for scenario in analyticsScenarios {
            let type = scenario.type
            properties.append(
                AxisEventProperty(
                    topic:
                        "tnsaxis:CameraApplicationPlatform/ObjectAnalytics/Device\(channel)Scenario\(scenario.number)",
                    source: nil, dataName: "active",
                    description: AxisEventDescription(niceName: "Object Analytics: \(scenario.name)"),
                    read: { time in activity.active(at: time).contains { $0.type == type } ? "1" : "0" }))
        }
        properties.append(
            AxisEventProperty(
                topic: "tns1:AudioSource/tnsaxis:TriggerLevel",
                source: AxisSimpleItem(name: "channel", value: "\(channel)"),
                dataName: "triggered",
                description: AxisEventDescription(
                    niceName: "Audio detection", sourceNiceName: "Channel", dataNiceName: "Above alarm level"),
                read: { time in activity.active(at: time).contains { $0.type == .audio } ? "1" : "0" }))
        let capabilities = camera.capabilities
        if !capabilities.intersection([.ledOn, .ledOff, .ledAuto]).isEmpty {
            properties.append(
                AxisEventProperty(
                    topic: "tns1:Device/tnsaxis:Light/Status",
                    source: AxisSimpleItem(name: "id", value: "\(channel - 1)"),
                    dataName: "state",
                    description: AxisEventDescription(
                        niceName: "Status", sourceNiceName: "Light ID", dataType: "xsd:string", dataNiceName: "State",
                        isApplicationData: true),
                    read: { _ in camera.led == .on ? "ON" : "OFF" }))
        }
        if !capabilities.intersection([.continuousPanTilt, .continuousZoom, .home, .presets]).isEmpty {
            properties.append(
                AxisEventProperty(
                    topic: "tns1:PTZController/tnsaxis:Move/Channel_\(channel)",
                    source: AxisSimpleItem(name: "PTZConfigurationToken", value: "\(channel)"), dataName: "is_moving",
                    description: AxisEventDescription(
                        niceName: "PTZ movement on channel \(channel)", sourceNiceName: "PTZ channel",
                        dataNiceName: "Moving"),
                    read: { camera.isMoving(at: $0) ? "1" : "0" }))
        }
        return properties
    }

    /// An input is reported as Axis's `IO/Port` (what the `axis` library and Home Assistant read)
    /// and ONVIF's `Trigger/DigitalInput`; an output as ONVIF's `Trigger/Relay`.
    private static func portProperties(_ port: AxisIOPort) -> [AxisEventProperty] {
        let id = "\(port.id)"
        let isActive: @Sendable (Int64) -> Bool = { _ in port.isActive }
        switch port.direction {
        case .input:
            return [
                AxisEventProperty(
                    topic: "tns1:Device/tnsaxis:IO/Port", source: AxisSimpleItem(name: "port", value: id),
                    dataName: "state",
                    description: AxisEventDescription(
                        niceName: "Digital input port", sourceNiceName: "Port", dataNiceName: "Active"),
                    read: { isActive($0) ? "1" : "0" }),
                AxisEventProperty(
                    topic: "tns1:Device/Trigger/DigitalInput", source: AxisSimpleItem(name: "InputToken", value: id),
                    dataName: "LogicalState",
                    description: AxisEventDescription(
                        niceName: "Digital input", sourceType: "tt:ReferenceToken", isApplicationData: true),
                    read: { isActive($0) ? "true" : "false" }),
            ]
        case .output:
            return [
                AxisEventProperty(
                    topic: "tns1:Device/Trigger/Relay", source: AxisSimpleItem(name: "RelayToken", value: id),
                    dataName: "LogicalState",
                    description: AxisEventDescription(
                        niceName: "Relay", sourceType: "tt:ReferenceToken", dataType: "tt:RelayLogicalState",
                        isApplicationData: true),
                    read: { isActive($0) ? "active" : "inactive" })
            ]
        }
    }
}
