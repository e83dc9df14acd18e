import DecoyCore
import DecoyFaults
import Foundation

@testable import DecoyScenario
@testable import DecoyTestSupport

/// A sandbox on an ephemeral 127.0.0.1 port with the test cameras and `rules` in force from t = 0,
/// shut down after `body` whatever happens.
func withTestSandbox(
    _ rules: [FaultRule], clock: any DecoyClock, _ body: (Sandbox) async throws -> Void
) async throws {
    var config = DecoyConfig(cameras: TestServer.cameras)
    config.server.listen = ListenAddress(host: "127.0.0.1", port: 0)
    let sandbox = try await Sandbox.start(
        config: config, options: .init(stateDirectory: nil, clock: clock, networkThreads: 1, mediaThreads: 1),
        logger: TestServer.quietLogger)
    sandbox.faults.installScenarioRules(rules, startingAt: 0)
    do {
        try await body(sandbox)
        await sandbox.runtime.shutdown()
    } catch {
        await sandbox.runtime.shutdown()
        throw error
    }
}
