import QinglingEvents

/// Business days and working-hours times in Asia/Shanghai (08:30–12:00, 14:30–18:00).
enum WorkCalendar {
    private static let microsPerDay: Int64 = 86_400_000_000
    private static let morning = (8 * 60 + 30)..<(12 * 60)
    private static let afternoon = (14 * 60 + 30)..<(18 * 60)

    /// 0 for Monday up to 6 for Sunday (1970-01-01 was a Thursday).
    static func weekday(_ date: CalendarDate) -> Int {
        let value = (Int(date.daysSinceEpoch) + 3) % 7
        return value < 0 ? value + 7 : value
    }

    static func isWeekend(_ date: CalendarDate) -> Bool { weekday(date) >= 5 }

    /// Mostly the next Monday for a Saturday or Sunday (offices rarely act at weekends).
    static func workday(_ date: CalendarDate, _ rng: inout SplitMix64) -> CalendarDate {
        switch weekday(date) {
        case 5: rng.chance(0.9) ? date.adding(days: 2) : date
        case 6: rng.chance(0.93) ? date.adding(days: 1) : date
        default: date
        }
    }

    /// The moment at `secondOfDay` seconds after midnight of `date`.
    static func moment(_ date: CalendarDate, secondOfDay: Int) -> ShanghaiDateTime {
        ShanghaiDateTime(microseconds: Int64(date.daysSinceEpoch) * microsPerDay + Int64(secondOfDay) * 1_000_000
                         - ShanghaiDateTime.offsetMicroseconds)
    }

    /// Seconds since midnight of a moment, Asia/Shanghai.
    static func secondOfDay(_ time: ShanghaiDateTime) -> Int {
        let local = time.microseconds + ShanghaiDateTime.offsetMicroseconds
        var inDay = local % microsPerDay
        if inDay < 0 { inDay += microsPerDay }
        return Int(inDay / 1_000_000)
    }

    /// A random working-hours moment of `date`, to the second.
    static func workingTime(on date: CalendarDate, _ rng: inout SplitMix64) -> ShanghaiDateTime {
        var minute = rng.int(0...(morning.count + afternoon.count - 1))
        minute += minute < morning.count ? morning.lowerBound : afternoon.lowerBound - morning.count
        return moment(date, secondOfDay: minute * 60 + rng.int(0...59))
    }

    /// A moment on `date` after `previous` when that is the same day (a few minutes to an hour and
    /// a half later, never past 23:59), else a random working-hours moment of `date`.
    static func time(on date: CalendarDate, after previous: ShanghaiDateTime?, _ rng: inout SplitMix64) -> ShanghaiDateTime {
        guard let previous, previous.date == date else { return workingTime(on: date, &rng) }
        let start = secondOfDay(previous)
        let step = start < 22 * 3600 ? rng.int(300...5400) : rng.int(1...30)
        return moment(date, secondOfDay: min(start + step, 86_399))
    }
}
