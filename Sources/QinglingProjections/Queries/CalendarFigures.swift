import QinglingEvents

/// The clearance figures of every group of hazards (a region and an industry) for every
/// calendar month, quarter and year from the year of the earliest discovery to the year of the
/// latest date the hazards hold: what `ClearanceStatistics.figures(of:period:knowledge:)` gives
/// with every event in view and each period's end measured at its end. The checkpoint keeps
/// them (`CheckpointSection.calendarFigures`), so that a warm `stats` of such a period reads
/// them instead of every hazard's timeline (`ClearanceStatistics.init?(kept:…)`), when they
/// answer it (`figures(of:knowledge:latestBusinessDate:)`).
public struct CalendarFigures: Sendable, Equatable {
    /// A group: its region and industry, interned (`ProjectionState.name(_:)`).
    struct Group: Hashable, Sendable, BitwiseCopyable {
        var region: Int32
        var industry: Int32
    }

    /// The first year covered, and how many years follow from it (none for no hazard).
    let firstYear: Int
    let years: Int
    /// The group of every hazard that counts (not withdrawn), each once, in order of first
    /// appearance: a group whose hazards count in no period is still listed, as the walk over
    /// the timelines lists it (with zeros).
    let groups: [Group]
    /// The figures of period `p` (`periodsPerYear` a year: the months, the quarters, the year)
    /// and group `g` at `p * groups.count + g`.
    let figures: [ClearanceFigures]

    /// Months, quarters and the year: the periods of a year, in that order.
    static let periodsPerYear = 17
    /// The most years kept, and the most figures (periods × groups): a log whose dates span
    /// more (a far-future date, a crafted log) or with more groups keeps none, and `stats`
    /// walks the timelines; so the save's memory stays bounded, and so do the dates of the
    /// periods (the year after the last is always a calendar date).
    static let maxYears = 100, maxFigures = 2_000_000
    /// The last year a period may fall in (`PeriodCalendar` works out the first day after it).
    static let lastYearKept = 9998

    init(firstYear: Int, years: Int, groups: [Group], figures: [ClearanceFigures]) {
        (self.firstYear, self.years, self.groups, self.figures) = (firstYear, years, groups, figures)
    }

    /// The figures of `hazards`, every processor taking a part of them.
    init(_ hazards: [HazardTimeline], latestBusinessDate: CalendarDate?) {
        var numbers = GroupNumbers()
        var earliest = Int32.max, latest = latestBusinessDate?.daysSinceEpoch ?? Int32.min
        let groupOf = hazards.map { hazard in
            (earliest, latest) = (min(earliest, hazard.discoveredOn.daysSinceEpoch), max(latest, hazard.discoveredOn.daysSinceEpoch))
            return numbers.number(of: Group(region: hazard.region, industry: hazard.industry))
        }
        let groups = numbers.groups
        guard earliest <= latest else {
            self.init(firstYear: 0, years: 0, groups: [], figures: [])
            return
        }
        let firstYear = CalendarDate(daysSinceEpoch: earliest).components.year, lastYear = CalendarDate(daysSinceEpoch: latest).components.year
        guard Self.keepable(firstYear: firstYear, years: lastYear - firstYear + 1, groups: groups.count) else {
            self.init(firstYear: 0, years: 0, groups: [], figures: [])
            return
        }
        let calendar = PeriodCalendar(firstYear: firstYear, years: lastYear - firstYear + 1)
        let groupCount = groups.count
        let parts = SideBySide.map(hazards.count, parts: SideBySide.parts(for: hazards.count)) { range in
            var sums = Sums(calendar: calendar, groups: groupCount)
            var counted = [Bool](repeating: false, count: groupCount)
            var prefixes: [Prefix] = []
            hazards.withUnsafeBufferPointer { hazards in
                for index in range {
                    let group = Int(groupOf[index])
                    if Self.add(hazards[index], group: group, calendar: calendar, into: &sums, prefixes: &prefixes) {
                        counted[group] = true
                    }
                }
            }
            return (sums.total(calendar), counted)
        }
        var sums = parts.first?.0 ?? []
        var counted = parts.first?.1 ?? []
        for (partSums, partCounted) in parts.dropFirst() {
            for index in sums.indices { sums[index].add(partSums[index]) }
            for index in counted.indices where partCounted[index] { counted[index] = true }
        }
        // Only the groups of hazards that count, as the walk lists them.
        let kept = groups.indices.filter { counted[$0] }
        var figures: [ClearanceFigures] = []
        figures.reserveCapacity(calendar.periods * kept.count)
        for period in 0..<calendar.periods {
            for group in kept { figures.append(sums[period * groups.count + group]) }
        }
        self.init(firstYear: firstYear, years: calendar.years, groups: kept.map { groups[$0] }, figures: figures)
    }

