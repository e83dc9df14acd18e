/// The in-memory index of recorded events: kept sorted by `time` (ascending, every time unique)
/// with a lookup from client paths, so a page of the event list is a binary search and a short
/// walk, and `get_file` checks membership in O(1).
///
/// A plain value; `EventStore` guards it with a lock.
struct EventIndex: Sendable {
    private(set) var records: [EventRecord] = []
    /// Client path of every clip and thumbnail → its event's time.
    private var timesByPath: [String: Int64] = [:]
    private(set) var totalBytes: Int64 = 0

    var count: Int { records.count }

    /// Adds `record`, moving its time forward by a millisecond at a time while it collides, and
    /// returns it as stored.
    @discardableResult
    mutating func insert(_ record: EventRecord) -> EventRecord {
        var record = record
        var position = firstIndex(notBefore: record.time)
        while position < records.count, records[position].time == record.time {
            record.time += 1
            position += 1
        }
        records.insert(record, at: position)
        index(record)
        totalBytes += record.bytes
        return record
    }

    /// The event whose clip or thumbnail has this client path.
    func record(forPath path: String) -> EventRecord? {
        guard let time = timesByPath[path] else { return nil }
        return record(at: time)
    }

    func record(at time: Int64) -> EventRecord? {
        let position = firstIndex(notBefore: time)
        return position < records.count && records[position].time == time ? records[position] : nil
    }

    /// Removes the event at `time`; returns it.
    @discardableResult
    mutating func remove(at time: Int64) -> EventRecord? {
        let position = firstIndex(notBefore: time)
        guard position < records.count, records[position].time == time else { return nil }
        let record = records.remove(at: position)
        unindex(record)
        totalBytes -= record.bytes
        return record
    }

    /// Replaces the event at `record.time` (same time, new names: pin/unpin).
    mutating func replace(_ record: EventRecord) {
        let position = firstIndex(notBefore: record.time)
        guard position < records.count, records[position].time == record.time else { return }
        unindex(records[position])
        totalBytes += record.bytes - records[position].bytes
        records[position] = record
        index(record)
    }

    /// Newest first: at most `query.count` events older than `query.endTime` that match.
    func query(_ query: EventQuery) -> [EventRecord] {
        var position = query.endTime.map { firstIndex(notBefore: $0) } ?? records.count
        var result: [EventRecord] = []
        result.reserveCapacity(min(query.count, 256))
        while position > 0, result.count < query.count {
            position -= 1
            let record = records[position]
            if query.cameras.contains(record.cameraID), query.filter.matches(record),
                !query.cloudOnly || record.cloud
            {
                result.append(record)
            }
        }
        return result
    }

    /// Oldest first.
    var oldestFirst: ArraySlice<EventRecord> { records[...] }

    private mutating func index(_ record: EventRecord) {
        timesByPath[record.videoPath] = record.time
        if let thumbnail = record.thumbnailPath { timesByPath[thumbnail] = record.time }
    }

    private mutating func unindex(_ record: EventRecord) {
        timesByPath[record.videoPath] = nil
        if let thumbnail = record.thumbnailPath { timesByPath[thumbnail] = nil }
    }

    /// The first position whose time is ≥ `time`.
    private func firstIndex(notBefore time: Int64) -> Int {
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].time < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
