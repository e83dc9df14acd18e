import DecoyCore
import DecoyServer
import DecoyTinyCam
import Foundation
import NIOConcurrencyHelpers

/// Leaves `plan(request)` in the request's `ExchangeFaultSlot`, as the scenario fault layer does,
/// then lets the API answer.
struct PlannedFaults: TinyCamResponder {
    let wrapped: any TinyCamResponder
    let plan: @Sendable (TinyCamRequest) -> ExchangeFaults?

    func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        if let faults = plan(request) { ExchangeFaultSlot.current?.faults = faults }
        return await wrapped.handle(request)
    }
}

/// Transport hooks that refuse what `refuse` says and remember every stream session.
final class RecordingTransportFaults: TransportFaults {
    let refuse: @Sendable (String) -> Bool
    let sessions = NIOLockedValueBox([StreamSession]())

    init(refuse: @escaping @Sendable (String) -> Bool = { _ in false }) { self.refuse = refuse }

    func refusal(forClient client: String) -> String? { refuse(client) ? "refuse (test)" : nil }

    func streamEnded(_ session: StreamSession) { sessions.withLockedValue { $0.append(session) } }

    var ended: [StreamSession] { sessions.withLockedValue { $0 } }
}

/// A Decoy on 127.0.0.1 whose requests get `plan`'s faults (nil: none) through the real transport.
func withFaultServer<T>(
    plan: @escaping @Sendable (TinyCamRequest) -> ExchangeFaults?,
    hooks: RecordingTransportFaults = RecordingTransportFaults(), _ configure: (inout DecoyConfig) -> Void = { _ in },
    _ body: (DecoyRuntime) async throws -> T
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
            responder: { PlannedFaults(wrapped: $0, plan: plan) }, transportFaults: { _ in hooks }),
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

/// Faults only for requests whose path starts with `prefix`.
func faults(for prefix: String, _ faults: ExchangeFaults) -> @Sendable (TinyCamRequest) -> ExchangeFaults? {
    { $0.rawPath.hasPrefix(prefix) ? faults : nil }
}

extension RawSocket {
    /// Reads until the server closes or resets; the bytes and whether it was a reset.
    func readUntilEnd(limit: Int = 16 << 20) throws -> (bytes: [UInt8], reset: Bool) {
        var all: [UInt8] = []
        do {
            all = try readToEnd(limit: limit)
            return (all, false)
        } catch let error as SocketError where error.kind == .reset {
            return (try read(exactly: buffered), true)
        }
    }
}
