import DecoyTinyCam
import Testing

@Suite("Range header (RFC 9110 §14)")
struct ByteRangeTests {
    private func partial(_ offset: Int64, _ length: Int64) -> ByteRange.Selection {
        .partial(ByteRange(offset: offset, length: length))
    }

    @Test("first-last, first- and -suffix select the right bytes")
    func forms() {
        #expect(ByteRange.select("bytes=0-0", size: 100) == partial(0, 1))
        #expect(ByteRange.select("bytes=10-19", size: 100) == partial(10, 10))
        #expect(ByteRange.select("bytes=90-", size: 100) == partial(90, 10))
        #expect(ByteRange.select("bytes=0-", size: 100) == partial(0, 100))
        #expect(ByteRange.select("bytes=-10", size: 100) == partial(90, 10))
        #expect(ByteRange.select("bytes=99-99", size: 100) == partial(99, 1))
    }

    @Test("an end past the file is clamped; a suffix longer than the file is the whole file as 206")
    func clamping() {
        #expect(ByteRange.select("bytes=50-1000", size: 100) == partial(50, 50))
        #expect(ByteRange.select("bytes=-1000", size: 100) == partial(0, 100))
        #expect(ByteRange.select("bytes=0-99", size: 100) == partial(0, 100))
    }

    @Test("a start at or past the end, and a zero suffix, are unsatisfiable")
    func unsatisfiable() {
        #expect(ByteRange.select("bytes=100-", size: 100) == .unsatisfiable)
        #expect(ByteRange.select("bytes=100-200", size: 100) == .unsatisfiable)
        #expect(ByteRange.select("bytes=5000-", size: 100) == .unsatisfiable)
        #expect(ByteRange.select("bytes=-0", size: 100) == .unsatisfiable)
    }

    @Test("unit case and optional whitespace are accepted, empty list elements skipped")
    func leniency() {
        #expect(ByteRange.select("Bytes=0-9", size: 100) == partial(0, 10))
        #expect(ByteRange.select("BYTES=0-9", size: 100) == partial(0, 10))
        #expect(ByteRange.select("  bytes = 0-9  ", size: 100) == partial(0, 10))
        #expect(ByteRange.select("bytes=\t0-9\t", size: 100) == partial(0, 10))
        #expect(ByteRange.select("bytes=, 0-9 ,", size: 100) == partial(0, 10))
    }

    @Test(
        "bad syntax is ignored: the whole file",
        arguments: [
            "", "bytes", "bytes=", "bytes=,", "bytes=-", "bytes=abc", "bytes=5", "bytes=a-b", "bytes=1-a", "bytes=+1-2",
            "bytes=1--2", "bytes=-1-2", "bytes=0x10-20", "bytes=10-5", "bytes=1 -2", "bytes=1- 2", "items=0-5",
            "bytesx=0-5", "=0-5", "bytes=0-1,x", "bytes=\u{00e9}-1",
        ])
    func ignored(_ header: String) {
        #expect(ByteRange.select(header, size: 100) == .whole)
    }

    @Test("no header is the whole file")
    func absent() {
        #expect(ByteRange.select(nil, size: 100) == .whole)
    }

    @Test("several ranges are answered with the whole file, unless none is satisfiable")
    func several() {
        #expect(ByteRange.select("bytes=0-9,20-29", size: 100) == .whole)
        #expect(ByteRange.select("bytes=0-9, -5", size: 100) == .whole)
        #expect(ByteRange.select("bytes=0-9,500-", size: 100) == .whole)
        #expect(ByteRange.select("bytes=200-300,500-", size: 100) == .unsatisfiable)
    }

    @Test("an empty file: any start is unsatisfiable, a suffix gets the whole (empty) file")
    func emptyFile() {
        #expect(ByteRange.select("bytes=0-", size: 0) == .unsatisfiable)
        #expect(ByteRange.select("bytes=0-0", size: 0) == .unsatisfiable)
        #expect(ByteRange.select("bytes=-5", size: 0) == .whole)
        #expect(ByteRange.select("bytes=-0", size: 0) == .unsatisfiable)
    }

    @Test("numbers beyond Int64 neither crash nor wrap")
    func hugeNumbers() {
        let huge = String(repeating: "9", count: 40)
        #expect(ByteRange.select("bytes=\(huge)-", size: 100) == .unsatisfiable)
        #expect(ByteRange.select("bytes=0-\(huge)", size: 100) == partial(0, 100))
        #expect(ByteRange.select("bytes=-\(huge)", size: 100) == partial(0, 100))
        #expect(ByteRange.select("bytes=9223372036854775807-", size: 100) == .unsatisfiable)
        #expect(ByteRange.select("bytes=9223372036854775808-9223372036854775809", size: 100) == .unsatisfiable)
        let large = Int64.max
        #expect(ByteRange.select("bytes=\(large - 10)-", size: large) == partial(large - 10, 10))
        #expect(ByteRange.select("bytes=0-\(huge)", size: large) == partial(0, large))
        #expect(ByteRange.select("bytes=\(huge)-1", size: 100) == .whole, "last before first is invalid")
    }

    @Test("Content-Range of a part")
    func contentRange() {
        #expect(ByteRange(offset: 10, length: 10).contentRange(size: 100) == "bytes 10-19/100")
        #expect(ByteRange(offset: 0, length: 1).last == 0)
    }
}
