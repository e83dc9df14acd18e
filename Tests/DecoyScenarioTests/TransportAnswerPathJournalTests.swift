import DecoyScenario
import DecoyServer
import Testing

/// The transport's own answers reach the scenario journal through the fault layer.
@Suite struct TransportAnswerPathJournalTests {
    @Test func aTransportAnswerIsJournaledAsARequestWithSecretsMasked() throws {
        let journal = Journal()
        let layer: any TransportFaults = TransportFaultLayer(journal: journal, clock: RunClock()) { nil }
        let observer = try #require(layer as? any TransportAnswerObserver, "the transport finds the hook by a cast")
        observer.transportAnswered(
            TransportAnswerRecord(
                exchange: ExchangeID(connection: 7, request: 2), client: "127.0.0.1", method: "POST",
                target: "/api/v1/login?user=admin&pwd=secret", status: 413, bodyBytes: 52))
        observer.transportAnswered(
            TransportAnswerRecord(
                exchange: ExchangeID(connection: 8, request: 1), client: "127.0.0.1", method: "", target: "",
                status: 414, bodyBytes: 70))
        let records = journal.snapshot().entries.compactMap(\.request)
        #expect(records.map(\.status) == [413, 414])
        #expect(records[0].method == "POST" && records[0].path == "/api/v1/login")
        #expect(records[0].parameters.map(\.value) == ["admin", "***"])
        #expect(records[0].bodyBytes == 52 && records[0].fault == nil)
        #expect(records[1].method.isEmpty && records[1].path.isEmpty && records[1].client == "127.0.0.1")
    }
}
