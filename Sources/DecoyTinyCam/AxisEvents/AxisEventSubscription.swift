/// What one subscriber has been told: started with every matching property's value
/// (`Initialized`), then asked now and then what changed (`Changed`). A value type with no clock
/// and no timer, so a transport decides when to look (`AxisEventFeed`) and tests step it by hand.
///
/// Changes between two looks are coalesced: a subscriber learns the newest value, never a
/// backlog, so a slow or stalled subscriber costs no memory.
public struct AxisEventSubscription: Sendable {
    public let catalog: AxisEventCatalog
    public let filter: AxisTopicFilter
    private let watched: [AxisEventProperty]
    private var last: [String: String] = [:]

    public init(catalog: AxisEventCatalog, filter: AxisTopicFilter) {
        self.catalog = catalog
        self.filter = filter
        watched = catalog.properties.filter { filter.matches($0.topic) }
    }

    /// The properties this subscription reports.
    public var properties: [AxisEventProperty] { watched }

    /// Every watched property's value at `time`, as `Initialized` messages (also what a
    /// re-subscription gets).
    public mutating func start(at time: Int64) -> [AxisEventNotification] {
        last.removeAll()
        return watched.map { property in
            let value = property.value(at: time)
            last[property.key] = value
            return Self.notification(property, value: value, operation: .initialized, at: time)
        }
    }

    /// The properties whose value at `time` differs from what was last reported, as `Changed`.
    public mutating func changes(at time: Int64) -> [AxisEventNotification] {
        var changed: [AxisEventNotification] = []
        for property in watched {
            let value = property.value(at: time)
            guard last[property.key] != value else { continue }
            last[property.key] = value
            changed.append(Self.notification(property, value: value, operation: .changed, at: time))
        }
        return changed
    }

    private static func notification(
        _ property: AxisEventProperty, value: String, operation: AxisEventNotification.Operation, at time: Int64
    ) -> AxisEventNotification {
        AxisEventNotification(
            topic: property.topic, source: property.source.map { [$0] } ?? [],
            data: [AxisSimpleItem(name: property.dataName, value: value)], operation: operation,
            timeMilliseconds: time)
    }
}
