import DecoyCore
import DecoyFaults
import DecoyServer
import Foundation
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

/// The Axis event WebSocket in a run: journaled as a stream session, and ended by `drop:`.
@Suite(.serialized) struct EventSocketJournalTests {
    private static let upgrade =
        "GET /vapix/ws-data-stream?sources=events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: \(Request.adminBasic)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"

    /// A masked text frame of `text` (under 126 bytes).
    private static func textFrame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let mask: [UInt8] = [9, 8, 7, 6]
        return [0x81, 0x80 | UInt8(payload.count)] + mask
            + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    @Test func aDropEndsAnEventStreamAndTheJournalSaysHowManyNotificationsWent() async throws {
        var config = DecoyConfig(cameras: TestServer.cameras)
        config.server.listen = ListenAddress(host: "127.0.0.1", port: 0)
        config.server.profile = .axis
        let sandbox = try await Sandbox.start(
            config: config,
            options: .init(stateDirectory: nil, clock: SystemClock(), networkThreads: 1, mediaThreads: 1),
            logger: TestServer.quietLogger)
        do {
            try await dropAndJournal(sandbox)
            await sandbox.runtime.shutdown()
        } catch {
            await sandbox.runtime.shutdown()
            throw error
        }
    }

    private func dropAndJournal(_ sandbox: Sandbox) async throws {
        let port = sandbox.runtime.port
        let socket = try await Blocking.run { () throws -> RawSocket in
            let socket = try RawSocket.connect(port: port)
            try socket.send(Self.upgrade)
            _ = try socket.readHead()
            let configure =
                #"{"apiVersion":"1.0","method":"events:configure","params":{"eventFilterList":[{"topicFilter":"tns1:Device//."}]}}"#
            try socket.send(Self.textFrame(configure))
            _ = try socket.read(exactly: 2)  // the configure answer's first bytes: the stream is up
            return socket
        }
        defer { socket.close() }
        let streams = { sandbox.journal.snapshot().entries.compactMap(\.stream) }
        #expect(streams().isEmpty, "an open stream is journaled when it ends")
        let failure = await sandbox.perform(.drop(FaultMatch(path: "/vapix/ws-data-stream"), reset: false))
        #expect(failure == nil)
        let rest = try await Blocking.run { try socket.readToEnd() }
        #expect(!rest.isEmpty)
        #expect(try await poll { !streams().isEmpty })
        let record = try #require(streams().first)
        #expect(record.variant == "events")
        #expect(record.path == "/vapix/ws-data-stream")
        #expect(record.ended == .fault)
        #expect(record.framesSent == 1, "camera 1's LED status, Initialized (camera 2 has no LED)")
        let step = sandbox.journal.snapshot().entries.compactMap(\.step).last
        #expect(record.fault == step?.action, "\(record.fault ?? "nil")")
    }
}
