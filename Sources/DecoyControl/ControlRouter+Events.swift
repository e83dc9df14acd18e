import DecoyScenario
import Foundation
import NIOCore
import NIOHTTP1

extension ControlRouter {
    /// The event stream `request` asks for: `GET /events/journal` or `GET /events/scenario` with
    /// a valid query; nil for anything else (which `answer` then refuses with the reason).
    public func eventStream(for request: ControlRequest) -> ControlEventStreamHandle? {
        guard request.method == .GET else { return nil }
        switch request.path {
        case "/events/journal":
            guard let filter = try? JournalEventFilter(query: request.query) else { return nil }
            return ControlEventStreamHandle(stream: journalStream(filter))
        case "/events/scenario":
            guard request.query.isEmpty else { return nil }
            return ControlEventStreamHandle(stream: scenarioStream())
        default:
            return nil
        }
    }

    /// What `answer` says to an `/events/…` request that is not a stream: an unknown stream, a
    /// method other than GET, or a bad filter.
    func eventStreamRefusal(_ request: ControlRequest, stream: String) -> ControlResponse {
        let known = ["journal", "scenario"]
        guard known.contains(stream) else {
            return .error(.notFound, "no event stream '\(stream)'; streams: /events/journal, /events/scenario")
        }
        guard request.method == .GET else { return notAllowed(request, allowed: [.GET]) }
        if stream == "scenario", let unknown = request.query.keys.sorted().first {
            return .error(.badRequest, "/events/scenario takes no parameters, got '\(unknown)'")
        }
        do {
            _ = try JournalEventFilter(query: request.query)
        } catch {
            return .error(.badRequest, error.description)
        }
        return .error(
            .notAcceptable, "\(request.path) is a stream of server-sent events: read it with curl -N or EventSource")
    }

    /// Every new journal entry that passes `filter` as an `entry` event (the JSON of `GET
    /// /journal`'s entries), after the newest `filter.backlog` ones; a `dropped` event when this
    /// client read too slowly and entries were left out for it.
    private func journalStream(_ filter: JournalEventFilter) -> ControlEventStream {
        let journal = sandbox.journal
        return ControlEventStream { send in
            let (backlog, follower) = journal.follow(backlog: filter.backlog, buffer: Self.eventBuffer)
            defer { follower.stop() }
            try await send(.json("ready", ["backlog": backlog.filter(filter.matches).count]))
            for entry in backlog where filter.matches(entry) { try await send(.json("entry", entry)) }
            for await entry in follower.entries {
                let dropped = follower.takeDropped()
                if dropped > 0 {
                    try await send(
                        .json(
                            "dropped",
                            DroppedNotice(
                                dropped: dropped,
                                reason: "this client read more slowly than entries came; Decoy keeps at most "
                                    + "\(Self.eventBuffer) unsent entries per stream and dropped the newest")))
                }
                if filter.matches(entry) { try await send(.json("entry", entry)) }
            }
        }
    }

    private struct DroppedNotice: Encodable {
        var dropped: Int
        var reason: String
    }

    /// Entries kept per journal stream while its client is slow.
    static let eventBuffer = 1024

    /// The console's scenario view as a `scenario` event, at once and then whenever it changes
    /// (looked at four times a second; the journal is read again only when it has grown).
    private func scenarioStream() -> ControlEventStream {
        let sandbox = self.sandbox
        return ControlEventStream { send in
            let (_, follower) = sandbox.journal.follow(backlog: 0, buffer: 1)
            defer { follower.stop() }
            var builder = ScenarioViewBuilder(sandbox: sandbox)
            var last = ""
            var changed = true
            while true {
                let event = ServerSentEvent.json("scenario", builder.view(journalChanged: changed))
                if event.data != last {
                    try await send(event)
                    last = event.data ?? ""
                }
                try await Task.sleep(for: .milliseconds(250))
                changed = follower.takeArrivals() > 0
            }
        }
    }
}

/// An event stream to write on the connection (`ControlServer` does), opaque outside this module.
public struct ControlEventStreamHandle: Sendable {
    let stream: ControlEventStream

    func write(to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        try await stream.write(to: outbound)
    }
}
