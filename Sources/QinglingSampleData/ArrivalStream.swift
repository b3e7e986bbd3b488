import QinglingEvents

/// The moments at which stories begin, in time order: a Poisson count per day whose mean
/// follows the season and the day of the week, scaled so that a full year brings
/// `hazardsPerYear` hazard stories on average, plus the case stories in proportion.
struct ArrivalStream {
    /// What begins.
    enum Kind: CaseIterable {
        case hazard, enforcementCase, tipOffWithPenalty, unfoundedTipOff

        /// Stories of the kind per hazard story.
        var rate: Double {
            switch self {
            case .hazard: 1
            case .enforcementCase: 0.2
            case .tipOffWithPenalty: 0.008
            case .unfoundedTipOff: 0.015
            }
        }
    }

    struct Arrival {
        let time: ShanghaiDateTime
        let kind: Kind
    }

    /// Spring and early-summer campaigns (安全生产月 in June) and the year end are busier; the
    /// Spring Festival and National Day are quiet.
    static let monthFactors: [Double] = [0.9, 0.6, 1.2, 1.1, 1.0, 1.2, 1.0, 0.9, 1.0, 0.8, 1.1, 1.2]
    static let weekdayFactors: [Double] = [1, 1, 1, 1, 1, 0.15, 0.08]

    private var rng: SplitMix64
    private var day: CalendarDate
    private let lastDay: CalendarDate
    private let perYear: Double
    private var yearWeight: (year: Int, total: Double) = (0, 0)
    private var today: [Arrival] = []
    private var position = 0

    init(seed: UInt64, hazardsPerYear: Int, from firstDay: CalendarDate, through lastDay: CalendarDate) {
        rng = SplitMix64(seed: seed, stream: 0xA_0000_0000)
        day = firstDay
        self.lastDay = lastDay
        perYear = Double(hazardsPerYear) * Kind.allCases.reduce(0) { $0 + $1.rate }
    }

    static func weight(_ date: CalendarDate) -> Double {
        monthFactors[date.components.month - 1] * weekdayFactors[WorkCalendar.weekday(date)]
    }

    /// The next arrival, or `nil` after the last day.
    mutating func next() -> Arrival? {
        while position == today.count {
            guard day <= lastDay else { return nil }
            fill(day)
            day = day.adding(days: 1)
        }
        position += 1
        return today[position - 1]
    }

    private mutating func fill(_ date: CalendarDate) {
        let year = date.components.year
        if yearWeight.year != year {
            var total = 0.0
            var cursor = CalendarDate(year: year, month: 1, day: 1) ?? date
            while cursor.components.year == year {
                total += ArrivalStream.weight(cursor)
                cursor = cursor.adding(days: 1)
            }
            yearWeight = (year, total)
        }
        let count = rng.poisson(perYear * ArrivalStream.weight(date) / yearWeight.total)
        let kinds = Kind.allCases
        let rates = kinds.map(\.rate)
        let drawn = (0..<count).map { _ in Arrival(time: WorkCalendar.workingTime(on: date, &rng), kind: kinds[rng.weighted(rates)]) }
        // Keyed on the draw order too, so that equal times sort the same on every toolchain.
        today = drawn.enumerated().sorted { ($0.element.time.microseconds, $0.offset) < ($1.element.time.microseconds, $1.offset) }.map(\.element)
        position = 0
    }
}
