import DecoyControl
import DecoyCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import DecoyTestSupport

/// `decoy run` called as a function: the exit status, the summary and the reports, in-process.
@Suite(.serialized) struct RunCommandInProcessTests {
    /// What a run printed.
    final class Printed: Sendable {
        private let box = NIOLockedValueBox((out: "", err: ""))
        var out: String { box.withLockedValue { $0.out } }
        var err: String { box.withLockedValue { $0.err } }
        var output: RunCommand.Output {
            RunCommand.Output(
                out: { text in self.box.withLockedValue { $0.out += text } },
                err: { text in
                    self.box.withLockedValue { $0.err += text }
                })
        }
    }

    static func run(_ scenario: String, check: Bool = false) async throws -> (Int32, Printed, String) {
        let folder = NSTemporaryDirectory() + "decoy-run-inprocess-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/scenario.yaml"
        try scenario.write(toFile: file, atomically: true, encoding: .utf8)
        var options = RunCommand.Options(scenario: file)
        options.check = check
        options.junit = folder + "/junit.xml"
        let printed = Printed()
        let status = await RunCommand(options: options, output: printed.output, logger: TestServer.quietLogger)
            .execute()
        let junit = (try? String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: folder)
        return (status, printed, junit)
    }

    static let scenario = """
        name: in-process
        clock: virtual
        duration: 2s
        expect:
          - name: nobody logs in
            never: { path: /api/v1/login }
        """

    @Test func aPassingRunReturnsZeroAndWritesItsReport() async throws {
        let (status, printed, junit) = try await Self.run(Self.scenario)
        #expect(status == 0, "\(printed.out)\(printed.err)")
        #expect(printed.out.contains("PASS  nobody logs in"), "\(printed.out)")
        #expect(junit.contains("<testsuite name=\"in-process\" tests=\"1\" failures=\"0\""), "\(junit)")
    }

    @Test func aFailingRunReturnsOne() async throws {
        let failing = Self.scenario.replacingOccurrences(
            of: "never: { path: /api/v1/login }", with: "request: { path: /api/v1/login }\n    atLeast: 1")
        let (status, printed, junit) = try await Self.run(failing)
        #expect(status == 1, "\(printed.out)\(printed.err)")
        #expect(junit.contains("failures=\"1\""), "\(junit)")
    }

    @Test func anInvalidScenarioReturnsTwoAndSaysWhy() async throws {
        let (status, printed, _) = try await Self.run("name: broken\nduration: soon\n")
        #expect(status == 2)
        #expect(printed.err.contains("duration"), "\(printed.err)")
        let (checked, checkPrinted, _) = try await Self.run(Self.scenario, check: true)
        #expect(checked == 0 && checkPrinted.out.contains("OK: scenario in-process"), "\(checkPrinted.out)")
    }
}
