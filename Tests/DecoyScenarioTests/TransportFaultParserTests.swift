import DecoyCore
import DecoyServer
import Testing

@testable import DecoyScenario

/// `rules:` and `network:`/`media:` steps with network and media faults.
@Suite struct TransportFaultParserTests {
    @Test func rulesReadEveryNetworkAndMediaFault() throws {
        let scenario = try ScenarioLoader.parse(
            """
            name: x
            duration: 1m
            rules:
              - { match: { path: /api/v1/get_cam_list }, reset: true }
              - { match: { client: "127.0.0.*" }, refuse: true, probability: 0.5 }
              - { stall: 5s }
              - { bandwidth: 64KB/s }
              - { bandwidth: 2KiB/s }
              - { bandwidth: 1.5MB/s }
              - { closeAfterBytes: 1000 }
              - { closeAfterFrames: 3 }
              - { media: truncatedJPEG, match: { path: /axis-cgi/mjpg/video.cgi } }
              - { media: lyingContentLength, by: -40 }
              - { media: lyingContentLength }
            """, file: "s.yaml")
        #expect(
            scenario.rules.map(\.fault) == [
                .network(.reset), .network(.refuse), .network(.stall(milliseconds: 5000)),
                .network(.bandwidth(bytesPerSecond: 64_000)), .network(.bandwidth(bytesPerSecond: 2048)),
                .network(.bandwidth(bytesPerSecond: 1_500_000)), .network(.closeAfterBytes(1000)),
                .network(.closeAfterFrames(3)), .media(.truncatedJPEG), .media(.lyingContentLength(by: -40)),
                .media(.lyingContentLength(by: 64)),
            ])
        #expect(scenario.rules[8].match.path == "/axis-cgi/mjpg/video.cgi")
        #expect(scenario.needsFaultLayer)
    }

    @Test func aMediaStepIsARuleForItsWindow() throws {
        let scenario = try ScenarioLoader.parse(
            """
            name: x
            duration: 1m
            timeline:
              - at: 2s
                media: { for: 5s, fault: corruptEntropy, match: { camera: Doorbell } }
              - at: 3s
                network: { for: 1s, closeAfterFrames: 2 }
            """, file: "s.yaml")
        guard case .network(let rule, let duration) = scenario.timeline[0].action else {
            Issue.record("\(scenario.timeline[0].action)")
            return
        }
        #expect(rule.fault == .media(.corruptEntropy) && duration == 5000)
        #expect(scenario.timeline[0].action.summary == "network media corruptEntropy for 5 s")
        #expect(scenario.needsFaultLayer)
    }

    @Test func badValuesSayWhatIsAllowed() {
        let found = diagnostics(
            """
            name: x
            duration: 1m
            rules:
              - { bandwidth: fast }
              - { media: truncated }
              - { media: chunked, by: 3 }
              - { reset: false }
              - { refuse: true, match: { path: /x } }
              - { media: lyingContentLength, by: 0 }
              - { closeAfterBytes: 0 }
            timeline:
              - { at: 1s, media: { fault: chunked } }
            """)
        let text = found.map(\.description).joined(separator: "\n")
        #expect(text.contains("s.yaml:4:18: error: 'rules[0].bandwidth' must be a rate such as 64KB/s"), "\(text)")
        #expect(text.contains("no media fault 'truncated' (did you mean 'truncatedJPEG'?)"), "\(text)")
        #expect(text.contains("'rules[2].by' only goes with 'media: lyingContentLength'"), "\(text)")
        #expect(text.contains("'rules[3].reset: false' faults nothing"), "\(text)")
        #expect(text.contains("'rules[4]' refuses connections before any request is read"), "\(text)")
        #expect(text.contains("'rules[5].by: 0' does not lie"), "\(text)")
        #expect(text.contains("'rules[6].closeAfterBytes' must be a whole number from 1"), "\(text)")
        #expect(text.contains("'timeline[0].media' needs 'for: <duration>'"), "\(text)")
        #expect(found.count == 8, "\(text)")
    }
}
