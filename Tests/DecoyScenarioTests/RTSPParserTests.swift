import DecoyCore
import DecoyFaults
import DecoyTinyCam
import Testing

@testable import DecoyScenario
@testable import DecoyTestSupport

/// RTSP in the scenario language: the media faults with their options, `method:` and `protocol:`
/// in matches, `protocol:` and `transport:` in expectations, and the mistakes said where they are.
@Suite struct RTSPParserTests {
    @Test func rtspFaultsMatchesAndExpectationsRead() throws {
        let scenario = try ScenarioLoader.parse(
            """
            name: x
            duration: 1m
            rules:
              - match: { path: /axis-media/media.amp, method: setup, protocol: rtsp }
                media: denyTransport
                transport: tcp
              - { media: denyTransport }
              - { media: packetLoss, by: 25 }
              - { media: packetLoss }
              - { media: timestampJump, by: 2s }
              - { media: noKeyframes, from: 5s, until: 15s }
              - { media: corruptSlice }
              - { media: sessionExpiry }
            expect:
              - name: played
                request: { path: /axis-media/media.amp, protocol: rtsp, method: play }
              - name: over udp
                streams: { path: /axis-media/media.amp, protocol: rtsp, transport: UDP }
            """, file: "s.yaml")
        #expect(
            scenario.rules.map(\.fault) == [
                .media(.denyTransport(udp: false)), .media(.denyTransport(udp: true)),
                .media(.packetLoss(percent: 25)), .media(.packetLoss(percent: 10)),
                .media(.timestampJump(milliseconds: 2000)), .media(.noKeyframes), .media(.corruptSlice),
                .media(.sessionExpiry),
            ])
        #expect(scenario.rules[0].match == FaultMatch(path: "/axis-media/media.amp", method: "SETUP", wire: .rtsp))
        #expect(scenario.rules[5].fromMilliseconds == 5000)
        #expect(
            scenario.expectations.map(\.kind) == [
                .count(
                    RequestPattern(path: "/axis-media/media.amp", method: "PLAY", protocol: .rtsp), atLeast: 1,
                    atMost: nil, perMilliseconds: nil),
                .streams(RequestPattern(path: "/axis-media/media.amp", protocol: .rtsp, transport: "udp"), .exists),
            ])
    }

    @Test func rtspMistakesAreReportedWhereTheyAre() {
        let found = diagnostics(
            """
            name: x
            duration: 1m
            rules:
              - { media: packetLoss, by: 0 }
              - { media: denyTransport, transport: sctp }
              - { media: noKeyframes, transport: udp }
              - { media: corruptSlice, by: 3 }
              - { status: 503, match: { protocol: ftp } }
            expect:
              - name: bad transport
                streams: { path: /x, transport: quic }
            """)
        let text = found.map(\.description).joined(separator: "\n")
        #expect(text.contains("s.yaml:4:30: error: 'rules[0].by (percent of packets lost)'"), "\(text)")
        #expect(text.contains("'rules[1].transport' must be udp or tcp, got 'sctp'"), "\(text)")
        #expect(text.contains("'rules[2].transport' only goes with 'media: denyTransport'"), "\(text)")
        #expect(text.contains("'rules[3].by' only goes with 'media: lyingContentLength'"), "\(text)")
        #expect(text.contains("'rules[4].match.protocol' must be one of http, rtsp, got 'ftp'"), "\(text)")
        #expect(text.contains("'expect[0].streams.transport' must be tcp or udp"), "\(text)")
    }
}
