import NIOConcurrencyHelpers

/// Live facts about the emulated web server that `get_status` reports and tests observe:
/// open streams (`liveConnections`) and when the web server last (re)started (`uptime`).
public final class ServerCounters: Sendable {
    private struct State {
        var openStreams = 0
        var startedAt: Int64
        var restarts = 0
    }

    private let state: NIOLockedValueBox<State>

    public init(startedAt: Int64) { state = NIOLockedValueBox(State(startedAt: startedAt)) }

    /// Open MJPEG (and later audio) streams: counted from the first byte to the socket's close.
    public var openStreams: Int { state.withLockedValue { $0.openStreams } }
    public func streamOpened() { state.withLockedValue { $0.openStreams += 1 } }
    public func streamClosed() { state.withLockedValue { $0.openStreams -= 1 } }

    public var startedAt: Int64 { state.withLockedValue { $0.startedAt } }
    public var restarts: Int { state.withLockedValue { $0.restarts } }

    /// The emulated web server came back up after a restart.
    public func restarted(at time: Int64) {
        state.withLockedValue {
            $0.startedAt = time
            $0.restarts += 1
        }
    }
}
