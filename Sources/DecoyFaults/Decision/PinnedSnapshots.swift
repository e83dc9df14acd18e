import NIOCore

/// The snapshots a `staleFrames` fault serves again, by what they show (the transport's key).
///
/// Bounded: the key comes partly from the request (its size and quality parameters), so a client
/// asking for ever new values would otherwise grow memory for as long as the fault lasts. Past
/// `limit` pictures the oldest pin is dropped (its key is pinned afresh if asked for again).
struct PinnedSnapshots {
    /// As many distinct pictures as a camera client plausibly asks for at once (cameras × sizes).
    static let limit = 32

    private var bodies: [String: ByteBuffer] = [:]
    /// Keys in the order they were pinned, oldest first.
    private var order: [String] = []

    var isEmpty: Bool { bodies.isEmpty }
    var count: Int { bodies.count }

    /// The body pinned under `key`, pinning `body` first when there is none.
    mutating func pin(_ body: ByteBuffer, key: String) -> ByteBuffer {
        if let pinned = bodies[key] { return pinned }
        if order.count >= Self.limit { bodies[order.removeFirst()] = nil }
        bodies[key] = body
        order.append(key)
        return body
    }

    mutating func removeAll() {
        bodies.removeAll()
        order.removeAll()
    }
}

extension FaultRule {
    /// Whether this is a `staleFrames` rule within its window at `milliseconds`.
    func isStaleFrames(at milliseconds: Int64) -> Bool {
        fault == .media(.staleFrames) && isActive(at: milliseconds)
    }
}
