import Foundation

/// Which topics a subscription wants: the `topicFilter` expressions of `events:configure` (and,
/// later, RTSP's `eventtopic=`), in the ONVIF "concrete set" dialect Axis accepts.
///
/// An expression is one or more alternatives joined by `|`. Each alternative is a topic path
/// (`tns1:Device/tnsaxis:IO/Port`), which matches that topic; ending it with `//.` (or `//`)
/// matches the topic and everything below it, and `//.` alone matches every topic. A trailing
/// `/.` names the topic itself. Namespace prefixes may be Axis's short forms (`onvif:` for
/// `tns1:`, `axis:` for `tnsaxis:`, as the `axis` library writes them) and are compared per path
/// element, so `onvif:Device/axis:Light/Status` matches `tns1:Device/tnsaxis:Light/Status`.
public struct AxisTopicFilter: Sendable, Equatable {
    /// One alternative: a path of elements, matching below it too when `descendants`.
    struct Alternative: Sendable, Equatable {
        let elements: [String]
        let descendants: Bool
    }

    private let alternatives: [Alternative]

    /// Everything.
    public static let all = AxisTopicFilter(alternatives: [Alternative(elements: [], descendants: true)])

    private init(alternatives: [Alternative]) { self.alternatives = alternatives }

    /// Why an expression is not a filter.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Parses expressions; together they match what any of them matches.
    public init(expressions: [String]) throws(Invalid) {
        var alternatives: [Alternative] = []
        for expression in expressions {
            for part in expression.split(separator: "|", omittingEmptySubsequences: false) {
                alternatives.append(try Self.alternative(String(part), in: expression))
            }
        }
        guard !alternatives.isEmpty else { throw Invalid(description: "no topic filter given") }
        self.alternatives = alternatives
    }

    public func matches(_ topic: String) -> Bool {
        let elements = Self.elements(of: topic)
        return alternatives.contains { alternative in
            if alternative.descendants {
                return elements.count >= alternative.elements.count
                    && Array(elements.prefix(alternative.elements.count)) == alternative.elements
            }
            return elements == alternative.elements
        }
    }

    /// Longest expression accepted (a real topic is well under this).
    static let maximumLength = 1024

    private static func alternative(_ raw: String, in expression: String) throws(Invalid) -> Alternative {
        var text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= maximumLength else {
            throw Invalid(description: "'\(expression.prefix(80))' has an empty or overlong topic expression")
        }
        var descendants = false
        if text == "//." || text == "//" {
            return Alternative(elements: [], descendants: true)
        }
        if text.hasSuffix("//.") {
            text.removeLast(3)
            descendants = true
        } else if text.hasSuffix("//") {
            text.removeLast(2)
            descendants = true
        } else if text.hasSuffix("/.") {
            text.removeLast(2)
        }
        let elements = Self.elements(of: text)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:")
        guard !elements.isEmpty, elements.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed.contains) }) else {
            throw Invalid(
                description:
                    "'\(text.prefix(80))' is not a topic expression (elements such as tns1:Device/tnsaxis:IO/Port, "
                    + "joined by '/', optionally ending in '//.')")
        }
        return Alternative(elements: elements, descendants: descendants)
    }

    /// A topic's elements with their namespace prefixes in the long form.
    private static func elements(of topic: some StringProtocol) -> [String] {
        topic.split(separator: "/", omittingEmptySubsequences: false).map { element in
            if element.hasPrefix("onvif:") { return "tns1:" + String(element.dropFirst(6)) }
            if element.hasPrefix("axis:") { return "tnsaxis:" + String(element.dropFirst(5)) }
            return String(element)
        }
    }
}
