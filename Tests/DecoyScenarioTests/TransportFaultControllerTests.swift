import DecoyCore
import DecoyServer
import DecoyTinyCam
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import DecoyScenario

/// Network and media rules in the fault controller: one decision per request, left for the transport.
@Suite struct TransportFaultControllerTests {
    /// Sends `target` with an `ExchangeFaultSlot` bound, as the transport does; the slot's faults.
    static func send(_ rig: FaultRig, _ target: String) async -> (TinyCamResponse, ExchangeFaults?) {
        let slot = ExchangeFaultSlot()
        let response = await ExchangeFaultSlot.$current.withValue(slot) { await rig.send(target) }
        return (response, slot.faults)
    }

    @Test func matchingRulesCombineIntoOneExchangeWithTheirLabels() async {
        let rig = FaultRig([
            FaultRule(
                name: "slow", match: FaultMatch(path: "/axis-cgi/*"), fault: .network(.bandwidth(bytesPerSecond: 1000))),
            FaultRule(name: "cut", match: FaultMatch(path: "/axis-cgi/*"), fault: .media(.truncatedJPEG)),
            FaultRule(name: "second cut", fault: .media(.corruptEntropy)),
        ])
        let (response, faults) = await Self.send(rig, "/axis-cgi/mjpg/video.cgi")
        #expect(text(response) == "fine")
        #expect(faults?.bytesPerSecond == 1000)
        #expect(faults?.media == .truncatedJPEG, "the first media rule wins")
        #expect(faults?.label == "bandwidth 1000 B/s (slow); media truncatedJPEG (cut)")
        #expect(rig.lastFault == "bandwidth 1000 B/s (slow); media truncatedJPEG (cut)")
        let (_, other) = await Self.send(rig, "/api/v1/get_cam_list")
        #expect(other?.media == .corruptEntropy && other?.bytesPerSecond == nil)
    }

    @Test func aResetNeverReachesTheAPIAndIsJournaledWithoutAStatus() async {
        let rig = FaultRig([FaultRule(name: "rst", fault: .network(.reset))])
        let (_, faults) = await Self.send(rig, "/api/v1/get_cam_list")
        #expect(faults?.reset == true)
        #expect(rig.api.calls.withLockedValue { $0 } == 0)
        #expect(rig.records.last?.status == 0 && rig.lastFault == "reset (rst)")
    }

    @Test func withoutASlotTransportFaultsAreIgnored() async {
        let rig = FaultRig([FaultRule(fault: .network(.reset))])
        #expect(text(await rig.send("/api/v1/get_cam_list")) == "fine")
        #expect(rig.api.calls.withLockedValue { $0 } == 1)
    }

    @Test func refuseRulesDrawPerConnectionAndNotPerRequest() async {
        let rules = [
            FaultRule(name: "door", match: FaultMatch(client: "10.*"), probability: 0.5, fault: .network(.refuse))
        ]
        let run = { () -> [Bool] in
            let rig = FaultRig(rules, seed: 9)
            return (0..<40).map { _ in rig.faults.refusal(forClient: "10.0.0.1", at: 0) != nil }
        }
        let first = run()
        #expect(first.contains(true) && first.contains(false))
        #expect(run() == first, "same seed, same connections refused")
        let rig = FaultRig(rules)
        #expect(rig.faults.refusal(forClient: "127.0.0.1", at: 0) == nil)
        let (_, faults) = await Self.send(rig, "/api/v1/get_cam_list")
        #expect(faults == nil, "requests never draw for refuse rules")
    }
}

/// Stream sessions in the journal.
@Suite struct StreamJournalFaultTests {
    @Test func anEndedStreamIsJournaledAtItsStartWithSecretsMasked() throws {
        let journal = Journal()
        let layer = TransportFaultLayer(journal: journal, clock: RunClock()) { nil }
        layer.streamEnded(
            StreamSession(
                client: "127.0.0.1", cameraName: "Doorbell", variant: "320x240@q70",
                target: "/axis-cgi/mjpg/video.cgi?cameraId=1455317736&token=secret", framesSent: 12, firstSequence: 40,
                lastSequence: 51, bytesSent: 123_456, durationMilliseconds: 0, fault: "media staleFrames (r)",
                ending: .fault))
        let entry = try #require(journal.snapshot().entries.first)
        let record = try #require(entry.stream)
        #expect(record.path == "/axis-cgi/mjpg/video.cgi")
        #expect(record.parameters.map(\.value) == ["1455317736", "***"])
        #expect(record.firstFrame == 40 && record.lastFrame == 51 && record.framesSent == 12)
        #expect(record.ended == .fault && record.fault == "media staleFrames (r)")
        let json = try JSONEncoder().encode(entry)
        #expect(String(decoding: json, as: UTF8.self).contains("\"stream\":{"))
        #expect(try JSONDecoder().decode(JournalEntry.self, from: json) == entry)
    }

    @Test func withoutAControllerNoConnectionIsRefused() {
        let layer = TransportFaultLayer(journal: Journal(), clock: RunClock()) { nil }
        #expect(layer.refusal(forClient: "127.0.0.1") == nil)
    }
}

/// `staleFrames` on `image.cgi`: the first snapshot comes back every time.
@Suite struct StaleSnapshotFaultTests {
    /// Answers each request with a different one-byte "JPEG".
    final class CountingCamera: TinyCamResponder {
        let count = NIOLockedValueBox(0)

        func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
            let value = count.withLockedValue { count -> UInt8 in
                count += 1
                return UInt8(count)
            }
            return TinyCamResponse(
                status: .ok, headers: [("Content-Type", "image/jpeg")], body: .bytes(ByteBuffer(bytes: [value])))
        }
    }

    @Test func theFirstSnapshotIsServedAgainPerCameraAndSize() async {
        var config = Scenario.defaultConfig
        config.server.cors = false
        let faults = FaultController(
            rules: [FaultRule(fault: .media(.staleFrames))], seed: 1, config: config, tokens: nil)
        let responder = FaultingResponder(CountingCamera(), faults: faults, clock: RunClock())
        let body = { (target: String) async -> [UInt8] in
            let response = await ExchangeFaultSlot.$current.withValue(ExchangeFaultSlot()) {
                await responder.handle(TinyCamRequest(method: "GET", target: target, headers: [], clientAddress: "c"))
            }
            return response.bodyBytes.map { Array($0.readableBytesView) } ?? []
        }
        #expect(await body("/axis-cgi/jpg/image.cgi?camera=1") == [1])
        #expect(await body("/axis-cgi/jpg/image.cgi?camera=1") == [1], "stale")
        #expect(await body("/axis-cgi/jpg/image.cgi?camera=1&resolution=320x240") == [3], "another size")
        #expect(await body("/axis-cgi/jpg/image.cgi?camera=2") == [4], "another camera")
        #expect(await body("/axis-cgi/jpg/image.cgi?camera=2") == [4])
    }
}
