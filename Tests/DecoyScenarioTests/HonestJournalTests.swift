import DecoyCore
import DecoyFaults
import DecoyServer
import Foundation
import Logging
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

/// The journal records what went on the wire: entries are finished by the transport, so a client
/// that left early, or an answer a fault cut, is journaled as what the client actually got.
@Suite(.serialized) struct HonestJournalTests {
    static let login = "/api/v1/login"

    /// A sandbox on 127.0.0.1 whose clock only moves when the test says, with `rules` in force.
    static func withSandbox(
        _ rules: [FaultRule], clock: any DecoyClock = ManualClock(timers: .onAdvance),
        _ body: (Sandbox) async throws -> Void
    ) async throws {
        try await withTestSandbox(rules, clock: clock, body)
    }

    static let slowLogin = FaultRule(
        name: "slow login", match: FaultMatch(path: login),
        fault: .latency(fixedMilliseconds: 2000, jitterMilliseconds: 0))

    /// The login entries of the journal.
    static func logins(_ sandbox: Sandbox) -> [RequestRecord] {
        sandbox.journal.snapshot().entries.compactMap(\.request).filter { $0.path == login }
    }

    /// The client closes its socket (FIN, as a client giving up does) or resets it during the 2 s
    /// latency: its login never reaches the API, so no token is made, even once the latency has
    /// passed; the journal says it was never answered.
    @Test(arguments: [false, true])
    func aClientThatLeavesDuringALatencyFaultCausesNothingAndIsJournaledUnsent(reset: Bool) async throws {
        let clock = ManualClock(timers: .onAdvance)
        try await Self.withSandbox([Self.slowLogin], clock: clock) { sandbox in
            let port = sandbox.runtime.port
            try await Blocking.run {
                let socket = try RawSocket.connect(port: port)
                try socket.send(Request.get(Self.login))
                Blocking.sleep(milliseconds: 100)
                if reset { socket.abort() } else { socket.close() }
            }
            #expect(try await poll { Self.logins(sandbox).count == 1 }, "journaled as soon as the client left")
            clock.advance(by: 3000)
            let tokens = sandbox.runtime.services.authenticator.tokens
            let record = try #require(Self.logins(sandbox).first)
            #expect(record.outcome == .unsent)
            #expect(record.status == 0, "nothing was sent")
            #expect(record.fault == "latency 2000 ms (slow login)")
            #expect(tokens.count == 0, "the login never reached the API")
            #expect(Self.logins(sandbox).count == 1)
        }
    }

    /// The control: a client that waits gets its token once the latency has passed on the clock.
    @Test func aClientThatWaitsOutTheLatencyLogsIn() async throws {
        let clock = ManualClock(timers: .onAdvance)
        try await Self.withSandbox([Self.slowLogin], clock: clock) { sandbox in
            let port = sandbox.runtime.port
            let reading = Task {
                try await Blocking.run {
                    let socket = try RawSocket.connect(port: port)
                    defer { socket.close() }
                    try socket.send(Request.get(Self.login))
                    return try socket.readResponse()
                }
            }
            // The clock moves on in steps until the answer comes (bounded: 100 steps of 100 ms).
            for _ in 0..<100 where Self.logins(sandbox).isEmpty {
                clock.advance(by: 100)
                try await Task.sleep(for: .milliseconds(20))
            }
            let response = try await reading.value
            #expect(response.status == 200 && response.bodyText.contains("\"token\""))
            #expect(try await poll { Self.logins(sandbox).count == 1 })
            let record = try #require(Self.logins(sandbox).first)
            #expect(record.outcome == .answered && record.status == 200)
            #expect(sandbox.runtime.services.authenticator.tokens.count == 1)
        }
    }

    /// `closeAfterBytes: 100`: the journal has the answer as cut, with the 100 bytes that left.
    @Test func aCutAnswersEntryCarriesTheBytesActuallyWritten() async throws {
        let cut = FaultRule(
            name: "cut", match: FaultMatch(path: "/api/v1/get_cam_list"), fault: .network(.closeAfterBytes(100)))
        try await Self.withSandbox([cut], clock: SystemClock()) { sandbox in
            let port = sandbox.runtime.port
            let (bytes, _) = try await Blocking.run {
                let socket = try RawSocket.connect(port: port)
                try socket.send(Request.get("/api/v1/get_cam_list"))
                return try socket.readUntilEnd()
            }
            #expect(bytes.count == 100)
            let entries = { sandbox.journal.snapshot().entries.compactMap(\.request) }
            #expect(try await poll { !entries().isEmpty })
            let record = try #require(entries().first)
            #expect(record.outcome == .cut)
            #expect(record.bytesWritten == 100, "the bytes that actually left, head included")
            #expect(record.status == 200, "the head went out")
            #expect(record.fault == "closeAfterBytes 100 (cut)")
        }
    }

    /// A client that closes the moment it has the whole body (as curl does) got the whole answer:
    /// journaled `answered`, never `cut`, however fast it closes.
    @Test func aClientThatClosesAsSoonAsItHasTheBodyWasAnswered() async throws {
        try await Self.withSandbox([], clock: SystemClock()) { sandbox in
            let port = sandbox.runtime.port
            try await Blocking.run {
                for _ in 0..<40 {
                    let socket = try RawSocket.connect(port: port)
                    try socket.send(Request.get("/api/v1/get_cam_list"))
                    _ = try socket.readResponse()
                    socket.close()
                }
            }
            let entries = { sandbox.journal.snapshot().entries.compactMap(\.request) }
            #expect(try await poll { entries().count == 40 })
            #expect(
                entries().allSatisfy { $0.outcome == .answered }, "\(entries().map { $0.outcome?.rawValue ?? "-" })")
        }
    }

    /// An answer that went out whole: its bytes are the head and the body as written.
    @Test func aWholeAnswersEntryCarriesItsBytes() async throws {
        try await Self.withSandbox([], clock: SystemClock()) { sandbox in
            let port = sandbox.runtime.port
            let response = try await Blocking.run {
                let socket = try RawSocket.connect(port: port)
                defer { socket.close() }
                try socket.send(Request.get("/api/v1/get_cam_list"))
                return try socket.readResponse()
            }
            let entries = { sandbox.journal.snapshot().entries.compactMap(\.request) }
            #expect(try await poll { !entries().isEmpty })
            let record = try #require(entries().first)
            #expect(record.outcome == .answered)
            #expect(record.bytesWritten == Int64(response.head.utf8.count + response.body.count))
            #expect(record.bodyBytes == Int64(response.body.count))
        }
    }
}
