import DecoyFaults

/// A filter over journal entries (the control API's `GET /journal?…`), with the same path
/// semantics as expectations: exact unless the pattern holds `*`.
public struct JournalQuery: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case request, step
    }

    /// Requests whose decoded path matches; steps never match a path filter.
    public var path: String?
    /// Entries at or after this time (ms since t = 0).
    public var sinceMilliseconds: Int64?
    /// Requests answered with this status.
    public var status: Int?
    public var kind: Kind?
    /// The newest `limit` entries that match.
    public var limit: Int?

    public init(
        path: String? = nil, sinceMilliseconds: Int64? = nil, status: Int? = nil, kind: Kind? = nil, limit: Int? = nil
    ) {
        self.path = path
        self.sinceMilliseconds = sinceMilliseconds
        self.status = status
        self.kind = kind
        self.limit = limit
    }

    public func matches(_ entry: JournalEntry) -> Bool {
        if let sinceMilliseconds, entry.milliseconds < sinceMilliseconds { return false }
        let filtersRequests = path != nil || status != nil || kind == .request
        if entry.step != nil { return !filtersRequests }
        guard let request = entry.request, kind != .step else { return false }
        if let path, !Glob.matches(path, request.path) { return false }
        if let status, request.status != status { return false }
        return true
    }

    /// The matching entries of `entries` (in time order), the newest `limit` of them.
    public func apply(_ entries: [JournalEntry]) -> [JournalEntry] {
        let matching = entries.filter(matches)
        guard let limit, matching.count > limit else { return matching }
        return Array(matching.suffix(max(0, limit)))
    }
}
