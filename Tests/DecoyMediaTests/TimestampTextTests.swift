import DecoyMedia
import Testing

@Suite("Overlay clock text")
struct TimestampTextTests {
    @Test(
        "formats yyyy-MM-dd HH:mm:ss in the zone's local time",
        arguments: [
            (Int64(0), 0, "1970-01-01 00:00:00"),
            (1_700_000_000_000, 0, "2023-11-14 22:13:20"),
            (1_700_000_000_000, 3600, "2023-11-14 23:13:20"),
            (1_709_208_000_000, 0, "2024-02-29 12:00:00"),
            (951_782_400_000, 0, "2000-02-29 00:00:00"),
            (4_102_444_799_999, 0, "2099-12-31 23:59:59"),
            (-1, 0, "1969-12-31 23:59:59"),
            (0, -18_000, "1969-12-31 19:00:00"),
            (-62_135_596_800_000, 0, "0001-01-01 00:00:00"),
        ])
    func format(milliseconds: Int64, offset: Int, expected: String) {
        #expect(TimestampText.format(unixMilliseconds: milliseconds, utcOffsetSeconds: offset) == expected)
    }
}
