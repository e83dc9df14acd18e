import Foundation
import NIOConcurrencyHelpers

/// A run stopped from outside (Ctrl-C, a CI job cancelled): `decoy run` fires it from its SIGINT and
/// SIGTERM handlers, and the runner then ends the run as if its duration had come — the client is
/// stopped (SIGTERM, then SIGKILL), the expectations are judged on what was journaled so far, the
/// reports are written and say so. Nothing is lost and no client is left running.
public final class RunInterruption: Sendable {
    private struct State {
        var signal: Int32?
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Int32?, Never>] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The signal that interrupted the run, if one did.
    public var signal: Int32? { state.withLockedValue { $0.signal } }

    /// Interrupts the run (the first signal counts; later ones change nothing).
    public func fire(_ signal: Int32) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Int32?, Never>] in
            guard state.signal == nil else { return [] }
            state.signal = signal
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: signal) }
    }

    /// Returns the signal once the run is interrupted (at once when it already was), or nil when
    /// the waiting task is cancelled first (the run ended on its own).
    public func wait() async -> Int32? {
        let id = state.withLockedValue { state -> Int in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
                let immediate = state.withLockedValue { state -> Int32?? in
                    if let signal = state.signal { return .some(signal) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }

    /// `SIGINT` or `SIGTERM` (or `signal N`), for the summary and the reports.
    public static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}
