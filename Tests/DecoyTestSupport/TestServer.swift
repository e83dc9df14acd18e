import DecoyCore
import DecoyMedia
import DecoyServer
import DecoyTinyCam
import Foundation
import Logging

/// A Decoy started the way the command line starts it (`DecoyRuntime.start`), on an ephemeral
/// port of 127.0.0.1, with a temporary state folder and small, fast cameras.
final class TestServer: Sendable {
    let runtime: DecoyRuntime
    let stateDirectory: String
    private let ownsStateDirectory: Bool

    /// The port the server listens on (the same after a restart).
    var port: Int { runtime.port }

    static let quietLogger = Logger(label: "decoy-tests") { _ in SwiftLogNoOpLogHandler() }

    /// Camera 1: every PTZ capability, 320x240 at 15 fps. Camera 2: no PTZ, 320x240 at 10 fps.
    static let cameras = [
        CameraConfig(
            name: "Test cam", id: 1001, ptzCapabilities: 230_911, resolution: PixelSize(width: 320, height: 240),
            fps: 15),
        CameraConfig(name: "Second cam", id: 1002, resolution: PixelSize(width: 320, height: 240), fps: 10),
    ]

    private init(runtime: DecoyRuntime, stateDirectory: String, ownsStateDirectory: Bool) {
        self.runtime = runtime
        self.stateDirectory = stateDirectory
        self.ownsStateDirectory = ownsStateDirectory
    }

    /// A fresh temporary folder.
    static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "decoy-server-tests-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Starts a server; `configure` adjusts the test configuration, `responder` may wrap the API.
    /// A given `stateDirectory` is kept after shutdown (the caller removes it).
    static func start(
        stateDirectory: String? = nil, responder: @escaping @Sendable (TinyCamAPI) -> any TinyCamResponder = { $0 },
        clock: any DecoyClock = SystemClock(), logger: Logger = quietLogger,
        _ configure: (inout DecoyConfig) -> Void = { _ in }
    )
        async throws -> TestServer
    {
        var config = DecoyConfig(cameras: cameras)
        config.server.listen = ListenAddress(host: "127.0.0.1", port: 0)
        // No RTSP port of its own (the axis profile would try 554): tests that want one say so.
        config.server.rtspListen = .off
        configure(&config)
        let folder = stateDirectory ?? temporaryFolder()
        let runtime = try await DecoyRuntime.start(
            config: config,
            options: .init(
                stateDirectory: folder, clock: clock, networkThreads: 2, mediaThreads: 1, responder: responder),
            logger: logger)
        return TestServer(runtime: runtime, stateDirectory: folder, ownsStateDirectory: stateDirectory == nil)
    }

    func shutdown() async {
        await runtime.shutdown()
        if ownsStateDirectory { try? FileManager.default.removeItem(atPath: stateDirectory) }
    }
}

/// Runs `body` against a fresh server and always shuts it down.
func withServer<T>(
    stateDirectory: String? = nil, responder: @escaping @Sendable (TinyCamAPI) -> any TinyCamResponder = { $0 },
    clock: any DecoyClock = SystemClock(), logger: Logger = TestServer.quietLogger,
    _ configure: (inout DecoyConfig) -> Void = { _ in }, _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.start(
        stateDirectory: stateDirectory, responder: responder, clock: clock, logger: logger, configure)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}
