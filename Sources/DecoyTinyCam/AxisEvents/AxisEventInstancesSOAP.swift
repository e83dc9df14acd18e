/// `/vapix/services`' `GetEventInstances` (the Axis event1 SOAP service): the topics this camera
/// can send, so a client creates its sensors before any event arrives. The answer has the shape
/// of a real camera's (the `axis` library's fixtures): a `wstop:TopicSet` tree of topic elements,
/// each leaf marked `wstop:topic="true"` with its `aev:MessageInstance` (source values, data item).
public enum AxisEventInstancesSOAP {
    /// The answer listing `catalog`'s topics.
    public static func response(_ catalog: AxisEventCatalog) -> String {
        var root = Node(name: "")
        for property in catalog.properties {
            root.insert(property, path: property.topic.split(separator: "/").map(String.init))
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\""
        xml += " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
        xml += " xmlns:wstop=\"http://docs.oasis-open.org/wsn/t-1\" xmlns:tt=\"http://www.onvif.org/ver10/schema\""
        xml += " xmlns:aev=\"http://www.axis.com/vapix/ws/event1\" xmlns:tns1=\"http://www.onvif.org/ver10/topics\""
        xml += " xmlns:tnsaxis=\"http://www.axis.com/2009/event/topics\">"
        xml += "<SOAP-ENV:Body><aev:GetEventInstancesResponse><wstop:TopicSet>"
        for child in root.children { child.write(into: &xml) }
        xml += "</wstop:TopicSet></aev:GetEventInstancesResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>\n"
        return xml
    }

    /// Readable names of the topic elements above the leaves.
    static let elementNames = [
        "tns1:Device": "Device", "tnsaxis:Light": "Light", "tnsaxis:IO": "Input ports", "Trigger": "Trigger",
        "tnsaxis:CameraApplicationPlatform": "Camera Application Platform", "VMD": "Video Motion Detection",
        "ObjectAnalytics": "Object Analytics", "tns1:VideoSource": "Video source", "tns1:AudioSource": "Audio source",
        "tns1:PTZController": "PTZController", "tnsaxis:Move": "PTZ moving",
    ]

    /// One element of the topic tree: a branch, or a leaf holding its instances (one per source value).
    private struct Node {
        let name: String
        var children: [Node] = []
        var instances: [AxisEventProperty] = []

        init(name: String) { self.name = name }

        mutating func insert(_ property: AxisEventProperty, path: [String]) {
            guard let first = path.first else {
                instances.append(property)
                return
            }
            if let index = children.firstIndex(where: { $0.name == first }) {
                children[index].insert(property, path: Array(path.dropFirst()))
            } else {
                var child = Node(name: first)
                child.insert(property, path: Array(path.dropFirst()))
                children.append(child)
            }
        }

        func write(into xml: inout String) {
            let tag = AxisMetadataXML.escape(name)
            guard let first = instances.first else {
                let nice = AxisEventInstancesSOAP.elementNames[name].map { " aev:NiceName=\"\($0)\"" } ?? ""
                xml += "<\(tag)\(nice)>"
                for child in children { child.write(into: &xml) }
                xml += "</\(tag)>"
                return
            }
            let description = first.description
            let application = description.isApplicationData ? " isApplicationData=\"true\"" : ""
            xml +=
                "<\(tag) wstop:topic=\"true\"\(application) aev:NiceName=\"\(AxisMetadataXML.escape(description.niceName))\">"
            xml += "<aev:MessageInstance aev:isProperty=\"true\">"
            if let source = first.source {
                let nice = description.sourceNiceName.map { " aev:NiceName=\"\(AxisMetadataXML.escape($0))\"" } ?? ""
                xml += "<aev:SourceInstance><aev:SimpleItemInstance\(nice) Type=\"\(description.sourceType)\""
                xml += " Name=\"\(AxisMetadataXML.escape(source.name))\">"
                for instance in instances {
                    xml += "<aev:Value>\(AxisMetadataXML.escape(instance.source?.value ?? ""))</aev:Value>"
                }
                xml += "</aev:SimpleItemInstance></aev:SourceInstance>"
            }
            let dataNice = description.dataNiceName.map { " aev:NiceName=\"\(AxisMetadataXML.escape($0))\"" } ?? ""
            xml += "<aev:DataInstance><aev:SimpleItemInstance\(dataNice) Type=\"\(description.dataType)\""
            xml += " Name=\"\(AxisMetadataXML.escape(first.dataName))\" isPropertyState=\"true\"/></aev:DataInstance>"
            xml += "</aev:MessageInstance></\(tag)>"
        }
    }
}
