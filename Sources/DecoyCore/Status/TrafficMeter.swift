import NIOConcurrencyHelpers

/// Counts bytes the web server receives and sends, and turns them into bytes per second for
/// `get_status` (`networkInBps`, `networkOutBps`): the traffic tinyCam's own web server moves.
public final class TrafficMeter: Sendable {
    private struct State {
        var bytesIn: Int64 = 0
        var bytesOut: Int64 = 0
        var lastSample: (time: Int64, bytesIn: Int64, bytesOut: Int64)?
        var lastRates: (inBps: Int64, outBps: Int64) = (0, 0)
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public func received(_ count: Int) { state.withLockedValue { $0.bytesIn += Int64(count) } }
    public func sent(_ count: Int) { state.withLockedValue { $0.bytesOut += Int64(count) } }

    public var totals: (bytesIn: Int64, bytesOut: Int64) { state.withLockedValue { ($0.bytesIn, $0.bytesOut) } }

    /// Rates since the previous call (at least `minimumWindow` ms apart; calls closer than that get
    /// the previous rates, so several pollers do not see zeros).
    public func rates(nowMilliseconds now: Int64, minimumWindow: Int64 = 1000) -> (inBps: Int64, outBps: Int64) {
        state.withLockedValue { state in
            guard let last = state.lastSample else {
                state.lastSample = (now, state.bytesIn, state.bytesOut)
                return (0, 0)
            }
            let elapsed = now - last.time
            guard elapsed >= minimumWindow else { return state.lastRates }
            state.lastRates = (
                (state.bytesIn - last.bytesIn) * 1000 / elapsed, (state.bytesOut - last.bytesOut) * 1000 / elapsed
            )
            state.lastSample = (now, state.bytesIn, state.bytesOut)
            return state.lastRates
        }
    }
}
