/// One `Name`/`Value` pair of an ONVIF message's `Source`, `Key` or `Data` (`tt:SimpleItem`).
public struct AxisSimpleItem: Sendable, Hashable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One stateful event property an Axis camera reports (a topic and, where the topic has several
/// instances, the source that tells them apart), with how to read its value at an instant.
///
/// The value is read from the same live state every other view of the camera reads (its activity,
/// its LED, its PTZ head, its I/O ports), so the event stream can never disagree with
/// `get_cam_event_list`, `get_status` or the picture.
public struct AxisEventProperty: Sendable {
    /// The topic with its namespace prefixes, e.g. `tns1:Device/tnsaxis:Light/Status`.
    public let topic: String
    /// The source item (nil for topics with one instance, such as VMD profiles).
    public let source: AxisSimpleItem?
    /// The data item's name (`active`, `state`, `LogicalState`…).
    public let dataName: String
    /// What `GetEventInstances` says of it.
    public let description: AxisEventDescription
    /// The data value at a given time (Unix milliseconds).
    let read: @Sendable (Int64) -> String

    public init(
        topic: String, source: AxisSimpleItem?, dataName: String, description: AxisEventDescription,
        read: @escaping @Sendable (Int64) -> String
    ) {
        self.topic = topic
        self.source = source
        self.dataName = dataName
        self.description = description
        self.read = read
    }

    /// Identifies the property within a camera's catalog: the topic and its source.
    public var key: String { source.map { "\(topic)|\($0.name)=\($0.value)" } ?? topic }

    /// The property's value at `time`.
    public func value(at time: Int64) -> String { read(time) }
}

/// How `GetEventInstances` describes a property: readable names and the XML types of its items.
public struct AxisEventDescription: Sendable, Equatable {
    /// `aev:NiceName` of the topic's last element.
    public var niceName: String
    /// `Type` of the source item (`xsd:int`, `tt:ReferenceToken`…).
    public var sourceType: String = "xsd:int"
    public var sourceNiceName: String?
    /// `Type` of the data item (`xsd:boolean`, `xsd:string`).
    public var dataType: String = "xsd:boolean"
    public var dataNiceName: String?
    /// `isApplicationData="true"` (Axis marks the light status and ONVIF triggers so).
    public var isApplicationData = false

    public init(
        niceName: String, sourceType: String = "xsd:int", sourceNiceName: String? = nil,
        dataType: String = "xsd:boolean", dataNiceName: String? = nil, isApplicationData: Bool = false
    ) {
        self.niceName = niceName
        self.sourceType = sourceType
        self.sourceNiceName = sourceNiceName
        self.dataType = dataType
        self.dataNiceName = dataNiceName
        self.isApplicationData = isApplicationData
    }
}

/// One event message: a property's value when a subscription starts (`Initialized`) or when it
/// changes (`Changed`). Transports (the VAPIX WebSocket's `events:notify`, the RTSP metadata
/// track's `tt:MetadataStream`) each serialise it their own way.
public struct AxisEventNotification: Sendable, Equatable {
    public enum Operation: String, Sendable {
        case initialized = "Initialized"
        case changed = "Changed"
    }

    public let topic: String
    public let source: [AxisSimpleItem]
    public let data: [AxisSimpleItem]
    public let operation: Operation
    /// When the value was read (Unix milliseconds).
    public let timeMilliseconds: Int64

    public init(
        topic: String, source: [AxisSimpleItem], data: [AxisSimpleItem], operation: Operation, timeMilliseconds: Int64
    ) {
        self.topic = topic
        self.source = source
        self.data = data
        self.operation = operation
        self.timeMilliseconds = timeMilliseconds
    }
}
