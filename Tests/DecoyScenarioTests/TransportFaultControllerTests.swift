import DecoyCore
import DecoyFaults
import DecoyServer
import DecoyTinyCam
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

/// Network faults decided with the others, applied by the transport, journaled as what happened.
@Suite struct TransportFaultControllerTests {
    @Test func aResetNeverReachesTheAPIAndIsJournaledWithoutAStatus() async throws {
        try await FaultRig.with([FaultRule(name: "rst", fault: .network(.reset))]) { rig in
            try await rig.server.send("GET /api/v1/get_cam_list HTTP/1.1\r\nHost: decoy\r\n\r\n")
            #expect(try await rig.server.outputUntilClosed().isEmpty, "not one byte of an answer")
            #expect(rig.api.calls.withLockedValue { $0 } == 0)
            #expect(rig.records.last?.status == 0 && rig.lastFault == "reset (rst)")
            #expect(rig.records.last?.outcome == .reset)
        }
    }
}

/// Stream sessions in the journal.
@Suite struct StreamJournalFaultTests {
    @Test func anEndedStreamIsJournaledAtItsStartWithSecretsMasked() throws {
        let journal = Journal()
        JournalRecorder(journal: journal, clock: RunClock()).record(
            StreamSession(
                startedAt: JournalStamp(milliseconds: 70, sequence: 1), client: "127.0.0.1", cameraName: "Doorbell",
                variant: "320x240@q70",
                target: "/axis-cgi/mjpg/video.cgi?cameraId=1455317736&token=secret", framesSent: 12, firstSequence: 40,
                lastSequence: 51, bytesSent: 123_456, durationMilliseconds: 0, fault: "media staleFrames (r)",
                ending: .fault))
        let entry = try #require(journal.snapshot().entries.first)
        let record = try #require(entry.stream)
        #expect(entry.milliseconds == 70)
        #expect(record.path == "/axis-cgi/mjpg/video.cgi")
        #expect(record.parameters.map(\.value) == ["1455317736", "***"])
        #expect(record.firstFrame == 40 && record.lastFrame == 51 && record.framesSent == 12)
        #expect(record.ended == .fault && record.fault == "media staleFrames (r)")
        let json = try JSONEncoder().encode(entry)
        #expect(String(decoding: json, as: UTF8.self).contains("\"stream\":{"))
        #expect(try JSONDecoder().decode(JournalEntry.self, from: json) == entry)
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

    @Test func theFirstSnapshotIsServedAgainPerCameraAndSize() async throws {
        try await FaultRig.with([FaultRule(fault: .media(.staleFrames))], answering: CountingCamera()) { rig in
            var bodies: [[UInt8]] = []
            for query in ["camera=1", "camera=1", "camera=1&resolution=320x240", "camera=2", "camera=2"] {
                bodies.append(try await rig.send("/axis-cgi/jpg/image.cgi?\(query)").body)
            }
            #expect(bodies[0] == [1])
            #expect(bodies[1] == [1], "stale")
            #expect(bodies[2] == [3], "another size")
            #expect(bodies[3] == [4], "another camera")
            #expect(bodies[4] == [4])
        }
    }
}
