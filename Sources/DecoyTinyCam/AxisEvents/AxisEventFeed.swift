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
    private let faults: AxisEventFaults?
    private var timer: ClockTimer?
    private var cancelled = false
    /// Batches held back by a `delay` fault, not yet due (bounded: see `maximumDelayed`).
    private var delayed = 0
    static let maximumDelayed = 256

    /// `faults`: the service's event faults (a scenario's `events` step), consulted at each look.
    public init(
        subscription: AxisEventSubscription, clock: any DecoyClock, on loop: any EventLoop,
        intervalMilliseconds: Int64 = defaultIntervalMilliseconds, faults: AxisEventFaults? = nil,
        deliver: @escaping ([AxisEventNotification]) -> Bool
    ) {
        self.subscription = subscription
        self.clock = clock
        self.loop = loop
        self.interval = max(10, intervalMilliseconds)
        self.faults = faults
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
        defer { schedule() }
        let now = clock.nowMilliseconds()
        let plan = faults?.plan(at: now) ?? .none
        // Silence: nothing goes out and nothing is marked sent, so the changes follow the window.
        guard !plan.silent else { return }
        var trial = subscription
        let changes = trial.changes(at: now)
        guard !changes.isEmpty else { return }
        let batch = plan.duplicate ? changes.flatMap { [$0, $0] } : changes
        guard plan.delayMilliseconds > 0, delayed < Self.maximumDelayed else {
            if deliver(batch) { subscription = trial }
            return
        }
        // Delay: the batch is due later; the subscription moves on now (a later change is a new batch).
        subscription = trial
        delayed += 1
        let feed = NIOLoopBound(self, eventLoop: loop)
        _ = clock.schedule(afterMilliseconds: plan.delayMilliseconds, on: loop) {
            let feed = feed.value
            feed.delayed -= 1
            guard !feed.cancelled else { return }
            _ = feed.deliver(batch)
        }
    }
}
