import DecoyCore
import Testing

@Suite("CivilTime")
struct CivilTimeTests {
    @Test(
        "log timestamps",
        arguments: [
            (Int64(0), "1970-01-01 00:00:00.000"), (-1, "1969-12-31 23:59:59.999"),
            (-86_400_000, "1969-12-31 00:00:00.000"), (784_111_777_000, "1994-11-06 08:49:37.000"),
            (951_782_400_000, "2000-02-29 00:00:00.000"), (951_868_799_999, "2000-02-29 23:59:59.999"),
            (1_709_210_096_789, "2024-02-29 12:34:56.789"), (1_601_381_164_000, "2020-09-29 12:06:04.000"),
            (-2_208_988_800_000, "1900-01-01 00:00:00.000"), (-2_203_891_201_000, "1900-02-28 23:59:59.000"),
            (-2_203_891_200_000, "1900-03-01 00:00:00.000"), (4_107_542_400_000, "2100-03-01 00:00:00.000"),
            (253_402_300_799_999, "9999-12-31 23:59:59.999"),
        ])
    func logTimestamp(milliseconds: Int64, expected: String) {
        #expect(CivilTime.logTimestamp(milliseconds) == expected)
    }

    @Test(
        "HTTP dates",
        arguments: [
            (Int64(0), "Thu, 01 Jan 1970 00:00:00 GMT"), (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
            (-86_400_000, "Wed, 31 Dec 1969 00:00:00 GMT"), (784_111_777_000, "Sun, 06 Nov 1994 08:49:37 GMT"),
            (951_782_400_000, "Tue, 29 Feb 2000 00:00:00 GMT"), (1_709_210_096_789, "Thu, 29 Feb 2024 12:34:56 GMT"),
            (-2_208_988_800_000, "Mon, 01 Jan 1900 00:00:00 GMT"), (4_107_542_400_000, "Mon, 01 Mar 2100 00:00:00 GMT"),
            (1_582_934_400_000, "Sat, 29 Feb 2020 00:00:00 GMT"),
        ])
    func httpDate(milliseconds: Int64, expected: String) {
        #expect(CivilTime.httpDate(milliseconds) == expected)
    }
}

@Suite("LogRing")
struct LogRingTests {
    @Test("the ring never holds more than its capacity and drops the oldest tenth when full")
    func bound() {
        let ring = LogRing(capacity: 10)
        for number in 1...10 { ring.append("line \(number)") }
        #expect(ring.count == 10)
        ring.append("line 11")
        #expect(ring.count == 9)
        #expect(ring.text == (3...11).map { "line \($0)\n" }.joined())
        for number in 12...100 {
            ring.append("line \(number)")
            #expect(ring.count <= 10)
        }
        #expect(ring.text.hasSuffix("line 99\nline 100\n"))
        #expect(!ring.text.contains("line 11\n"))
    }

    @Test("a large ring keeps its newest lines in order")
    func largeRing() {
        let ring = LogRing(capacity: 5000)
        for number in 1...12_000 { ring.append("\(number)") }
        #expect(ring.count <= 5000)
        #expect(ring.count >= 4500)
        let lines = ring.text.split(separator: "\n").compactMap { Int($0) }
        #expect(lines.last == 12_000)
        #expect(zip(lines, lines.dropFirst()).allSatisfy { $1 == $0 + 1 })
    }

    @Test("text is empty for an empty ring and every line ends in a newline")
    func textFormat() {
        let ring = LogRing(capacity: 3)
        #expect(ring.text == "")
        ring.append("a")
        ring.append("b")
        #expect(ring.text == "a\nb\n")
        ring.clear()
        #expect(ring.text == "")
        #expect(ring.count == 0)
    }
}

@Suite("TrafficMeter")
struct TrafficMeterTests {
    @Test("rates are bytes per second between samples at least a window apart")
    func rates() {
        let meter = TrafficMeter()
        #expect(meter.rates(nowMilliseconds: 1000) == (0, 0))
        meter.received(3000)
        meter.sent(1500)
        #expect(meter.rates(nowMilliseconds: 3000) == (1500, 750))
        // Closer than the window: the previous rates, not zeros.
        meter.received(10_000)
        #expect(meter.rates(nowMilliseconds: 3500) == (1500, 750))
        #expect(meter.rates(nowMilliseconds: 5000) == (5000, 0))
        #expect(meter.totals == (13_000, 1500))
    }

    @Test("a custom window")
    func customWindow() {
        let meter = TrafficMeter()
        _ = meter.rates(nowMilliseconds: 0, minimumWindow: 100)
        meter.sent(50)
        #expect(meter.rates(nowMilliseconds: 100, minimumWindow: 100) == (0, 500))
    }
}

@Suite("ServerCounters and ManualClock")
struct CountersTests {
    @Test("open streams and restarts are counted")
    func counters() {
        let counters = ServerCounters(startedAt: 5)
        counters.streamOpened()
        counters.streamOpened()
        counters.streamClosed()
        #expect(counters.openStreams == 1)
        counters.restarted(at: 99)
        #expect(counters.startedAt == 99)
        #expect(counters.restarts == 1)
    }

    @Test("the manual clock moves only when told")
    func manualClock() {
        let clock = ManualClock(startMilliseconds: 10)
        #expect(clock.nowMilliseconds() == 10)
        clock.advance(by: 1500)
        #expect(clock.nowMilliseconds() == 1510)
    }
}