    /// Whether figures of `years` years from `firstYear` for `groups` groups are kept
    /// (`maxYears`, `maxFigures`, `lastYearKept`).
    static func keepable(firstYear: Int, years: Int, groups: Int) -> Bool {
        (1...maxYears).contains(years) && firstYear >= 1 && firstYear + years - 1 <= lastYearKept
            && years * periodsPerYear * groups <= maxFigures
    }

    /// The figures of `period` by group, when they answer it under `knowledge` as the walk over
    /// the timelines would: `period` a calendar month, quarter or year of the years covered;
    /// no recording-time limit; and an as-of date (if any) on or after the period's end (which
    /// is then measured at its end) and on or after `latestBusinessDate`, the latest date of
    /// the log's events (so it leaves no step out). `nil` otherwise.
    func figures(of period: Period, knowledge: Knowledge, latestBusinessDate: CalendarDate?) -> [(Group, ClearanceFigures)]? {
        guard knowledge.knownAt == nil else { return nil }
        if let asOf = knowledge.asOf {
            guard period.end <= asOf, latestBusinessDate.map({ $0 <= asOf }) ?? true else { return nil }
        }
        guard years > 0, let index = PeriodCalendar(firstYear: firstYear, years: years).index(of: period) else { return nil }
        return groups.indices.map { (groups[$0], figures[index * groups.count + $0]) }
    }

    /// What a hazard's lifecycle steps in log order come to: after the first `k` of them, where
    /// the hazard stands, and the date by which all `k` had happened (the largest of their
    /// dates). The walk takes the first `k` up to the end of a date exactly when that date is on
    /// or after it. With the `k`th step's kind and date, and for a closure whether it was on
    /// time (the verification before it passed by the deadline then in force).
    struct Prefix {
        var reachedBy: CalendarDate
        var standing: HazardProgress.Standing
        var on: CalendarDate
        var kind: HazardTimeline.Step.Kind
        var closedOnTime = false
    }

