import DecoyCore
import Foundation
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

/// The diagnostics of an invalid scenario (fails the test when it parses).
func diagnostics(_ text: String, file: String = "s.yaml") -> [ConfigDiagnostic] {
    do {
        _ = try ScenarioLoader.parse(text, file: file)
        Issue.record("expected the scenario to be rejected")
        return []
    } catch {
        return error.diagnostics
    }
}

@Suite struct ScenarioParserTests {
    @Test func theIssueSampleValidatesAsWritten() throws {
        let scenario = try ScenarioLoader.load(path: packageRoot + "/Scenarios/doorbell-ring.yaml")
        #expect(scenario.name == "doorbell-ring")
        #expect(scenario.seed == 42)
        #expect(scenario.clock == .real)
        #expect(scenario.durationMilliseconds == 15_000)
        #expect(!scenario.config.isEmbeddedDefault)
        #expect(scenario.config.cameras.map(\.name) == DecoyConfig.embeddedDefault.cameras.map(\.name))
        #expect(
            scenario.timeline == [
                TimelineStep(
                    id: "ring", timing: .at(3000),
                    action: .motion(camera: "Doorbell", type: .person, durationMilliseconds: 4000), line: 7)
            ])
        #expect(
            scenario.expectations.map(\.kind) == [
                .within(RequestPattern(path: "/api/v1/get_cam_event_list"), windowMilliseconds: 5000, step: "ring"),
                .count(RequestPattern(path: "/api/v1/login"), atLeast: nil, atMost: 3, perMilliseconds: nil),
            ])
    }

    @Test func everyShippedScenarioValidates() throws {
        let folder = packageRoot + "/Scenarios"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 8, "\(files)")
        for file in files {
            #expect(throws: Never.self, "\(file)") { try ScenarioLoader.load(path: "\(folder)/\(file)") }
        }
    }

    @Test(arguments: [
        ("500ms", Int64(500)), ("5s", 5000), ("2m", 120_000), ("1.5s", 1500), ("0s", 0), ("1h", 3_600_000),
        ("250 ms", nil), ("5", nil), ("s", nil), ("-1s", nil), ("5x", nil), ("25h", nil), ("1e3ms", nil),
    ])
    func durations(text: String, milliseconds: Int64?) {
        #expect(ScenarioDuration.parse(text) == milliseconds)
    }

    /// A step whose action is invalid is reported once: a step waiting for it and an expectation
    /// timed from it are not errors of their own.
    @Test func anInvalidStepIsReportedOnceNotAtEveryReferenceToIt() {
        let found = diagnostics(
            """
            name: s
            duration: 10s
            timeline:
              - id: a
                at: 1s
                motion: { camera: Nowhere }
              - after: a
                log: then
            expect:
              - name: polls
                request: { path: /api/v1/get_cam_list }
                within: 2s
                of: a
            """)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.message.contains("no camera 'Nowhere'") == true, "\(found)")
        #expect(!found.contains { $0.message.contains("no step has id") })
    }

    @Test func unknownKeysAreReportedWhereTheyAreWithTheNearestKey() {
        let found = diagnostics("name: x\nduraton: 5s\ntimeline:\n  - at: 1s\n    lgo: hi\n")
        let text = found.map(\.description)
        #expect(
            text.contains {
                $0.hasPrefix("s.yaml:2:1: error: unknown key 'duraton' at the top level (did you mean 'duration'?)")
            },
            "\(text)")
        #expect(
            text.contains {
                $0.hasPrefix("s.yaml:5:5: error: unknown key 'lgo' under 'timeline[0]' (did you mean 'log'?)")
            }, "\(text)")
        #expect(text.contains { $0.contains("needs a 'duration'") }, "\(text)")
    }

    @Test func aBadDurationNamesItsPositionAndTheUnits() {
        let found = diagnostics("name: x\nduration: 5\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.column == 11)
        #expect(found.first?.message.contains("500ms, 5s or 2m") == true, "\(found)")
    }

    @Test func aMediaStepWithoutItsFaultIsRejectedByName() {
        let found = diagnostics("name: x\nduration: 5s\ntimeline:\n  - at: 1s\n    media: { truncate: true }\n")
        #expect(found.allSatisfy { $0.line == 5 }, "\(found)")
        #expect(found.contains { $0.message.contains("'timeline[0].media' needs 'fault: <media fault>'") }, "\(found)")
    }

    @Test func aStepNeedsExactlyOneTimeKeyAndOneAction() {
        let found = diagnostics(
            "name: x\nduration: 5s\ntimeline:\n  - at: 1s\n    every: 2s\n    restart: {}\n  - at: 2s\n"
                + "  - at: 3s\n    log: a\n    restart: {}\n")
        let text = found.map(\.description).joined(separator: "\n")
        #expect(text.contains("s.yaml:4:5: error: 'timeline[0]' has at and every, but needs one"), "\(text)")
        #expect(text.contains("s.yaml:7:5: error: 'timeline[1]' has no action"), "\(text)")
        #expect(text.contains("s.yaml:8:5: error: 'timeline[2]' has 2 actions"), "\(text)")
    }

    @Test func stepReferencesMustExistAndNotLoop() {
        let found = diagnostics(
            """
            name: x
            duration: 5s
            timeline:
              - id: ring
                at: 1s
                log: ring
              - after: rnig
                log: late
              - id: a
                after: b
                log: a
              - id: b
                after: a
                log: b
            expect:
              - name: e
                request: /x
                within: 1s
                of: rign
            """)
        let text = found.map(\.description).joined(separator: "\n")
        #expect(
            text.contains("s.yaml:7:12: error: 'after: rnig': no step has id 'rnig' (did you mean 'ring'?)"), "\(text)")
        #expect(text.contains("s.yaml:10:12: error: 'after: b' makes a loop"), "\(text)")
        #expect(text.contains("s.yaml:13:12: error: 'after: a' makes a loop"), "\(text)")
        #expect(
            text.contains("s.yaml:19:9: error: 'of: rign': no step has id 'rign' (did you mean 'ring'?)"), "\(text)")
    }

    @Test func motionNamesAConfiguredCameraByNameOrID() throws {
        let ok = try ScenarioLoader.parse(
            "name: x\nduration: 5s\ntimeline:\n  - at: 1s\n    motion: { camera: 1455317736 }\n", file: "s.yaml")
        #expect(ok.timeline.first?.action == .motion(camera: "1455317736", type: .motion, durationMilliseconds: 10_000))
        let found = diagnostics("name: x\nduration: 5s\ntimeline:\n  - at: 1s\n    motion: { camera: Dorbell }\n")
        #expect(found.first?.line == 5)
        #expect(found.first?.message.contains("no camera 'Dorbell' (did you mean 'Doorbell'?)") == true, "\(found)")
    }

    @Test func inlineConfigIsCheckedLikeAConfigFileAtItsOwnLines() throws {
        let found = diagnostics(
            """
            name: x
            duration: 5s
            config:
              server:
                listen: 127.0.0.1:9000
              cameras:
                - name: Porch
                  id: 5
                  fps: abc
              storage:
                stateDir: /tmp
            """)
        let text = found.map(\.description).joined(separator: "\n")
        #expect(text.contains("s.yaml:5:13: error: 'config.server.listen' is chosen by `decoy run --listen"), "\(text)")
        #expect(text.contains("s.yaml:9:12: error: 'cameras[0].fps' must be a whole number from 1 to 60"), "\(text)")
        #expect(text.contains("s.yaml:10:3: error: unknown key 'storage' under 'config'"), "\(text)")
        let scenario = try ScenarioLoader.parse(
            "name: x\nduration: 5s\nconfig:\n  cameras:\n    - name: Porch\n      id: 5\n"
                + "timeline:\n  - at: 1s\n    motion: { camera: Porch, type: pet, duration: 2s }\n",
            file: "s.yaml")
        #expect(scenario.config.cameras.map(\.name) == ["Porch"])
        #expect(!scenario.config.isEmbeddedDefault)
    }

    @Test func virtualClockIsAccepted() throws {
        let scenario = try ScenarioLoader.parse("name: x\nduration: 5s\nclock: virtual\n", file: "s.yaml")
        #expect(scenario.clock == .virtual)
        #expect(diagnostics("name: x\nduration: 5s\nclock: fast\n").first?.message.contains("real, virtual") == true)
    }

    @Test func expectationShapes() throws {
        let scenario = try ScenarioLoader.parse(
            """
            name: x
            duration: 5s
            expect:
              - name: any login
                request: /api/v1/login
              - name: storm
                request: { path: /api/v1/login, method: get, status: 200, user: admin, auth: query }
                atMost: 2
                per: 1m
              - name: no basic
                never: { path: "/axis-cgi/*", auth: basic, params: { camera: "1" } }
              - name: order
                order: [/api/v1/login, /api/v1/get_cam_list]
              - name: exit
                clientExit: 0
            """, file: "s.yaml")
        #expect(
            scenario.expectations.map(\.kind) == [
                .count(RequestPattern(path: "/api/v1/login"), atLeast: 1, atMost: nil, perMilliseconds: nil),
                .count(
                    RequestPattern(path: "/api/v1/login", method: "GET", status: 200, user: "admin", auth: .query),
                    atLeast: nil, atMost: 2, perMilliseconds: 60_000),
                .never(RequestPattern(path: "/axis-cgi/*", auth: .basic, parameters: ["camera": "1"])),
                .order([RequestPattern(path: "/api/v1/login"), RequestPattern(path: "/api/v1/get_cam_list")]),
                .clientExit(0),
            ])
    }

    @Test func expectationMistakes() {
        let found = diagnostics(
            """
            name: x
            duration: 5s
            expect:
              - request: /a
              - name: two
                never: /a
                clientExit: 0
              - name: half
                request: /a
                within: 2s
              - name: nopath
                request: api/v1/login
              - name: twisted
                request: /a
                atLeast: 3
                atMost: 1
              - name: within never
                never: /a
                within: 1s
            """)
        let text = found.map(\.description).joined(separator: "\n")
        #expect(text.contains("s.yaml:4:5: error: 'expect[0]' needs a non-empty 'name'"), "\(text)")
        #expect(text.contains("s.yaml:5:5: error: 'expect[1]' has never and clientExit"), "\(text)")
        #expect(
            text.contains("s.yaml:8:5: error: 'expect[2]' needs both 'within: <duration>' and 'of: <step id>'"),
            "\(text)")
        #expect(text.contains("s.yaml:12:14: error: 'expect[3].request' must be a path starting with '/'"), "\(text)")
        #expect(text.contains("s.yaml:13:5: error: 'expect[4]': atLeast 3 is more than atMost 1"), "\(text)")
        #expect(
            text.contains(
                "s.yaml:19:13: error: 'expect[5].within' only goes with 'reconnects:' or 'request:', not with"),
            "\(text)")
    }

    @Test func yamlSyntaxErrorsHaveAPosition() {
        let found = diagnostics("name: x\nduration: [5s\n")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("YAML syntax") == true, "\(found)")
    }

    @Test func anEmptyFileSaysWhatIsNeeded() {
        #expect(diagnostics("").first?.message.contains("needs at least 'name' and 'duration'") == true)
    }
}
