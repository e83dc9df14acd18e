import NIOConcurrencyHelpers

/// Recent clients, for `get_ip_addresses`: one entry per (address, user), newest first, bounded.
public final class ClientRegistry: Sendable {
    public struct Entry: Sendable, Equatable {
        public let address: String
        public let user: String
        public let time: Int64
    }

    private let entries = NIOLockedValueBox([Entry]())
    private let capacity: Int

    public init(capacity: Int = 100) { self.capacity = capacity }

    public func record(address: String, user: String, time: Int64) {
        entries.withLockedValue { list in
            list.removeAll { $0.address == address && $0.user == user }
            list.insert(Entry(address: address, user: user, time: time), at: 0)
            if list.count > capacity { list.removeLast(list.count - capacity) }
        }
    }

    public var recent: [Entry] { entries.withLockedValue { $0 } }

    public func clear() { entries.withLockedValue { $0.removeAll() } }
}