    /// Adds the figures of `hazard` (of group `group`) to `sums`; `false` when it does not
    /// count (withdrawn). `prefixes` is room to reuse.
    private static func add(_ hazard: borrowing HazardTimeline, group: Int, calendar: PeriodCalendar,
                            into sums: inout Sums, prefixes: inout [Prefix]) -> Bool {
        prefixes.removeAll(keepingCapacity: true)
        var progress = HazardProgress()
        var reachedBy = CalendarDate(daysSinceEpoch: CalendarDate.storableDays.lowerBound)
        prefixes.append(Prefix(reachedBy: reachedBy, standing: progress.standing, on: reachedBy, kind: .reported))
        // By index: iterating would copy the steps kept inside the entry. Escalations change no
        // status, deadline or verification: no figure reads them.
        for index in hazard.steps.indices where hazard.steps[index].kind != .escalated {
            let step = hazard.steps[index]
            let onTime = step.kind == .closed && progress.closesOnTime
            progress.apply(step)
            reachedBy = max(reachedBy, step.on)
            prefixes.append(Prefix(reachedBy: reachedBy, standing: progress.standing, on: step.on, kind: step.kind, closedOnTime: onTime))
        }
        guard progress.status != .withdrawn else { return false }
        func add(_ period: Int, _ change: (inout ClearanceFigures) -> Void) { change(&sums.period[period * sums.groups + group]) }
        // Closures, extensions and failed verifications: in each period holding the step's date
        // whose end the step's prefix has reached by.
        for k in prefixes.indices.dropFirst() {
            let step = prefixes[k]
            guard step.kind == .closed || step.kind == .extended || step.kind == .verifiedFailed, let month = calendar.month(of: step.on) else { continue }
            for kind in PeriodCalendar.Kind.allCases {
                let period = PeriodCalendar.period(kind, ofMonth: month)
                guard prefixes[k].reachedBy <= calendar.end(period) else { continue }
                switch step.kind {
                case .closed: add(period) { $0.closed += 1; if step.closedOnTime { $0.closedOnTime += 1 } }
                case .extended: add(period) { $0.extensions += 1 }
                default: add(period) { $0.failedVerifications += 1 }
                }
            }
        }
        // Stock, new, open, overdue and stock cleared: each period from the one holding the
        // discovery, until one that starts after the last step and finds the hazard closed (no
        // later period counts it).
        let discovered = hazard.discoveredOn
        let settled = prefixes[prefixes.count - 1]
        let firstMonth = calendar.month(of: discovered) ?? 0  // discoveries are never before the years covered
        for kind in PeriodCalendar.Kind.allCases {
            // The longest prefixes in view at the end of the day before the period and of its
            // end: they only grow as the periods go on.
            var atStart = 0, atEnd = 0
            for month in calendar.months(of: kind, from: firstMonth) {
                let period = PeriodCalendar.period(kind, ofMonth: month)
                let start = calendar.start(period), end = calendar.end(period), dayBefore = start.adding(days: -1)
                if dayBefore >= settled.reachedBy, discovered < start {
                    // Settled from here on: closed, it counts in no later period; open, in stock
                    // and open at the end of each, and overdue from the first ending after its
                    // deadline: counted once, from this period on (`Sums.fromOn`).
                    guard settled.standing.status != .closed else { break }
                    sums.addFromOn(period, group: group) { $0.stock += 1; $0.openAtEnd += 1 }
                    if let deadline = settled.standing.deadline,
                       let overdue = calendar.months(of: kind, from: month).lazy.map({ PeriodCalendar.period(kind, ofMonth: $0) })
                           .first(where: { deadline < calendar.end($0) }) {
                        sums.addFromOn(overdue, group: group) { $0.overdueAtEnd += 1 }
                    }
                    break
                }
                while atStart + 1 < prefixes.count, prefixes[atStart + 1].reachedBy <= dayBefore { atStart += 1 }
                while atEnd + 1 < prefixes.count, prefixes[atEnd + 1].reachedBy <= end { atEnd += 1 }
                let isStock = discovered < start && prefixes[atStart].standing.status != .closed
                let openAtEnd = discovered <= end && prefixes[atEnd].standing.status != .closed
                let overdueAtEnd = openAtEnd && prefixes[atEnd].standing.isOverdue(at: end)
                let stockClosed = isStock && prefixes[atEnd].standing.status == .closed
                let new = start <= discovered && discovered <= end
                guard isStock || openAtEnd || new else { continue }
                add(period) { figures in
                    if isStock { figures.stock += 1 }
                    if new { figures.new += 1 }
                    if openAtEnd { figures.openAtEnd += 1 }
                    if overdueAtEnd { figures.overdueAtEnd += 1 }
                    if stockClosed { figures.stockClosed += 1 }
                }
            }
        }
        return true
    }
}

/// Figures summed by period and group while hazards are added: each period's own, and those
/// that hold for every period of its kind from it on (an open hazard's stock, open and overdue
/// spells), counted once and spread over the later periods at the end (`total`).
private struct Sums {
    let groups: Int
    /// Period `p`, group `g` at `p * groups + g`.
    var period: [ClearanceFigures]
    private var fromOn: [ClearanceFigures]

    init(calendar: PeriodCalendar, groups: Int) {
        self.groups = groups
        period = [ClearanceFigures](repeating: ClearanceFigures(), count: calendar.periods * groups)
        fromOn = period
    }

    mutating func addFromOn(_ first: Int, group: Int, _ change: (inout ClearanceFigures) -> Void) {
        change(&fromOn[first * groups + group])
    }

    /// Each period's figures with those that hold from an earlier period of its kind on.
    func total(_ calendar: PeriodCalendar) -> [ClearanceFigures] {
        var total = period
        for kind in PeriodCalendar.Kind.allCases {
            for group in 0..<groups {
                var running = ClearanceFigures()
                for month in calendar.months(of: kind, from: 0) {
                    let index = PeriodCalendar.period(kind, ofMonth: month) * groups + group
                    running.add(fromOn[index])
                    total[index].add(running)
                }
            }
        }
        return total
    }
}

/// Numbers for groups in order of first appearance, found by an open-addressing table keyed by
/// the group's two names in one word: looked up once per hazard, where a dictionary's hashing
/// would cost more than the rest of the hazard's figures.
private struct GroupNumbers {
    private(set) var groups: [CalendarFigures.Group] = []
    private var keys = [UInt64](repeating: empty, count: 256)
    private var values = [Int32](repeating: 0, count: 256)
    private static let empty = UInt64.max

    mutating func number(of group: CalendarFigures.Group) -> Int32 {
        let key = UInt64(UInt32(bitPattern: group.region)) << 32 | UInt64(UInt32(bitPattern: group.industry))
        var position = place(of: key)
        if keys[position] == key { return values[position] }
        if (groups.count + 1) * 2 > keys.count {
            grow()
            position = place(of: key)
        }
        keys[position] = key
        values[position] = Int32(groups.count)
        groups.append(group)
        return Int32(groups.count - 1)
    }

