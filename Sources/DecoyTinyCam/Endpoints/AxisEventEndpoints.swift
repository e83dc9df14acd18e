import DecoyCore
import Foundation
import NIOCore

/// The Axis profile's event endpoints: `/axis-cgi/wssession.cgi` (a one-use token for a
/// WebSocket), `/vapix/ws-data-stream?sources=events` (the VAPIX event WebSocket, upgraded by the
/// transport) and `/vapix/services` (SOAP `GetEventInstances`). Authenticated and role-checked
/// like every other endpoint; a viewer (guest) may receive events.
enum AxisEventEndpoints {
    static let all = [webSocketSession, dataStream, services]
    static let dataStreamPath = "/vapix/ws-data-stream"

    /// A token for `wssession=` on the WebSocket URL, as plain text.
    static let webSocketSession = Endpoint("/axis-cgi/wssession.cgi", access: .guest) { context in
        let token = context.services.axisEvents.sessions.issue(
            user: context.principal.user, role: context.principal.role)
        return TinyCamResponse(
            status: .ok, headers: [("Content-Type", "text/plain"), ("Cache-Control", "no-cache")],
            body: .bytes(ByteBuffer(string: token)))
    }

    /// The upgrade to the event WebSocket: checked here (a GET with `Upgrade: websocket`, version
    /// 13, a key, `sources=events`, a free place among the open streams), carried out by the transport.
    static let dataStream = Endpoint(dataStreamPath, access: .guest) { context in
        let request = context.request
        func header(_ name: String) -> String? {
            request.headers.first { $0.name.lowercased() == name }?.value
        }
        guard request.method == "GET" else {
            throw APIError.badRequest("\(dataStreamPath) is a WebSocket: open it with a GET upgrade request")
        }
        guard header("upgrade")?.lowercased() == "websocket",
            header("connection")?.lowercased().split(separator: ",").contains(where: {
                $0.trimmingCharacters(in: .whitespaces) == "upgrade"
            }) == true
        else {
            throw APIError.badRequest(
                "\(dataStreamPath) is a WebSocket: send 'Connection: Upgrade' and 'Upgrade: websocket'")
        }
        guard header("sec-websocket-version") == "13" else {
            throw APIError.badRequest("WebSocket version 13 is the one supported (Sec-WebSocket-Version: 13)")
        }
        guard let key = header("sec-websocket-key"), !key.isEmpty, key.count <= 64 else {
            throw APIError.badRequest("the WebSocket upgrade needs a Sec-WebSocket-Key")
        }
        let sources = context.query["sources"]?.split(separator: ",").map(String.init) ?? []
        guard sources == ["events"] else {
            throw APIError.badRequest(
                "sources=\(context.query["sources"] ?? "") is not served; this camera streams sources=events")
        }
        let events = context.services.axisEvents
        guard let lease = events.lease() else {
            return .failure(
                .serviceUnavailable,
                "Too many event streams are open (at most \(AxisEventService.maximumStreams)); close one and retry.")
        }
        return TinyCamResponse(
            status: .switchingProtocols, headers: [],
            body: .eventSocket(AxisEventSocketRequest(key: key, service: events, lease: lease)))
    }

    /// The event1 SOAP service: `GetEventInstances`; anything else is a SOAP fault.
    static let services = Endpoint("/vapix/services", access: .guest) { context in
        guard context.request.method == "POST" else {
            return soap(.sender("send the SOAP 1.2 envelope by POST", subcode: "ter:ActionNotSupported"))
        }
        switch AxisSOAPRequest.operation(of: context.request.body) {
        case .failure(let fault):
            return soap(fault)
        case .success("GetEventInstances"):
            return TinyCamResponse(
                status: .ok, headers: soapHeaders,
                body: .bytes(ByteBuffer(string: AxisEventInstancesSOAP.response(context.services.axisEvents.catalog))))
        case .success(let other):
            return soap(
                .sender(
                    "operation '\(other)' is not supported; this camera answers GetEventInstances",
                    subcode: "ter:ActionNotSupported"))
        }
    }

    private static let soapHeaders = [("Content-Type", "application/soap+xml; charset=utf-8")]

    private static func soap(_ fault: SOAPFault) -> TinyCamResponse {
        TinyCamResponse(
            status: fault.receiver ? .internalServerError : .badRequest, headers: soapHeaders,
            body: .bytes(ByteBuffer(string: fault.xml)))
    }
}

/// What a WebSocket upgrade to the event stream asked for: the transport answers 101, then runs
/// the stream. Holding it holds a place among the open event streams (`lease`).
public struct AxisEventSocketRequest: Sendable {
    /// The client's `Sec-WebSocket-Key`.
    public let key: String
    public let service: AxisEventService
    public let lease: StreamLease
}

extension HTTPStatus {
    public static let switchingProtocols = HTTPStatus(code: 101, reason: "Switching Protocols")
}
