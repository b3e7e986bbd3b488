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

    /// The figures `write(to:)` wrote, checked (else the checkpoint's damage): every group's
    /// names one of `names`, each group once, a year range of calendar dates, as many counts
    /// as the periods and groups take, none negative.
    init(checkpoint input: inout CheckpointReader, names: Int) throws(CheckpointDamage) {
        let yearAt = input.offset
        let firstYear = try input.signed(), years = try input.unsigned()
        guard years == 0 && firstYear == 0 || (1...9999).contains(firstYear) && years <= UInt64(10_000 - firstYear) else {
            throw .outOfRange(UInt64(bitPattern: firstYear), offset: yearAt, limit: 9999)
        }
        let groups = try input.array(of: Group.self)
        for (index, group) in groups.enumerated() {
            guard (0..<Int32(clamping: names)).contains(group.region), (0..<Int32(clamping: names)).contains(group.industry) else {
                throw .inconsistent(.calendarFigures, at: index, .indexOutOfRange)
            }
        }
        guard Set(groups).count == groups.count else { throw .inconsistent(.calendarFigures, at: groups.count, .repeated) }
        let counts = try input.array(of: Int64.self)
        let fields = 9
        guard counts.count == Int(years) * Self.periodsPerYear * groups.count * fields else {
            throw .inconsistent(.calendarFigures, at: counts.count, .wrongCount)
        }
        if let negative = counts.firstIndex(where: { $0 < 0 }) { throw .inconsistent(.calendarFigures, at: negative / fields, .negativeCount) }
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
