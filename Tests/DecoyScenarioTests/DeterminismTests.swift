import DecoyCore
import DecoyFaults
import DecoyMedia
import DecoyScenario
import DecoyServer
import DecoyTinyCam
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import DecoyTestSupport

/// `clock: virtual` without a client: the same scenario run twice in-process gives the same journal
/// and the same pictures at the same virtual times, and runs much faster than its duration.
///
/// Left out of the comparison because they are real-world by nature: the run's URL (an ephemeral
/// port). Nothing else needs leaving out here: requests are made with Basic auth (a login's token
/// is random), the journal keeps no request durations, and recordings are off (clips are written
/// by an external encoder in real time, so when a clip lands is not a function of virtual time).
@Suite(.serialized) struct DeterminismTests {
    static let scenarioText = """
        name: determinism
        description: Motion and a frozen camera on a virtual clock, probed at fixed virtual times.
        seed: 42
        clock: virtual
        duration: 10s
        timeline:
          - id: walk
            at: 2s
            motion: { camera: Front yard, type: person, duration: 3s }
          - id: freeze
            after: walk
            delay: 4s
            camera: { camera: Doorbell, state: frozen }
          - every: 1500ms
            times: 3
            log: tick
        expect:
          - name: polls the event list after the walk
            request: { path: /api/v1/get_cam_event_list }
            within: 5s
            of: walk
        """

    /// When the probe looks, in run time.
    static let probeTimes: [Int64] = [500, 2_000, 2_600, 4_000, 7_000, 9_000]

    /// What the probe asks at each time: events, the status (motion flags, uptime) and a picture.
    static let probePaths = [
        "/api/v1/get_cam_event_list", "/api/v1/get_status?cameraId=182399567",
        "/axis-cgi/jpg/image.cgi?camera=1&resolution=320x240",
    ]

    /// One picture the probe took.
    struct Picture: Equatable, CustomStringConvertible {
        let at: Int64
        let camera: Int64
        let sequence: UInt64
        let timeMilliseconds: Int64
        let frameID: UInt32?
        let jpeg: [UInt8]

        var description: String {
            "t=\(at) camera \(camera) #\(sequence) at \(timeMilliseconds) id \(frameID.map(String.init) ?? "-") "
                + "\(jpeg.count) bytes"
        }
    }

    struct Outcome {
        let report: RunReport
        let pictures: [Picture]
        let wallSeconds: Double
    }

    /// Looks at every camera and asks the event list at `probeTimes`, holding the virtual clock
    /// meanwhile so each look happens exactly at its time.
    final class Probe: Sendable {
        private let pictures = NIOLockedValueBox<[Picture]>([])
        private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
        let times: [Int64]
        let paths: [String]

        init(times: [Int64] = DeterminismTests.probeTimes, paths: [String] = DeterminismTests.probePaths) {
            self.times = times
            self.paths = paths
        }

        func start(_ sandbox: Sandbox) {
            let clock = sandbox.clock
            let hold = clock.base.hold()
            let port = sandbox.runtime.port
            let cameras = sandbox.runtime.services.cameras.cameras
            let (times, paths) = (self.times, self.paths)
            let started = Task {
                await hold.run {
                    for at in times {
                        do { try await clock.sleep(untilElapsedMilliseconds: at) } catch { return }
                        for camera in cameras {
                            let variant = FrameVariant(size: camera.hub.nativeSize, quality: 80)
                            guard let frame = try? await camera.hub.snapshot(variant).get() else { continue }
                            let jpeg = Array(frame.jpeg.readableBytesView)
                            let id = (try? JPEGDecoder().decodeGray(jpeg)).flatMap { FrameID.decode($0) }
                            let picture = Picture(
                                at: at, camera: camera.config.id, sequence: frame.sequence,
                                timeMilliseconds: frame.timeMilliseconds, frameID: id, jpeg: jpeg)
                            pictures.withLockedValue { $0.append(picture) }
                        }
                        for path in paths {
                            await DeterminismTests.curl("http://127.0.0.1:\(port)\(path)")
                        }
                    }
                }
            }
            task.withLockedValue { $0 = started }
        }

