import DecoyCore

/// Admin endpoints the official web UI's admin page uses: settings, restart, recent clients, logs.
enum AdminEndpoints {
    static let all =
        [ParamEndpoint.endpoint, restart, ipAddresses]
        + logPages.map { page in logEndpoint(page.name) { page.ring($0.logs) } }
        + [clearAppLog, clearAllLogs]

    /// Restarts the emulated web server (no root → "Restart web server" in the UI): connections
    /// close, tokens are forgotten, and the server listens again after the configured delay.
    static let restart = Endpoint("/axis-cgi/admin/restart.cgi", access: .admin) { context in
        context.services.recordAudit("restart requested by \(context.principal.user)")
        var response = TinyCamResponse.emptySuccess
        response.effect = .restartServer
        return response
    }

    /// Recent clients: `{"data":[{"ip","time","user"}]}`, newest first.
    static let ipAddresses = Endpoint("/api/v1/get_ip_addresses", access: .admin) { context in
        .json(
            .array(
                context.services.clients.recent.map {
                    .object([("ip", .string($0.address)), ("time", .int($0.time)), ("user", .string($0.user))])
                }))
    }

    /// The log pages and the ring each shows: app log, access log, event log, and the watchdog
    /// log (the web server's starts, stops and restarts). `crashlog` is always empty: a crashed
    /// Decoy is a new process with a fresh log.
    private static let logPages: [(name: String, ring: @Sendable (ServerLogs) -> LogRing?)] = [
        ("applog", { $0.app }), ("accesslog", { $0.access }), ("eventlog", { $0.audit }),
        ("watchdoglog", { $0.lifecycle }), ("crashlog", { _ in nil }),
    ]

    private static func logEndpoint(
        _ name: String, ring: @escaping @Sendable (TinyCamServices) -> LogRing?
    )
        -> Endpoint
    {
        Endpoint("/axis-cgi/admin/\(name).cgi", access: .admin) { context in
            .text(.ok, ring(context.services)?.text ?? "")
        }
    }

    static let clearAppLog = Endpoint("/axis-cgi/admin/clearapplog.cgi", access: .admin) { context in
        context.services.logs.app.clear()
        return .emptySuccess
    }

    static let clearAllLogs = Endpoint("/axis-cgi/admin/clearalllog.cgi", access: .admin) { context in
        let logs = context.services.logs
        [logs.app, logs.access, logs.audit, logs.lifecycle].forEach { $0.clear() }
        return .emptySuccess
    }
}
