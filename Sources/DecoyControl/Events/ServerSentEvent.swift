import Foundation

/// One message of a `text/event-stream` (the WHATWG HTML standard's server-sent events): what
/// `EventSource` in a browser and `curl -N` read.
struct ServerSentEvent: Sendable, Equatable {
    /// The `event:` field; nil is the default `message` type.
    var event: String?
    /// The `data:` lines (a JSON document on one line here).
    var data: String?
    /// A `:` comment line, which clients ignore (keep-alive).
    var comment: String?
    /// The `retry:` field: how long a browser waits before reconnecting, in milliseconds.
    var retry: Int?

    /// The event's text, ending with the blank line that dispatches it. A value's line breaks
    /// become separate fields, as the format requires.
    var text: String {
        var lines: [String] = []
        if let comment { lines += comment.split(separator: "\n", omittingEmptySubsequences: false).map { ": \($0)" } }
        if let retry { lines.append("retry: \(retry)") }
        if let event { lines.append("event: \(event)") }
        if let data { lines += data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" } }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// `value` as compact JSON with sorted keys, under the event type `event`.
    static func json(_ event: String, _ value: some Encodable) -> ServerSentEvent {
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"the event could not be encoded"}"#.utf8)
        return ServerSentEvent(event: event, data: String(decoding: data, as: UTF8.self))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