        func finish() async -> [Picture] {
            await task.withLockedValue { $0 }?.value
            return pictures.withLockedValue { $0 }
        }
    }

    /// A GET with Basic auth as the default admin (curl from PATH; the answer is not needed),
    /// awaited without blocking a thread of the cooperative pool.
    static func curl(_ url: String) async {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "-o", "/dev/null", "--max-time", "20", "-u", "admin:admin", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume() }
        }
    }

    static func scenario(_ text: String = scenarioText) throws -> Scenario {
        var scenario = try ScenarioLoader.parse(text, file: "determinism.yaml")
        for index in scenario.config.cameras.indices { scenario.config.cameras[index].recording.enabled = false }
        return scenario
    }

    static func run(_ scenario: Scenario, probe: Probe = Probe()) async throws -> Outcome {
        let runner = ScenarioRunner(
            scenario: scenario,
            options: .init(
                control: { sandbox in
                    probe.start(sandbox)
                    return ""
                }),
            logger: Logger(label: "test.determinism"))
        let started = ContinuousClock.now
        let report = try await runner.run()
        let wall = ContinuousClock.now - started
        let pictures = await probe.finish()
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        return Outcome(report: report, pictures: pictures, wallSeconds: seconds)
    }

    /// Where two journals part, for the failure message.
    static func firstDifference(_ first: [String], _ second: [String]) -> String {
        guard let index = first.indices.first(where: { $0 < second.count && first[$0] != second[$0] }) else {
            return "lengths \(first.count) and \(second.count)"
        }
        return "entry \(index):\n  \(first[index])\n  \(second[index])"
    }

    static func json(_ entries: [JournalEntry]) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try entries.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
    }

    @Test func theSameVirtualScenarioGivesTheSameJournalAndPictures() async throws {
        try RunCommandTests.requireCurl()
        let scenario = try Self.scenario()
        let first = try await Self.run(scenario)
        let second = try await Self.run(scenario)
        print(
            "determinism: a virtual \(scenario.durationMilliseconds / 1000) s scenario ran in "
                + String(format: "%.2f s and %.2f s of wall time", first.wallSeconds, second.wallSeconds))

        print("determinism: pictures \(first.pictures.map(\.description).joined(separator: "; "))")
        #expect(first.report.ranMilliseconds == scenario.durationMilliseconds)
        let journal = try Self.json(first.report.journal)
        let again = try Self.json(second.report.journal)
        #expect(journal == again, "first difference: \(Self.firstDifference(journal, again))")
        // What the journal holds: the steps at their times and the probe's requests at its times.
        let steps = first.report.journal.compactMap { entry in entry.step.map { "\(entry.milliseconds) \($0.label)" } }
        #expect(steps.count == 5)
        #expect(
            first.report.journal.filter { $0.step != nil }.map(\.milliseconds) == [1_500, 2_000, 3_000, 4_500, 6_000])
        let requests = first.report.journal.filter { $0.request != nil }
        #expect(requests.map(\.milliseconds) == Self.probeTimes.flatMap { Array(repeating: $0, count: 3) })
        #expect(requests.allSatisfy { $0.request?.status == 200 })
        #expect(first.report.results.map(\.passed) == [true])
        #expect(first.report.results == second.report.results)

        let cameras = scenario.config.cameras.filter(\.enabled).count
        #expect(first.pictures.count == Self.probeTimes.count * cameras)
        #expect(first.pictures == second.pictures)
        // Each picture is of its virtual time: the clock's start plus the probe's time.
        let start = VirtualClock.defaultStartMilliseconds
        for picture in first.pictures where picture.at < 6_000 {
            #expect(picture.timeMilliseconds <= start + picture.at)
            #expect(picture.timeMilliseconds > start + picture.at - 1_000)
        }
        #expect(first.pictures.allSatisfy { $0.frameID != nil })
    }

    @Test func aSixtySecondVirtualRunWithoutAClientTakesItsWorkNotItsDuration() async throws {
        let text = Self.scenarioText.replacingOccurrences(of: "duration: 10s", with: "duration: 60s")
        let scenario = try Self.scenario(text)
        let outcome = try await Self.run(scenario)
        print(
            String(
                format: "determinism: a virtual 60 s scenario without a client ran in %.2f s of wall time",
                outcome.wallSeconds))
        #expect(outcome.report.ranMilliseconds == 60_000)
        #expect(outcome.report.journal.filter { $0.step != nil }.count == 5)
    }

    /// Answers 200 and says at which clock time it was asked.
    final class TimedCamera: TinyCamResponder {
        let clock: any DecoyClock
        let askedAt = NIOLockedValueBox<Int64?>(nil)

        init(clock: any DecoyClock) { self.clock = clock }

        func handle(_ request: TinyCamRequest) async -> TinyCamResponse {
            askedAt.withLockedValue { $0 = clock.nowMilliseconds() }
            return TinyCamResponse(status: .ok, headers: [], body: .bytes(ByteBuffer(bytes: [1])))
        }
    }

    @Test func latencyIsTheRunClocksTime() async throws {
        let virtual = VirtualClock(startMilliseconds: 0, pace: .fast)
        defer { virtual.stop() }
        let clock = RunClock(clock: virtual)
        clock.start()
        let camera = TimedCamera(clock: virtual)
        let rule = FaultRule(name: "slow", fault: .latency(fixedMilliseconds: 45_000, jitterMilliseconds: 0))
        let journal = Journal()
        // No cameras: their frames would be the only other timers, and virtual time would crawl
        // through 45 s of them frame by frame.
        let server = try await EmbeddedServer.start(
            config: DecoyConfig(cameras: []), clock: virtual,
            harness: TransportHarness(
                faults: FaultLayer(seed: 1, rules: [rule]), journal: JournalRecorder(journal: journal, clock: clock)),
            responder: { _ in camera })
        _ = try await server.get("/x")
        await server.shutdown()
        #expect(journal.snapshot().entries.first?.request?.fault == "latency 45000 ms (slow)")
        #expect(camera.askedAt.withLockedValue { $0 } == 45_000, "answered after 45 s of virtual time")
        #expect(clock.elapsedMilliseconds() == 45_000)
    }

    @Test func decoyRunSaysHowItsClockRuns() async throws {
        let folder = try RunCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/virtual.yaml"
        try Self.scenarioText.replacingOccurrences(of: "duration: 10s", with: "duration: 30s")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let fast = try await RunCommandTests.run(["run", file], in: folder)
        #expect(fast.stderr.contains("virtual clock from 2020-09-29 12:06:04.000 UTC, fast (no client command)"))
        #expect(fast.stdout.contains("ran 30 s"), "\(fast.stdout)")
        let paced = try await RunCommandTests.run(["run", file, "--", "/bin/sh", "-c", "exit 0"], in: folder)
        #expect(paced.stderr.contains("real speed (a client command runs)"), "\(paced.stderr)")
        #expect(!paced.stderr.contains("not built yet"))
    }

    @Test func aVirtualRestartIsBackExactlyItsDelayLater() async throws {
        try RunCommandTests.requireCurl()
        let text = """
            name: restart-virtual
            seed: 1
            clock: virtual
            duration: 20s
            config:
              server:
                restartDelay: 5
            timeline:
              - id: restart
                at: 2s
                restart: {}
            """
        let probe = Probe(times: [1_000, 4_000, 6_900, 7_100, 12_000], paths: ["/api/v1/get_cam_list"])
        let outcome = try await Self.run(try Self.scenario(text), probe: probe)
        // Down from 2 s (the step) to 7 s (2 s + restartDelay) in virtual time: refused meanwhile.
        let answered = outcome.report.journal.filter { $0.request != nil }.map(\.milliseconds)
        #expect(answered == [1_000, 7_100, 12_000])
        #expect(outcome.report.ranMilliseconds == 20_000)
    }
}
