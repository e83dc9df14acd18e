import DecoyMedia

/// A civil date and time to the second, as tinyCam writes it in recording names
/// (`yyyy-MM-dd HH.mm.ss`, device local time).
///
/// Pure integer calendar arithmetic (no Foundation formatter), so naming and the index rebuild at
/// start stay fast and never depend on the machine's own time zone.
public struct LocalStamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year, month, day, hour, minute, second: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (
            year, month, day, hour, minute, second
        )
    }

    /// The local time of `utcMilliseconds` in a zone `offsetSeconds` east of UTC (truncated to the second).
    public init(utcMilliseconds: Int64, offsetSeconds: Int) {
        let seconds = Self.floorDivide(utcMilliseconds, 1000) + Int64(offsetSeconds)
        let days = Self.floorDivide(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let date = TimestampText.civilDate(daysSinceEpoch: days)
        self.init(
            year: date.year, month: date.month, day: date.day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60)
    }

    /// Parses `yyyy-MM-dd HH.mm.ss` exactly (19 characters, digits where digits belong, a real date).
    public init?(parsing text: Substring) {
        let bytes = Array(text.utf8)
        guard bytes.count == 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: "."), bytes[16] == UInt8(ascii: ".")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard TimestampText.civilDate(daysSinceEpoch: daysSinceEpoch) == (year, month, day) else { return nil }
    }

    /// `yyyy-MM-dd HH.mm.ss`.
    public var description: String {
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month))-\(pad(day)) \(pad(hour)).\(pad(minute)).\(pad(second))"
    }

    /// Days from 1970-01-01 to this date (the inverse of `TimestampText.civilDate`).
    var daysSinceEpoch: Int64 {
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = Self.floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = Int64((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Unix milliseconds of this local time in a zone `offsetSeconds` east of UTC.
    public func utcMilliseconds(offsetSeconds: Int) -> Int64 {
        let local = daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return (local - Int64(offsetSeconds)) * 1000
    }

    public static func < (lhs: LocalStamp, rhs: LocalStamp) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
