/// Formats the overlay clock as `yyyy-MM-dd HH:mm:ss`, the way tinyCam stamps frames.
///
/// Written by hand (proleptic Gregorian calendar from day counts) so the hot path needs neither Foundation nor
/// a `DateFormatter`, and the result depends only on its inputs, never on the machine's time zone.
public enum TimestampText {
    /// The wall-clock text for `unixMilliseconds` shifted by `utcOffsetSeconds` (local time of the zone).
    /// Milliseconds are truncated towards the past, so 999 ms before a second boundary still shows the
    /// earlier second, as a clock would.
    public static func format(unixMilliseconds: Int64, utcOffsetSeconds: Int) -> String {
        let seconds = floorDivide(unixMilliseconds, 1000) + Int64(utcOffsetSeconds)
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let date = civilDate(daysSinceEpoch: days)
        var text: [UInt8] = []
        text.reserveCapacity(19)
        appendDigits(date.year, width: 4, to: &text)
        text.append(UInt8(ascii: "-"))
        appendDigits(date.month, width: 2, to: &text)
        text.append(UInt8(ascii: "-"))
        appendDigits(date.day, width: 2, to: &text)
        text.append(UInt8(ascii: " "))
        appendDigits(secondOfDay / 3600, width: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Year, month (1...12) and day (1...31) of the day `daysSinceEpoch` days after 1970-01-01.
    ///
    /// Works in 400-year eras that start on March 1st, so leap days fall at the end of each year and no table
    /// of month lengths is needed.
    public static func civilDate(daysSinceEpoch: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSinceEpoch + 719_468  // days from 0000-03-01 to 1970-01-01
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097  // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // from March 1st
        let monthIndex = (5 * dayOfYear + 2) / 153  // 0 = March
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }

    /// Appends `value` in decimal, zero-padded to `width` digits (more digits if needed; a minus for negatives).
    private static func appendDigits(_ value: Int, width: Int, to text: inout [UInt8]) {
        if value < 0 { text.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        var digitCount = 1
        while digitCount < width || magnitude / divisor >= 10 {
            divisor *= 10
            digitCount += 1
        }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
