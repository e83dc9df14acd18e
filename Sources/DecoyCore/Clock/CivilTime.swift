/// Calendar arithmetic for the few timestamps Decoy writes itself (log lines, `Date` headers),
/// without Foundation formatters on request paths.
public enum CivilTime {
    /// `yyyy-MM-dd HH:mm:ss.SSS` in UTC.
    public static func logTimestamp(_ milliseconds: Int64) -> String {
        let parts = Parts(milliseconds)
        return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day)) "
            + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second)).\(pad(parts.millisecond, 3))"
    }

    /// RFC 9110 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func httpDate(_ milliseconds: Int64) -> String {
        let parts = Parts(milliseconds)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[Int(((parts.days % 7) + 7) % 7)]
        return "\(weekday), \(pad(parts.day)) \(months[parts.month - 1]) \(pad(parts.year, 4)) "
            + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second)) GMT"
    }

    struct Parts {
        let days: Int64
        let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int

        init(_ milliseconds: Int64) {
            let seconds = floorDivide(milliseconds, 1000)
            days = floorDivide(seconds, 86400)
            let secondOfDay = Int(seconds - days * 86400)
            (year, month, day) = civilDate(daysSinceEpoch: days)
            hour = secondOfDay / 3600
            minute = secondOfDay / 60 % 60
            second = secondOfDay % 60
            millisecond = Int(milliseconds - seconds * 1000)
        }
    }

    /// Howard Hinnant's days-to-civil algorithm: (year, month 1-12, day 1-31).
    static func civilDate(daysSinceEpoch days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
