import Foundation

/// The JSON messages of VAPIX "event streaming over WebSocket" (`/vapix/ws-data-stream?sources=events`),
/// without the socket: a client's `events:configure` read into a topic filter or an error answer,
/// and the server's answers and `events:notify` messages as text.
///
/// Error codes are the ones the API documents for its JSON-RPC envelope: 2101 invalid JSON, 2102
/// method not supported, 2103 required parameter missing, 2104 invalid parameter value, 2100 API
/// version not supported.
public enum AxisEventSocketMessages {
    public static let apiVersion = "1.0"

    /// What one text message from the client asks for.
    public enum Request: Sendable, Equatable {
        /// Subscribe with this filter (replacing any earlier one); answer with `reply` first.
        case configure(AxisTopicFilter, reply: String)
        /// Answer with this error and keep the subscription as it was.
        case invalid(reply: String)
    }

    /// Reads one text message.
    public static func read(_ text: String) -> Request {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
            let fields = object as? [String: Any]
        else {
            return .invalid(
                reply: error(method: nil, context: nil, 2101, "Invalid JSON: the message is not a JSON object"))
        }
        let context = fields["context"] as? String
        let method = fields["method"] as? String
        if let version = fields["apiVersion"] as? String, version.split(separator: ".").first != "1" {
            return .invalid(
                reply: error(
                    method: method, context: context, 2100,
                    "API version not supported: '\(version)' (supported: \(apiVersion))"))
        }
        guard method == "events:configure" else {
            let named = method.map { "'\($0)'" } ?? "none"
            return .invalid(
                reply: error(
                    method: method, context: context, 2102,
                    "Method not supported: \(named); this stream takes events:configure"))
        }
        guard let params = fields["params"] as? [String: Any], let list = params["eventFilterList"] as? [Any] else {
            return .invalid(
                reply: error(
                    method: method, context: context, 2103,
                    "Required parameter missing: params.eventFilterList (a list of {\"topicFilter\": …})"))
        }
        guard !list.isEmpty, list.count <= maximumFilters else {
            return .invalid(
                reply: error(
                    method: method, context: context, 2104,
                    "Invalid parameter value: eventFilterList must hold 1 to \(maximumFilters) filters, has \(list.count)"
                ))
        }
        var expressions: [String] = []
        for entry in list {
            guard let entry = entry as? [String: Any], let expression = entry["topicFilter"] as? String else {
                return .invalid(
                    reply: error(
                        method: method, context: context, 2104,
                        "Invalid parameter value: each eventFilterList entry needs a topicFilter string"))
            }
            expressions.append(expression)
        }
        do {
            let filter = try AxisTopicFilter(expressions: expressions)
            return .configure(filter, reply: answer(method: "events:configure", context: context))
        } catch {
            return .invalid(reply: Self.error(method: method, context: context, 2104, "Invalid topicFilter: \(error)"))
        }
    }

    /// At most this many filters in one `events:configure`.
    public static let maximumFilters = 64

    /// The answer to a binary message (the API speaks text only).
    public static let binaryRefused = error(
        method: nil, context: nil, 2101, "Invalid JSON: binary messages are not supported; send text")

    /// One `events:notify` message.
    public static func notify(_ notification: AxisEventNotification) -> String {
        let message = JSONValue.object([
            ("source", items(notification.source)), ("key", .object([])), ("data", items(notification.data)),
        ])
        let body = JSONValue.object([
            ("apiVersion", .string(apiVersion)), ("method", .string("events:notify")),
            (
                "params",
                .object([
                    (
                        "notification",
                        .object([
                            ("topic", .string(notification.topic)), ("timestamp", .int(notification.timeMilliseconds)),
                            ("message", message),
                        ])
                    )
                ])
            ),
        ])
        return String(decoding: body.serializedBytes, as: UTF8.self)
    }

    private static func items(_ items: [AxisSimpleItem]) -> JSONValue {
        .object(items.map { ($0.name, .string($0.value)) })
    }

    private static func answer(method: String, context: String?) -> String {
        envelope(method: method, context: context, payload: ("data", .object([])))
    }

    static func error(method: String?, context: String?, _ code: Int, _ message: String) -> String {
        envelope(
            method: method, context: context,
            payload: ("error", .object([("code", .int(Int64(code))), ("message", .string(message))])))
    }

    private static func envelope(method: String?, context: String?, payload: (String, JSONValue)) -> String {
        var members: [(String, JSONValue)] = [("apiVersion", .string(apiVersion))]
        if let context { members.append(("context", .string(context))) }
        if let method { members.append(("method", .string(method))) }
        members.append(payload)
        return String(decoding: JSONValue.object(members).serializedBytes, as: UTF8.self)
    }
}
