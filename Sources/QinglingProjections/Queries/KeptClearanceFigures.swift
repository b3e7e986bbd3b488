import QinglingEvents

/// The clearance figures a checkpoint keeps for every calendar period (`CalendarFigures`), with
/// the names they use and the latest business date of the events it covers: what a warm `stats`
/// reads instead of every hazard's timeline (`ProjectionStore.keptClearanceFigures`,
/// `ClearanceStatistics.init?(kept:period:grouping:knowledge:reference:)`).
public struct KeptClearanceFigures: Sendable {
    let figures: CalendarFigures
    let names: KeyNumbering
    /// The latest business date of the log's events (`ProjectionState.latestBusinessDate`).
    public let latestBusinessDate: CalendarDate?
}

extension KeptClearanceFigures {
    /// The calendar periods whose kept figures differ from those of `state` (groups compared by
    /// their names as text, however each numbers them), as the command line writes them.
    func periodsDiffering(from state: ProjectionState) -> [String] {
        let theirs = CalendarFigures(state.hazards, latestBusinessDate: state.latestBusinessDate)
        let mine = Self.byName(figures, names.key(at:)), other = Self.byName(theirs, state.name)
        return Set(mine.keys).union(other.keys).filter { mine[$0] != other[$0] }.sorted()
    }

    /// Each period's figures by its name, each group's by its region's and industry's names.
    private static func byName(_ figures: CalendarFigures, _ name: (Int32) -> String) -> [String: [[String]: ClearanceFigures]] {
        guard figures.years > 0 else { return [:] }
        let calendar = PeriodCalendar(firstYear: figures.firstYear, years: figures.years)
        var periods: [String: [[String]: ClearanceFigures]] = [:]
        for period in 0..<calendar.periods {
            periods[calendar.name(period)] = Dictionary(uniqueKeysWithValues: figures.groups.enumerated().map { index, group in
                ([name(group.region), name(group.industry)], figures.figures[period * figures.groups.count + index])
            })
        }
        return periods
    }
}

extension ClearanceStatistics {
    /// The statistics of `period` from `kept`, when its figures answer them under `knowledge`
    /// as the walk over the timelines would (`CalendarFigures.figures(of:knowledge:latestBusinessDate:)`);
    /// `nil` otherwise.
    public init?(kept: KeptClearanceFigures, period: Period, grouping: ClearanceGrouping, knowledge: Knowledge, reference: ReferenceData) {
        guard let found = kept.figures.figures(of: period, knowledge: knowledge, latestBusinessDate: kept.latestBusinessDate) else { return nil }
        var sums = GroupSums(grouping: grouping)
        for (group, figures) in found { sums.add(figures, region: group.region, industry: group.industry) }
        self.init(period: period, grouping: grouping, knowledge: knowledge, reference: reference, parts: [sums], name: kept.names.key(at:))
    }
}
