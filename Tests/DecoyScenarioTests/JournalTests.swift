import DecoyCore
import DecoyServer
import DecoyTinyCam
import Foundation
import Testing

@testable import DecoyScenario

@Suite struct JournalTests {
    @Test func theJournalIsBoundedAndCountsWhatItDropped() {
        let journal = Journal(capacity: 3)
        for time in [5, 1, 2, 3, 4] as [Int64] { journal.append(stepFired(time, "s\(time)")) }
        let (entries, dropped) = journal.snapshot()
        #expect(dropped == 2)
        #expect(entries.map(\.milliseconds) == [2, 3, 4])
    }

    @Test func snapshotsAreInTimeOrderThenArrivalOrder() {
        let journal = Journal()
        journal.append(stepFired(20, "late"))
        journal.append(stepFired(10, "first"))
        journal.append(stepFired(10, "second"))
        #expect(journal.snapshot().entries.compactMap(\.step?.label) == ["first", "second", "late"])
    }

    /// A request that arrived before a step fired comes before it, even when its answer went out
    /// (and it was journaled) after: the order of a virtual run's same-millisecond events is the
    /// order they happened in, not a race between the transport and the timeline.
    @Test func whatHappenedFirstComesFirstHoweverLateItIsJournaled() {
        let journal = Journal()
        let arrived = journal.stamp(at: 2000)
        let fired = journal.stamp(at: 2000)
        journal.append(stepFired(2000, "walk"), sequence: fired.sequence)
        journal.append(
            JournalEntry(
                milliseconds: 2000,
                event: .request(
                    RequestRecord(
                        client: "a", user: nil, auth: .none, method: "GET", path: "/x", parameters: [], status: 200,
                        bodyBytes: 1))), sequence: arrived.sequence)
        journal.append(stepFired(2000, "later"))
        #expect(journal.snapshot().entries.map { $0.step?.label ?? "request" } == ["request", "walk", "later"])
    }

    private func record(_ target: String, headers: [(name: String, value: String)] = []) -> RequestRecord {
        RequestRecord(
            FinishedExchange(
                id: ExchangeID(connection: 1, request: 1), arrivedAt: JournalStamp(milliseconds: 0, sequence: 0),
                request: TinyCamRequest(method: "GET", target: target, headers: headers, clientAddress: "127.0.0.1"),
                status: 200, bodyBytes: 4, bytesWritten: nil, outcome: .answered))
    }

    @Test func secretsAreMaskedAfterDecodingAndTheRestIsDecoded() {
        let masked = record("/api/v1/login?user=ad%6Din&p%77d=s3cret&TOKEN=abc&note=a+b%21")
        #expect(masked.path == "/api/v1/login")
        #expect(
            masked.parameters == [
                .init(name: "user", value: "admin"), .init(name: "pwd", value: "***"),
                .init(name: "TOKEN", value: "***"), .init(name: "note", value: "a b!"),
            ])
        #expect(record("/x?%zz=secret").parameters == [.init(name: "%zz", value: "***")])
        #expect(record("/a%20b").path == "/a b")
        #expect(record("/x").bodyBytes == 4)
    }

    @Test(arguments: [
        ("/x?token=abc&user=a", [(String, String)](), AuthKind.token),
        ("/x?user=a&pwd=b", [("Authorization", "Basic YTpi")], .query),
        ("/x?pwd=b", [], .query),
        ("/x", [("Authorization", "Basic YTpi")], .basic),
        ("/x", [("Authorization", "Bearer abc")], .none),
        ("/x?camera=1", [], .none),
    ])
    func authKindFollowsTinyCamPrecedence(target: String, headers: [(String, String)], kind: AuthKind) {
        #expect(record(target, headers: headers.map { (name: $0.0, value: $0.1) }).auth == kind)
    }
}

