import DecoyCore

/// ONVIF `tt:MetadataStream` documents carrying one `wsnt:NotificationMessage` each: what an
/// Axis camera sends on its RTSP metadata track (`event=on`), in exactly the shape the `axis`
/// library's parser and Home Assistant's fixtures read (topic, producer reference, `tt:Message`
/// with `UtcTime` and `PropertyOperation`, `Source`/`Key`/`Data` simple items).
public enum AxisMetadataXML {
    /// The document a camera sends first, before any event: an empty metadata stream.
    public static let emptyStream =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tt:MetadataStream xmlns:tt=\"http://www.onvif.org/ver10/schema\">\n"
        + "</tt:MetadataStream>\n"

    /// One notification as a document. `producer` names the device in the producer reference
    /// (a UUID, see `producerUUID(deviceID:)`).
    public static func document(_ notification: AxisEventNotification, producer: String) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<tt:MetadataStream xmlns:tt=\"http://www.onvif.org/ver10/schema\">\n"
        xml += "<tt:Event><wsnt:NotificationMessage xmlns:tns1=\"http://www.onvif.org/ver10/topics\""
        xml += " xmlns:tnsaxis=\"http://www.axis.com/2009/event/topics\""
        xml += " xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\" xmlns:wsa5=\"http://www.w3.org/2005/08/addressing\">"
        xml += "<wsnt:Topic Dialect=\"http://docs.oasis-open.org/wsn/t-1/TopicExpression/Simple\">"
        xml += escape(notification.topic) + "</wsnt:Topic>"
        xml += "<wsnt:ProducerReference><wsa5:Address>uri://\(escape(producer))/ProducerReference</wsa5:Address>"
        xml += "</wsnt:ProducerReference><wsnt:Message>"
        xml += "<tt:Message UtcTime=\"\(utcTime(notification.timeMilliseconds))\""
        xml += " PropertyOperation=\"\(notification.operation.rawValue)\">"
        xml += "<tt:Source>" + items(notification.source) + "</tt:Source><tt:Key></tt:Key>"
        xml += "<tt:Data>" + items(notification.data) + "</tt:Data>"
        xml += "</tt:Message></wsnt:Message></wsnt:NotificationMessage></tt:Event></tt:MetadataStream>\n"
        return xml
    }

    /// A stable UUID-shaped producer id derived from the device id (12 hex digits).
    public static func producerUUID(deviceID: String) -> String {
        let hex = String(deviceID.lowercased().filter(\.isHexDigit).suffix(12))
        let padded = String(repeating: "0", count: 12 - hex.count) + hex
        return "d3c0d3c0-0000-4000-8000-" + padded
    }

    /// `2019-03-12T23:48:26.371000Z`: UTC with microseconds, as Axis writes it.
    static func utcTime(_ milliseconds: Int64) -> String { CivilTime.onvifUTCTime(milliseconds) }

    private static func items(_ items: [AxisSimpleItem]) -> String {
        items.map { "<tt:SimpleItem Name=\"\(escape($0.name))\" Value=\"\(escape($0.value))\"/>" }.joined()
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }
}
