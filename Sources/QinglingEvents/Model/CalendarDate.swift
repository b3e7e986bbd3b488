import QinglingLog

/// A calendar date in Asia/Shanghai (deadlines, discovery and completion dates), stored as days
/// since 1970-01-01. Written `YYYY-MM-DD` in the interchange form.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var daysSinceEpoch: Int32

    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    /// The dates the interchange form can write, 0001-01-01 to 9999-12-31: the only ones the
    /// stored form holds, so that date arithmetic on a stored date never overflows.
    /// (Literals, so that the readers' checks compile to constants; a test recomputes them.)
    public static let storableDays: ClosedRange<Int32> = -719_162...2_932_896

    /// A valid Gregorian date, or `nil`.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        daysSinceEpoch = Int32(CivilCalendar.daysSinceEpoch(year: year, month: month, day: day))
    }

    /// Parses exactly `YYYY-MM-DD` with ASCII digits.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = CivilCalendar.number(bytes[0..<4]), let month = CivilCalendar.number(bytes[5..<7]),
              let day = CivilCalendar.number(bytes[8..<10]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var components: (year: Int, month: Int, day: Int) {
        CivilCalendar.civilDate(daysSinceEpoch: Int64(daysSinceEpoch))
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `YYYY-MM-DD` (the `description`) into `bytes`.
    public func write(to bytes: inout [UInt8]) {
        var text = ShortText()
        write(to: &text)
        text.write(to: &bytes)
    }

    func write(to text: inout ShortText) {
        let (year, month, day) = components
        text.append(Int64(year), width: 4)
        text.append(UInt8(ascii: "-"))
        text.append(Int64(month), width: 2)
        text.append(UInt8(ascii: "-"))
        text.append(Int64(day), width: 2)
    }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + Int32(days)) }

    /// Whole days from `self` to `other`.
    public func days(to other: CalendarDate) -> Int { Int(other.daysSinceEpoch - daysSinceEpoch) }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A moment of business time, microseconds since 1970-01-01T00:00:00Z, written in the
/// interchange form as RFC 3339 with the Asia/Shanghai offset: `2024-03-05T10:20:00+08:00`.
public struct ShanghaiDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let offsetMicroseconds: Int64 = 8 * 3_600 * 1_000_000
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The moments the interchange form can write, 0001-01-01T00:00:00+08:00 to
    /// 9999-12-31T23:59:59.999999+08:00: the only ones the stored form holds, so that a stored
    /// moment's calendar date and text are always computable.
    /// (Literals, so that the readers' checks compile to constants; a test recomputes them.)
    public static let storableMicroseconds: ClosedRange<Int64> = -62_135_625_600_000_000...253_402_271_999_999_999

    /// The moment at a wall-clock time in Asia/Shanghai.
    public init?(date: CalendarDate, hour: Int, minute: Int, second: Int, microsecond: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
              (0...999_999).contains(microsecond) else { return nil }
        microseconds = Int64(date.daysSinceEpoch) * 86_400_000_000
            + Int64(hour * 3600 + minute * 60 + second) * 1_000_000 + Int64(microsecond) - Self.offsetMicroseconds
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.ffffff]+08:00` (one to six fraction digits; only +08:00).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 25, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":"), Array(bytes.suffix(6)) == Array("+08:00".utf8),
              let date = CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = CivilCalendar.number(bytes[11..<13]), let minute = CivilCalendar.number(bytes[14..<16]),
              let second = CivilCalendar.number(bytes[17..<19]) else { return nil }
        var microsecond = 0
        let fraction = bytes[19..<(bytes.count - 6)]
        if !fraction.isEmpty {
            guard fraction.first == UInt8(ascii: "."), (2...7).contains(fraction.count),
                  let digits = CivilCalendar.number(fraction.dropFirst()) else { return nil }
            microsecond = digits
            for _ in 0..<(7 - fraction.count) { microsecond *= 10 }
        }
        self.init(date: date, hour: hour, minute: minute, second: second, microsecond: microsecond)
    }

    /// The Asia/Shanghai calendar date of this moment.
    public var date: CalendarDate {
        let local = microseconds + Self.offsetMicroseconds
        let days = local >= 0 ? local / 86_400_000_000 : (local - 86_399_999_999) / 86_400_000_000
        return CalendarDate(daysSinceEpoch: Int32(days))
    }

    /// RFC 3339 with `+08:00`; fraction digits only when there is a fraction.
    public var description: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the `description` into `bytes`.
    public func write(to bytes: inout [UInt8]) {
        let local = microseconds + Self.offsetMicroseconds
        var inDay = local % 86_400_000_000
        if inDay < 0 { inDay += 86_400_000_000 }
        let seconds = inDay / 1_000_000
        let micros = inDay % 1_000_000
        // At most 29 bytes, even for the farthest moment 64 bits hold (a year of 7 characters).
        var text = ShortText()
        date.write(to: &text)
        text.append(UInt8(ascii: "T"))
        text.append(seconds / 3600, width: 2)
        text.append(UInt8(ascii: ":"))
        text.append(seconds / 60 % 60, width: 2)
        text.append(UInt8(ascii: ":"))
        text.append(seconds % 60, width: 2)
        if micros != 0 {
            text.append(UInt8(ascii: "."))
            text.append(micros, width: 6)
        }
        text.write(to: &bytes)
        bytes.append(contentsOf: "+08:00".utf8)
    }

    public static func < (a: ShanghaiDateTime, b: ShanghaiDateTime) -> Bool { a.microseconds < b.microseconds }
}

/// Day arithmetic (from the log's Asia/Shanghai calendar) and digit helpers.
enum CivilCalendar {
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        ShanghaiTime.daysSinceEpoch(year: year, month: month, day: day)
    }

    static func civilDate(daysSinceEpoch days: Int64) -> (year: Int, month: Int, day: Int) {
        ShanghaiTime.civilDate(daysSinceEpoch: days)
    }

    /// The value of ASCII decimal digits, or `nil` if any byte is not a digit.
    static func number<C: Collection<UInt8>>(_ digits: C) -> Int? {
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
