import QinglingEvents

extension CalendarFigures {
    /// Writes the figures: the years covered, the groups, then every period's figures of every
    /// group, nine counts each.
    func write(to out: inout BinaryWriter) {
        out.signed(Int64(firstYear))
        out.unsigned(UInt64(years))
        out.array(groups)
        out.array(figures.flatMap { figures in
            [figures.stock, figures.new, figures.closed, figures.closedOnTime, figures.openAtEnd, figures.overdueAtEnd,
             figures.stockClosed, figures.extensions, figures.failedVerifications].map(Int64.init)
        })
    }

    /// The figures `write(to:)` wrote, checked (else the checkpoint's damage): years and groups
    /// a save keeps (`CalendarFigures.keepable`), every group's names one of `names`, each group
    /// once, as many counts as the periods and groups take, none negative, and none of a
    /// period's figures summed over its groups above `events`, the events the checkpoint covers
    /// (no figure can count more: so no sum a query makes of them overflows).
    init(checkpoint input: inout CheckpointReader, names: Int, events: UInt64) throws(CheckpointDamage) {
        let yearAt = input.offset
        let firstYear = try input.signed(), years = try input.integer(atMost: Self.maxYears)
        guard years == 0 && firstYear == 0 || years > 0 && (1...Int64(Self.lastYearKept)).contains(firstYear)
                && Int(firstYear) + years - 1 <= Self.lastYearKept else {
            throw .outOfRange(UInt64(bitPattern: firstYear), offset: yearAt, limit: UInt64(Self.lastYearKept))
        }
        let groups = try input.array(of: Group.self)
        for (index, group) in groups.enumerated() {
            guard (0..<Int32(clamping: names)).contains(group.region), (0..<Int32(clamping: names)).contains(group.industry) else {
                throw .inconsistent(.calendarFigures, at: index, .indexOutOfRange)
            }
        }
        guard Set(groups).count == groups.count else { throw .inconsistent(.calendarFigures, at: groups.count, .repeated) }
        guard years == 0 || Self.keepable(firstYear: Int(firstYear), years: years, groups: groups.count) else {
            throw .inconsistent(.calendarFigures, at: groups.count, .wrongCount)
        }
        let counts = try input.array(of: Int64.self)
        let fields = 9
        guard counts.count == years * Self.periodsPerYear * groups.count * fields else {
            throw .inconsistent(.calendarFigures, at: counts.count, .wrongCount)
        }
        if let negative = counts.firstIndex(where: { $0 < 0 }) { throw .inconsistent(.calendarFigures, at: negative / fields, .negativeCount) }
        let limit = Int64(clamping: events)
        for period in 0..<years * Self.periodsPerYear {
            for field in 0..<fields {
                var sum: Int64 = 0
                for group in 0..<groups.count {
                    sum += counts[(period * groups.count + group) * fields + field]  // each at most `limit` more than one at most `limit`
                    guard sum <= limit else { throw .inconsistent(.calendarFigures, at: period * groups.count + group, .countsTooMuch) }
                }
            }
        }
        let figures = stride(from: 0, to: counts.count, by: fields).map { start in
            var figures = ClearanceFigures()
            (figures.stock, figures.new, figures.closed, figures.closedOnTime, figures.openAtEnd) =
                (Int(counts[start]), Int(counts[start + 1]), Int(counts[start + 2]), Int(counts[start + 3]), Int(counts[start + 4]))
            (figures.overdueAtEnd, figures.stockClosed, figures.extensions, figures.failedVerifications) =
                (Int(counts[start + 5]), Int(counts[start + 6]), Int(counts[start + 7]), Int(counts[start + 8]))
            return figures
        }
        self.init(firstYear: Int(firstYear), years: Int(years), groups: groups, figures: figures)
    }
}
