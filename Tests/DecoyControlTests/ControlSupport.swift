import DecoyControl
import DecoyCore
import DecoyScenario
import DecoyServer
import Foundation
import Logging
import Testing

@testable import DecoyTestSupport

/// What curl got: the status and the body.
struct Answer {
    let status: Int
    let body: String
}

/// curl from PATH, killed after 30 s; `arguments` go before the URL.
func curl(_ url: String, _ arguments: [String] = []) throws -> Answer {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["curl", "-sS", "--max-time", "30", "-w", "\n%{http_code}"] + arguments + [url]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard let split = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: split)...]) else {
        throw TestFailure(description: "curl \(url) printed no status: \(text)")
    }
    return Answer(status: status, body: String(text[..<split]))
}

/// The JSON object of `answer`'s body.
func object(_ answer: Answer) throws -> [String: Any] {
    guard let value = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any] else {
        throw TestFailure(description: "not a JSON object: \(answer.body)")
    }
    return value
}

/// A sandbox on ephemeral loopback ports with the control API on its own port.
final class ControlHarness: Sendable {
    let sandbox: Sandbox
    let control: ControlServer
    let admin: (user: String, password: String)

    private init(sandbox: Sandbox, control: ControlServer) {
        self.sandbox = sandbox
        self.control = control
        let variables = ClientEnvironment.variables(config: sandbox.config, url: "")
        admin = (variables["DECOY_ADMIN_USER"] ?? "", variables["DECOY_ADMIN_PASSWORD"] ?? "")
    }

    static func start(config: DecoyConfig = Scenario.defaultConfig) async throws -> ControlHarness {
        var config = config
        config.server.listen = ListenAddress(host: "127.0.0.1", port: 0)
        let metrics = ControlMetrics()
        let logger = Logger(label: "test.control")
        let sandbox = try await Sandbox.start(
            config: config, options: .init(stateDirectory: nil, networkThreads: 1, mediaThreads: 1),
            outer: { MetricsResponder($0, metrics: metrics) }, logger: logger)
        let control = try await ControlServer.start(
            listen: ListenAddress(host: "127.0.0.1", port: 0),
            router: ControlRouter(sandbox: sandbox, metrics: metrics), logger: logger)
        return ControlHarness(sandbox: sandbox, control: control)
    }

    /// Runs `body` on a fresh harness and always shuts it down.
    static func with(_ body: (ControlHarness) async throws -> Void) async throws {
        let harness = try await start()
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    func stop() async {
        await control.stop()
        await sandbox.runtime.shutdown()
    }

    var tinyCam: String { "http://127.0.0.1:\(sandbox.runtime.port)" }

    /// A control API request; `body` is sent as is with POST unless `method` says otherwise.
    func call(_ method: String, _ path: String, body: String? = nil) throws -> Answer {
        var arguments = ["-X", method]
        if let body { arguments += ["--data-binary", body, "-H", "Content-Type: application/json"] }
        return try curl(control.url + path, arguments)
    }

    /// A tinyCam request as the admin (Basic auth).
    func tinyCamGet(_ path: String) throws -> Answer {
        try curl(tinyCam + path, ["-u", "\(admin.user):\(admin.password)"])
    }
}
