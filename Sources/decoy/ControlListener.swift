import DecoyControl
import DecoyCore
import DecoyScenario
import Foundation
import Logging

/// Starts the control API for `decoy serve --control` and `decoy run`, and warns when it would
/// be reachable from the network (it has no authentication: anyone who reaches it can fault,
/// reset and read everything).
enum ControlListener {
    static func start(
        sandbox: Sandbox, metrics: ControlMetrics, listen: ListenAddress, logger: Logger
    ) async throws -> ControlServer {
        if !listen.isLoopback {
            logger.warning(
                """
                the control API on \(listen) has no authentication and is reachable from the network; \
                use --control 127.0.0.1:PORT unless this network is yours alone
                """)
        }
        return try await ControlServer.start(
            listen: listen, router: ControlRouter(sandbox: sandbox, metrics: metrics), logger: logger)
    }

    static let help = ArgumentHelpText.control
}

/// The control server of a run, kept to stop it once the run is over.
final class ControlServerBox: @unchecked Sendable {  // `server` is only touched under `lock`
    private let lock = NSLock()
    private var server: ControlServer?

    func keep(_ server: ControlServer) { lock.withLock { self.server = server } }

    func stop() async {
        let server = lock.withLock { self.server }
        await server?.stop()
    }
}

enum ArgumentHelpText {
    static let control =
        "Control API (JSON over HTTP: rules, actions, journal, scenarios, /metrics) on this address, "
        + "e.g. 127.0.0.1:8090; port 0 picks a free one."
}
