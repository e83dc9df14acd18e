import NIOCore
import NIOHTTP1

/// A server-sent-events answer of the control API: the head, then events for as long as the
/// client reads, with a keep-alive comment every `keepAliveSeconds` so a client that left is
/// noticed (its socket fails the write) even when nothing happens.
struct ControlEventStream: Sendable {
    /// Writes one event; throws when the client is gone.
    typealias Send = @Sendable (ServerSentEvent) async throws -> Void

    static let keepAliveSeconds = 15

    /// Produces the events; returning ends the answer.
    let produce: @Sendable (_ send: Send) async throws -> Void

    func write(to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var head = HTTPResponseHead(version: .http1_1, status: .ok)
        head.headers.add(name: "Content-Type", value: "text/event-stream; charset=utf-8")
        head.headers.add(name: "Cache-Control", value: "no-store")
        head.headers.add(name: "Connection", value: "close")
        try await outbound.write(.head(head))
        let send: Send = { event in try await outbound.write(.body(.byteBuffer(ByteBuffer(string: event.text)))) }
        try await send(ServerSentEvent(comment: "decoy control API event stream", retry: 2000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await produce(send) }
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(Self.keepAliveSeconds))
                    try await send(ServerSentEvent(comment: "keep-alive"))
                }
            }
            try await group.next()
            group.cancelAll()
        }
        try await outbound.write(.end(nil))
    }
}
