import DecoyMedia

/// The few timestamps Decoy writes itself (log lines, `Date` headers), without Foundation
/// formatters on request paths. The calendar arithmetic is `TimestampText`'s, which also stamps
/// the frames.
public enum CivilTime {
    /// `yyyy-MM-dd HH:mm:ss.SSS` in UTC.
    public static func logTimestamp(_ milliseconds: Int64) -> String {
        let millisecond = Int(((milliseconds % 1000) + 1000) % 1000)
        let text = String(millisecond)
        return TimestampText.format(unixMilliseconds: milliseconds, utcOffsetSeconds: 0) + "."
            + String(repeating: "0", count: 3 - text.count) + text
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSS000Z`: ISO 8601 in UTC with microseconds, as ONVIF event messages
    /// carry their `UtcTime` (Decoy's clock has milliseconds).
    public static func onvifUTCTime(_ milliseconds: Int64) -> String {
        String(logTimestamp(milliseconds).map { $0 == " " ? "T" : $0 }) + "000Z"
    }

    /// RFC 9110 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func httpDate(_ milliseconds: Int64) -> String {
        let seconds = floorDivide(milliseconds, 1000)
        let days = floorDivide(seconds, 86400)
        let secondOfDay = Int(seconds - days * 86400)
        let date = TimestampText.civilDate(daysSinceEpoch: days)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(pad(date.day)) \(months[date.month - 1]) \(pad(date.year, 4)) "
            + "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)) GMT"
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