    private func place(of key: UInt64) -> Int {
        let mask = keys.count - 1
        var position = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while keys[position] != key && keys[position] != Self.empty { position = (position + 1) & mask }
        return position
    }

    private mutating func grow() {
        let old = zip(keys, values).filter { $0.0 != Self.empty }
        keys = [UInt64](repeating: Self.empty, count: keys.count * 2)
        values = [Int32](repeating: 0, count: keys.count)
        for (key, value) in old {
            let position = place(of: key)
            (keys[position], values[position]) = (key, value)
        }
    }
}

/// The calendar months, quarters and years of a run of years, numbered: year `y` (from the
/// first) holds periods `y * 17 ..< (y + 1) * 17`, its months, then its quarters, then itself.
/// Dates are placed by a table of the months of every day covered, not by working out each
/// date's year and month.
struct PeriodCalendar {
    enum Kind: CaseIterable { case month, quarter, year }

    let firstYear: Int
    let years: Int
    private let starts: [CalendarDate]
    private let ends: [CalendarDate]
    /// The first day covered, and the month (counted from the first) of every day from it.
    private let firstDay: Int32
    private let monthOfDay: [UInt16]

    var periods: Int { years * CalendarFigures.periodsPerYear }

    init(firstYear: Int, years: Int) {
        self.firstYear = firstYear
        self.years = years
        var starts: [CalendarDate] = [], ends: [CalendarDate] = [], monthOfDay: [UInt16] = []
        for year in firstYear..<firstYear + years {
            let month = { (number: Int) in Self.first(year: year + (number - 1) / 12, month: (number - 1) % 12 + 1) }
            for number in 1...12 {
                starts.append(month(number))
                ends.append(month(number + 1).adding(days: -1))
                let days = Int(month(number + 1).daysSinceEpoch - month(number).daysSinceEpoch)
                monthOfDay += repeatElement(UInt16((year - firstYear) * 12 + number - 1), count: days)
            }
            for quarter in 0..<4 { starts.append(month(quarter * 3 + 1)); ends.append(month(quarter * 3 + 4).adding(days: -1)) }
            starts.append(month(1))
            ends.append(month(13).adding(days: -1))
        }
        (self.starts, self.ends, self.monthOfDay) = (starts, ends, monthOfDay)
        firstDay = starts.first?.daysSinceEpoch ?? 0
    }

    private static func first(year: Int, month: Int) -> CalendarDate {
        CalendarDate(year: year, month: month, day: 1) ?? CalendarDate(daysSinceEpoch: 0)
    }

    func start(_ period: Int) -> CalendarDate { starts[period] }

    /// `period` as the command line writes it: `2025-03`, `2025Q1`, `2025`.
    func name(_ period: Int) -> String {
        let year = firstYear + period / CalendarFigures.periodsPerYear, slot = period % CalendarFigures.periodsPerYear
        switch slot {
        case 0..<12: return String(starts[period].description.prefix(7))
        case 12..<16: return "\(year)Q\(slot - 11)"
        default: return String(year)
        }
    }
    func end(_ period: Int) -> CalendarDate { ends[period] }

    /// The month holding `date`, counted from the first covered; `nil` outside the years covered.
    @inline(__always)
    func month(of date: CalendarDate) -> Int? {
        let day = Int(date.daysSinceEpoch) - Int(firstDay)
        return day >= 0 && day < monthOfDay.count ? Int(monthOfDay[day]) : nil
    }

    /// The period of `kind` holding month `month` (`month(of:)`).
    @inline(__always)
    static func period(_ kind: Kind, ofMonth month: Int) -> Int {
        let base = month / 12 * CalendarFigures.periodsPerYear
        switch kind {
        case .month: return base + month % 12
        case .quarter: return base + 12 + month % 12 / 3
        case .year: return base + 16
        }
    }

    /// The number of `period` when it is one of these months, quarters or years exactly.
    func index(of period: Period) -> Int? {
        guard let month = month(of: period.start) else { return nil }
        return Kind.allCases.map { Self.period($0, ofMonth: month) }.first { starts[$0] == period.start && ends[$0] == period.end }
    }

    /// The periods of `kind` from the one holding month `month` on, in order: the month
    /// numbers that start each of them.
    func months(of kind: Kind, from month: Int) -> StrideTo<Int> {
        let step = kind == .month ? 1 : kind == .quarter ? 3 : 12
        return stride(from: month - month % step, to: years * 12, by: step)
    }
}
