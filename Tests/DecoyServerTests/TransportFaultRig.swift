import DecoyCore
import DecoyFaults
import DecoyServer
import DecoyTinyCam
import Foundation
import NIOConcurrencyHelpers

@testable import DecoyTestSupport

/// Records what the transport finished, as the scenario's journal would (everything at run time 0).
final class RecordingJournal: ExchangeJournal {
    private let box = NIOLockedValueBox((exchanges: [FinishedExchange](), sessions: [StreamSession]()))

    func stamp() -> JournalStamp { JournalStamp(milliseconds: 0, sequence: 0) }
    func record(_ exchange: FinishedExchange) { box.withLockedValue { $0.exchanges.append(exchange) } }
    func record(_ session: StreamSession) { box.withLockedValue { $0.sessions.append(session) } }

    /// The stream sessions that ended, in order.
    var ended: [StreamSession] { box.withLockedValue { $0.sessions } }
    /// The exchanges finished, in order.
    var exchanges: [FinishedExchange] { box.withLockedValue { $0.exchanges } }
}

/// A Decoy on 127.0.0.1 with a fault layer holding `rules` (and `journal`) in its transport.
func withFaultServer<T>(
    rules: [FaultRule], journal: RecordingJournal = RecordingJournal(),
    _ configure: (inout DecoyConfig) -> Void = { _ in }, _ body: (DecoyRuntime) async throws -> T
) async throws -> T {
    var config = DecoyConfig(cameras: TestServer.cameras)
    config.server.listen = ListenAddress(host: "127.0.0.1", port: 0)
    configure(&config)
    let folder = TestServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let runtime = try await DecoyRuntime.start(
        config: config,
        options: .init(
            stateDirectory: folder, networkThreads: 2, mediaThreads: 1,
            harness: TransportHarness(faults: FaultLayer(seed: 1, rules: rules), journal: journal)),
        logger: TestServer.quietLogger)
    do {
        let result = try await body(runtime)
        await runtime.shutdown()
        return result
    } catch {
        await runtime.shutdown()
        throw error
    }
}

/// A rule giving `fault` to every request whose path starts with `prefix`.
func rule(for prefix: String, _ fault: Fault) -> FaultRule {
    FaultRule(match: FaultMatch(path: prefix + "*"), fault: fault)
}
