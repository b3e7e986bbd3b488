import QinglingEvents

/// The quarterly ranking of regions (一季度一考核、一季度一排名) and the departments with an
/// enforcement duty that imposed no penalty in the quarter (零处罚).
public struct QuarterlyRanking: Sendable {
    /// The parts of a state the ranking reads beyond the hazards' timelines.
    public static let needs: ProjectionParts = [.enforcement]

    public struct Entry: Sendable, Equatable {
        public var rank: Int
        public var region: String
        public var code: String
        public var figures: ClearanceFigures
    }

    public struct DepartmentPenalties: Sendable, Equatable {
        public var id: String
        public var name: String
        public var penalties: Int
        /// 零处罚: no penalty imposed in the quarter.
        public var zeroPenalty: Bool { penalties == 0 }
    }

    public var quarter: Quarter
    /// The date the quarter's end is measured at (`ClearanceStatistics.measuredEnd`).
    public var measuredEnd: CalendarDate
    public var entries: [Entry]
    public var departments: [DepartmentPenalties]

    /// Ranks every region of `reference` (and any other region a hazard names) by: overdue at
    /// quarter end (fewer first), on-time rate (higher first; none after any rate), closed in
    /// the quarter (more first), region code; as of `asOf` (no limit when `nil`).
    ///
    /// Every figure is of the events `state` holds: for the ranking as known at a recording
    /// time, pass the state of the events recorded by then (`ProjectionStore.state(of:knownAt:)`),
    /// whose penalties are those recorded by then.
    public init(_ state: ProjectionState, quarter: Quarter, asOf: CalendarDate? = nil, reference: ReferenceData) {
        state.require(Self.needs)
        self.quarter = quarter
        let statistics = ClearanceStatistics(state, period: Period(quarter), grouping: .region, knowledge: Knowledge(asOf: asOf), reference: reference)
        measuredEnd = statistics.measuredEnd
        let byRegion = Dictionary(statistics.rows.compactMap { row in row.region.map { ($0, row.figures) } }, uniquingKeysWith: { a, _ in a })
        let ordered = byRegion.map { name, figures in
            Entry(rank: 0, region: name, code: reference.region(named: name)?.code ?? name, figures: figures)
        }.sorted { a, b in
            if a.figures.overdueAtEnd != b.figures.overdueAtEnd { return a.figures.overdueAtEnd < b.figures.overdueAtEnd }
            let ra = a.figures.onTimeRate ?? -1, rb = b.figures.onTimeRate ?? -1
            if ra != rb { return ra > rb }
            if a.figures.closed != b.figures.closed { return a.figures.closed > b.figures.closed }
            return a.code < b.code
        }
        entries = ordered.enumerated().map { index, entry in
            var ranked = entry
            ranked.rank = index + 1
            return ranked
        }
        departments = reference.enforcementDepartments.map { department in
            let count = state.penalties.filter { $0.key.department == department.id && $0.key.quarter == quarter }.reduce(0) { $0 + $1.value.count }
            return DepartmentPenalties(id: department.id, name: department.name, penalties: count)
        }
    }
}
