import DecoyCore
import NIOCore

/// Runs a subscription on an event loop: sends `Initialized` for every watched property at once,
/// then looks for changes every `intervalMilliseconds` of the server's clock (virtual time in a
/// virtual run) and sends them. Every transport of Axis events uses it, so they agree.
///
/// The feed lives on `loop` (its `deliver` runs there); `cancel` stops it. `deliver` returns
/// false when the transport cannot take messages now (its socket is full): the feed then skips
/// that look, and the next one sends the newest values (changes coalesce, memory stays bounded).
public final class AxisEventFeed {
    /// How often a feed looks for changes: short enough that a scenario's shortest event is seen.
    public static let defaultIntervalMilliseconds: Int64 = 100

    private var subscription: AxisEventSubscription
    private let clock: any DecoyClock
    private let loop: any EventLoop
    private let interval: Int64
    private let deliver: ([AxisEventNotification]) -> Bool
    private var timer: ClockTimer?
    private var cancelled = false

    public init(
        subscription: AxisEventSubscription, clock: any DecoyClock, on loop: any EventLoop,
        intervalMilliseconds: Int64 = defaultIntervalMilliseconds,
        deliver: @escaping ([AxisEventNotification]) -> Bool
    ) {
        self.subscription = subscription
        self.clock = clock
        self.loop = loop
        self.interval = max(10, intervalMilliseconds)
        self.deliver = deliver
    }

    /// Sends the current values (`Initialized`) and starts looking for changes. On `loop` only.
    public func start() {
        loop.preconditionInEventLoop()
        let initial = subscription.start(at: clock.nowMilliseconds())
        _ = deliver(initial)
        schedule()
    }

    /// Stops the feed; nothing is delivered after. On `loop` only.
    public func cancel() {
        cancelled = true
        timer?.cancel()
        timer = nil
    }

    private func schedule() {
        guard !cancelled else { return }
        let feed = NIOLoopBound(self, eventLoop: loop)
        timer = clock.schedule(afterMilliseconds: interval, on: loop) {
            feed.value.look()
        }
    }

    private func look() {
        guard !cancelled else { return }
        var trial = subscription
        let changes = trial.changes(at: clock.nowMilliseconds())
        if changes.isEmpty || deliver(changes) { subscription = trial }
        schedule()
    }
}
