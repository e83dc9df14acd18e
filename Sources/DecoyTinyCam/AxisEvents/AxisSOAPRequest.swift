/// A SOAP 1.2 request to `/vapix/services`, read just far enough to know its operation: the
/// first element inside `Body`. No XML library: element names are scanned, and anything that is
/// not an envelope with a body holding an operation is a malformed request.
public enum AxisSOAPRequest {
    /// The operation's local name (`GetEventInstances`), or why the request is not SOAP.
    public static func operation(of body: [UInt8]) -> Result<String, SOAPFault> {
        guard !body.isEmpty else { return .failure(.sender("the body is empty; send a SOAP 1.2 envelope")) }
        let names = startTagNames(String(decoding: body, as: UTF8.self))
        guard let envelope = names.firstIndex(of: "Envelope") else {
            return .failure(.sender("the body is not a SOAP envelope (no Envelope element)"))
        }
        guard let bodyIndex = names[envelope...].firstIndex(of: "Body"), bodyIndex + 1 < names.count else {
            return .failure(.sender("the SOAP envelope has no Body with an operation in it"))
        }
        return .success(names[bodyIndex + 1])
    }

    /// The local names of the start tags, in order (`<a:Name …>` gives `Name`); nil-safe on any text.
    static func startTagNames(_ text: String) -> [String] {
        var names: [String] = []
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "<") {
            let after = text.index(after: open)
            guard after < text.endIndex else { break }
            index = after
            let first = text[after]
            if first == "/" || first == "?" || first == "!" { continue }
            let end = text[after...].firstIndex {
                $0 == " " || $0 == ">" || $0 == "/" || $0 == "\n" || $0 == "\t" || $0 == "\r"
            }
            let qualified = text[after..<(end ?? text.endIndex)]
            let local = qualified.split(separator: ":").last.map(String.init) ?? ""
            if !local.isEmpty { names.append(local) }
            if names.count > 64 { break }
        }
        return names
    }
}

/// A SOAP 1.2 fault: `Sender` (the client's request is wrong, HTTP 400) or `Receiver` (500),
/// with ONVIF's subcode and a sentence saying what was wrong.
public struct SOAPFault: Error, Equatable {
    public let receiver: Bool
    public let subcode: String
    public let reason: String

    public static func sender(_ reason: String, subcode: String = "ter:InvalidArgVal") -> SOAPFault {
        SOAPFault(receiver: false, subcode: subcode, reason: reason)
    }

    /// The fault as a SOAP envelope.
    public var xml: String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\""
        xml += " xmlns:ter=\"http://www.onvif.org/ver10/error\"><SOAP-ENV:Body><SOAP-ENV:Fault><SOAP-ENV:Code>"
        xml += "<SOAP-ENV:Value>SOAP-ENV:\(receiver ? "Receiver" : "Sender")</SOAP-ENV:Value>"
        xml += "<SOAP-ENV:Subcode><SOAP-ENV:Value>\(subcode)</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code>"
        xml += "<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang=\"en\">\(AxisMetadataXML.escape(reason))</SOAP-ENV:Text>"
        xml += "</SOAP-ENV:Reason></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n"
        return xml
    }
}