@Suite struct ReportTests {
    private func report(_ results: [ExpectationResult]) -> RunReport {
        RunReport(
            scenario: "door<bell> & \"ring\"", file: "s.yaml", seed: 42, clock: "real", durationMilliseconds: 15_000,
            ranMilliseconds: 4_050, url: "http://127.0.0.1:1", client: ClientOutcome(status: 0, stoppedByDecoy: false),
            results: results, journal: [], journalDropped: 0)
    }

    @Test func junitHasOneSuiteAndOneCasePerExpectationWithEscapedEvidence() {
        let xml = JUnitReport.xml(
            report([
                ExpectationResult(name: "polls 'events'", passed: true, evidence: "at 4 s"),
                ExpectationResult(name: "no storm", passed: false, evidence: "4 > 3 & <bad>\u{1}\nline"),
            ]))
        let lines = xml.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        #expect(lines.filter { $0.hasPrefix("<testsuite ") }.count == 1)
        #expect(
            lines.contains(
                "<testsuite name=\"door&lt;bell&gt; &amp; &quot;ring&quot;\" tests=\"2\" failures=\"1\" errors=\"0\" "
                    + "skipped=\"0\" time=\"4.050\">"), "\(xml)")
        #expect(lines.filter { $0.hasPrefix("<testcase ") }.count == 2)
        #expect(lines.contains { $0.hasPrefix("<testcase name=\"polls &apos;events&apos;\"") })
        #expect(
            lines.contains(
                "<failure message=\"4 &gt; 3 &amp; &lt;bad&gt;\u{FFFD}&#10;line\" type=\"expectation\">"
                    + "4 &gt; 3 &amp; &lt;bad&gt;\u{FFFD}&#10;line</failure>"), "\(xml)")
        #expect(lines.last == "</testsuites>")
        #expect(xml.components(separatedBy: "<failure ").count == 2)
    }

    @Test func summaryHasAVerdictPerExpectation() {
        let text = RunSummary.text(
            report([
                ExpectationResult(name: "a", passed: true, evidence: "ok"),
                ExpectationResult(name: "b", passed: false, evidence: "nope"),
            ]))
        #expect(text.contains("  PASS  a: ok\n"))
        #expect(text.contains("  FAIL  b: nope\n"))
        #expect(text.hasSuffix("1 of 2 expectations failed\n"))
    }

    @Test func runTimesReadAsSeconds() {
        #expect(RunTime.text(0) == "0 s")
        #expect(RunTime.text(3000) == "3 s")
        #expect(RunTime.text(9400) == "9.4 s")
        #expect(RunTime.text(55) == "0.055 s")
        #expect(JUnitReport.secondsText(4005) == "4.005")
    }
}

/// Answers every request with 200 and a word.
private struct FixedResponder: TinyCamResponder {
    func handle(_ request: TinyCamRequest) async -> TinyCamResponse { .text(.ok, "ok") }
}

@Suite struct JournalExchangeIDTests {
    @Test func requestsCarryTheConnectionAndRequestIdOfTheAccessLog() async throws {
        let journal = Journal()
        let recorder = JournalRecorder(journal: journal, clock: RunClock())
        let request = TinyCamRequest(method: "GET", target: "/api/v1/get_cam_list", clientAddress: "127.0.0.1")
        recorder.record(
            FinishedExchange(
                id: ExchangeID(connection: 4, request: 2), arrivedAt: JournalStamp(milliseconds: 0, sequence: 0),
                request: request, status: 200, bodyBytes: 2,
                bytesWritten: nil, outcome: .answered))
        journal.append(
            JournalEntry(
                milliseconds: 1,
                event: .request(
                    RequestRecord(
                        client: "127.0.0.1", user: nil, auth: .none, method: "GET", path: "/x", parameters: [],
                        status: 200, bodyBytes: 2))))
        let records = journal.snapshot().entries.compactMap(\.request)
        #expect(records.map(\.connection) == [4, nil])
        #expect(records.map(\.request) == [2, nil])
        let json = String(decoding: try JSONEncoder().encode(records[0]), as: UTF8.self)
        #expect(json.contains("\"connection\":4") && json.contains("\"request\":2"), "\(json)")
    }
}
