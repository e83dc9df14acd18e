import Foundation

/// Runs blocking work (sockets, child processes) on a thread of its own.
///
/// The server answers API requests on Swift's cooperative pool (two threads on a 2-core machine), so a
/// test that blocked a pool thread in `recv` could starve the very server it waits for.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Sleeps the calling (non-pool) thread.
    static func sleep(milliseconds: Int) {
        usleep(useconds_t(milliseconds * 1000))
    }
}

/// Polls `condition` until it holds or `timeout` passes; bounded in iterations and time.
/// Returns whether the condition held.
func poll(
    timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    let maximumRounds = Int(timeout / interval) + 2
    for _ in 0..<maximumRounds {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
