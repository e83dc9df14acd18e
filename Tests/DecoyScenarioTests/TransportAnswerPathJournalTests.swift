import DecoyScenario
import DecoyServer
import DecoyTinyCam
import Testing

/// The transport's own answers reach the scenario journal the way the API's do.
@Suite struct TransportAnswerPathJournalTests {
    @Test func aTransportAnswerIsJournaledAsARequestWithSecretsMasked() throws {
        let journal = Journal()
        let recorder = JournalRecorder(journal: journal, clock: RunClock())
        recorder.record(
            FinishedExchange(
                id: ExchangeID(connection: 7, request: 2), arrivedAt: JournalStamp(milliseconds: 0, sequence: 0),
                request: TinyCamRequest(
                    method: "POST", target: "/api/v1/login?user=admin&pwd=secret", clientAddress: "127.0.0.1"),
                status: 413, bodyBytes: 52, bytesWritten: nil, outcome: .answered))
        recorder.record(
            FinishedExchange(
                id: ExchangeID(connection: 8, request: 1), arrivedAt: JournalStamp(milliseconds: 0, sequence: 0),
                request: TinyCamRequest(method: "", target: "", clientAddress: "127.0.0.1"), status: 414,
                bodyBytes: 70, bytesWritten: nil, outcome: .answered))
        let records = journal.snapshot().entries.compactMap(\.request)
        #expect(records.map(\.status) == [413, 414])
        #expect(records[0].method == "POST" && records[0].path == "/api/v1/login")
        #expect(records[0].parameters.map(\.value) == ["admin", "***"])
        #expect(records[0].bodyBytes == 52 && records[0].fault == nil)
        #expect(records[0].connection == 7 && records[0].request == 2)
        #expect(records[1].method.isEmpty && records[1].path.isEmpty && records[1].client == "127.0.0.1")
    }
}
