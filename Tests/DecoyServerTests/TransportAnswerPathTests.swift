import DecoyCore
import DecoyServer
import DecoyTinyCam
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import DecoyTestSupport

/// Holds a request until the test lets it go, and notes whether its task was cancelled.
private final class Gate: Sendable {
    private let state = NIOLockedValueBox<(open: Bool, cancelled: Bool, waiters: [CheckedContinuation<Void, Never>])>(
        (false, false, []))

    var cancelled: Bool { state.withLockedValue { $0.cancelled } }

    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resume = state.withLockedValue { state -> Bool in
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resume { continuation.resume() }
            }
        } onCancel: {
            open(cancelled: true)
        }
    }

    func open(cancelled: Bool = false) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            state.cancelled = state.cancelled || cancelled
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// `/slow…` waits at the gate, then is answered as `/axis-cgi/mjpg/video.cgi` (an endless stream).
private struct SlowStream: TinyCamResponder {
    let api: TinyCamAPI
    let gate: Gate

    func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
        guard request.rawPath == "/slow" else { return await api.handle(request) }
        await gate.wait()
        let stream = TinyCamRequest(
            method: "GET", target: "/axis-cgi/mjpg/video.cgi?resolution=160x120", headers: request.headers,
            clientAddress: request.clientAddress, body: [])
        return await api.handle(stream)
    }
}

private func withWatchedServer(
    responder: @escaping @Sendable (TinyCamAPI) -> any TinyCamResponder = { $0 },
    _ body: (DecoyRuntime, RecordingJournal) async throws -> Void
) async throws {
    var config = DecoyConfig(cameras: TestServer.cameras)
    config.server.listen = ListenAddress(host: "127.0.0.1", port: 0)
    let watcher = RecordingJournal()
    let runtime = try await DecoyRuntime.start(
        config: config,
        options: .init(
            stateDirectory: nil, networkThreads: 1, mediaThreads: 1, responder: responder,
            harness: TransportHarness(faults: nil, journal: watcher)),
        logger: TestServer.quietLogger)
    do {
        try await body(runtime, watcher)
        await runtime.shutdown()
    } catch {
        await runtime.shutdown()
        throw error
    }
}

/// The transport's own answers (414, 400, 413) come out as the API's do, and every answer is
/// recorded with its connection and request id.
@Suite struct TransportAnswerPathTests {
    static let auth = "Authorization: \(Request.adminBasic)\r\n"
    static let hostile = [
        ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("GARBAGE\r\n\r\n", 400),
        (
            "POST /api/v1/get_cam_list HTTP/1.1\r\nHost: x\r\n\(auth)Content-Length: 70000\r\n\r\n"
                + String(repeating: "z", count: 70_000), 413
        ),
    ]

    @Test func transportAnswersHaveTheHeadersAndBodyOfAPIAnswers() async throws {
        try await withWatchedServer { runtime, _ in
            let port = runtime.port
            let api = try await HTTP.get(port: port, "/missing")
            #expect(api.status == 404)
            for (request, status) in Self.hostile {
                let answer = try await HTTP.exchange(port: port, request)
                #expect(answer.status == status)
                #expect(answer.bodyText.hasPrefix("HTTP \(status). "), "\(answer.bodyText)")
                #expect(answer.bodyText.hasSuffix("."), "no line ending after the sentence: \(answer.bodyText)")
                #expect(answer.header("Server") == runtime.services.config.server.serverHeader)
                #expect(answer.header("Access-Control-Allow-Origin") == "*")
                #expect(answer.header("Content-Type") == api.header("Content-Type"))
                #expect(answer.header("Content-Length") == String(answer.body.count))
                #expect(answer.header("Connection") == "close")
                #expect(answer.headers.map(\.name) == api.headers.map(\.name), "same headers in the same order")
            }
        }
    }

    @Test func everyAnswerReachesTheAccessLogAndTheJournalWithIDs() async throws {
        try await withWatchedServer { runtime, watcher in
            let port = runtime.port
            for (request, _) in Self.hostile { _ = try await HTTP.exchange(port: port, request) }
            try await Blocking.run {
                let socket = try RawSocket.connect(port: port)
                defer { socket.close() }
                for _ in 0..<2 {
                    try socket.send(Request.get("/api/v1/get_cam_list"))
                    _ = try socket.readResponse()
                }
            }
            // The transport's own answers enter the journal the way the API's do, in order.
            let all = watcher.exchanges
            let records = Array(all.prefix(3))
            #expect(records.map(\.status) == [414, 400, 413], "\(records)")
            #expect(records.map(\.id.connection) == [1, 2, 3], "one connection each, counted per server")
            #expect(records.map(\.id.request) == [1, 1, 1])
            #expect(records[2].request.method == "POST" && records[2].request.target == "/api/v1/get_cam_list")
            #expect(records[0].request.method.isEmpty && records[0].request.clientAddress == "127.0.0.1")
            #expect(all.dropFirst(3).map(\.status) == [200, 200])
            let lines = runtime.services.logs.access.text.split(separator: "\n")
            for record in records {
                #expect(
                    lines.contains { $0.contains(" \(record.status) ") && $0.hasSuffix(" \(record.id)") },
                    "\(record.id) in \(lines)")
            }
            let camList = lines.filter { $0.contains("\"GET /api/v1/get_cam_list\" 200") }
            #expect(camList.count == 2)
            let ids = camList.map { $0.split(separator: " ").suffix(2).joined(separator: " ") }
            #expect(ids == ["conn=4 req=1", "conn=4 req=2"], "one connection, two requests")
        }
    }

    @Test func anAnswerWhoseClientResetIsCancelledAndNotWritten() async throws {
        let gate = Gate()
        try await withWatchedServer(responder: { SlowStream(api: $0, gate: gate) }) { runtime, _ in
            let port = runtime.port
            try await Blocking.run {
                let socket = try RawSocket.connect(port: port)
                try socket.send(Request.get("/slow"))
                socket.abort()
            }
            #expect(try await poll { gate.cancelled }, "the answer's task was cancelled")
            let logged = try await poll { runtime.services.logs.access.text.contains("\"GET /slow\" 200 unsent") }
            #expect(logged, "\(runtime.services.logs.access.text)")
            #expect(runtime.services.counters.openStreams == 0, "no stream was started for the gone client")
        }
    }
}
