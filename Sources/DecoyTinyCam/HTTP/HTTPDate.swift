/// Reads the dates of conditional requests (`If-Modified-Since`, `If-Range`). RFC 9110 §5.6.7
/// says a recipient must accept all three HTTP-date forms, though only IMF-fixdate is sent:
///
///     Sun, 06 Nov 1994 08:49:37 GMT     IMF-fixdate
///     Sunday, 06-Nov-94 08:49:37 GMT    RFC 850 (two-digit year: 70–99 → 19xx, else 20xx)
///     Sun Nov  6 08:49:37 1994          ANSI C asctime()
///
/// The weekday is not checked (it is redundant, and a wrong one does not make the date unclear).
public enum HTTPDate {
    /// Seconds since 1970-01-01 UTC, or nil when `text` is none of the three forms.
    public static func parse(_ text: String) -> Int64? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.count == 6, words[0].hasSuffix(","), words[5] == "GMT" {
            return civil(year: words[3], month: words[2], day: words[1], time: words[4])
        }
        if words.count == 4, words[0].hasSuffix(","), words[3] == "GMT" {
            let parts = words[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, parts[2].count == 2, let short = Int(parts[2]) else { return nil }
            let year = short >= 70 ? 1900 + short : 2000 + short
            return civil(year: String(year), month: parts[1], day: parts[0], time: words[2])
        }
        if words.count == 5, !words[0].hasSuffix(",") {
            return civil(year: words[4], month: words[1], day: words[2], time: words[3])
        }
        return nil
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func civil(year: String, month: String, day: String, time: String) -> Int64? {
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard year.count == 4, let year = digits(year), (1...2).contains(day.count), let day = digits(day),
            let month = months.firstIndex(of: month.lowercased()).map({ $0 + 1 }), clock.count == 3,
            clock.allSatisfy({ $0.count == 2 }), let hour = digits(clock[0]), let minute = digits(clock[1]),
            let second = digits(clock[2]), hour < 24, minute < 60, second <= 60, (1...31).contains(day)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return days * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }

    private static func digits(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`,
    /// the inverse of `TimestampText.civilDate`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
