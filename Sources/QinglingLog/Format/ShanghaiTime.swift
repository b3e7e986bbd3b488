/// Recorded times are microseconds since 1970-01-01T00:00:00Z; segments roll at the turn of a
/// year in Asia/Shanghai, which has been UTC+08:00 without daylight saving since 1991.
public enum ShanghaiTime {
    /// Microseconds in Asia/Shanghai's offset from UTC.
    public static let offsetMicroseconds: Int64 = 8 * 3_600 * 1_000_000
    static let microsecondsPerDay: Int64 = 86_400 * 1_000_000

    /// The Asia/Shanghai calendar year of a recorded time: any `Int64`, as files may hold any
    /// (the day is found without adding the offset to the time, which could overflow).
    public static func year(ofMicroseconds time: Int64) -> Int {
        let (quotient, remainder) = time.quotientAndRemainder(dividingBy: microsecondsPerDay)
        let (utcDay, timeOfDay) = remainder < 0 ? (quotient - 1, remainder + microsecondsPerDay) : (quotient, remainder)
        let days = timeOfDay + offsetMicroseconds >= microsecondsPerDay ? utcDay + 1 : utcDay
        return civilDate(daysSinceEpoch: days).year
    }

    /// The recorded time of 00:00 on 1 January of `year` in Asia/Shanghai.
    public static func startOfYear(_ year: Int) -> Int64 {
        daysSinceEpoch(year: year, month: 1, day: 1) * microsecondsPerDay - offsetMicroseconds
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    public static func civilDate(daysSinceEpoch days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
