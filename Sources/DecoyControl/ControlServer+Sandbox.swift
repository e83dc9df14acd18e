import DecoyCore
import DecoyScenario
import Logging

extension ControlServer {
    /// Starts the control API of `sandbox` (`decoy serve --control`, `decoy run`), warning when it
    /// would be reachable from the network: it has no authentication, and anyone who reaches it
    /// can fault, reset and read everything.
    public static func start(
        sandbox: Sandbox, metrics: ControlMetrics, listen: ListenAddress, logger: Logger
    ) async throws -> ControlServer {
        if !listen.isLoopback {
            logger.warning(
                """
                the control API on \(listen) has no authentication and is reachable from the network; \
                use --control 127.0.0.1:PORT unless this network is yours alone
                """)
        }
        return try await start(
            listen: listen, router: ControlRouter(sandbox: sandbox, metrics: metrics), logger: logger)
    }

    /// What `--control` does, for the commands' help.
    public static let optionHelp =
        "Control API (JSON over HTTP: rules, actions, journal, scenarios, /metrics) on this address, "
        + "e.g. 127.0.0.1:8090; port 0 picks a free one."
}
