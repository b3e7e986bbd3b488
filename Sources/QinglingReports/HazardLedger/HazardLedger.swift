import QinglingEvents
import QinglingProjections
import QinglingWorkflow

/// One hazard as the ledger lists it, every field from the events in view at the ledger's date.
public struct HazardLedgerRow: Sendable, Equatable {
    public var hazardId: String
    public var status: HazardStatus
    public var region: String
    public var industry: String
    /// The operator its report names; `nil` for a hazard with no operator.
    public var enterprise: EnterpriseRef?
    public var discoveredOn: CalendarDate
    /// The deadline in force, once supervised.
    public var deadline: CalendarDate?
    /// The lead department its supervision names, when that supervision is in view.
    public var leadDepartment: DepartmentRef?
    /// Open and past its deadline in force (the rule of the overdue alerts).
    public var overdue: Bool
    /// Days past the deadline when overdue, else 0.
    public var daysOverdue: Int
}

/// One page of the ledger.
public struct HazardLedgerPage: Sendable, Equatable {
    /// The date the ledger was read at.
    public var asOf: CalendarDate
    /// How many hazards the filters keep, on every page.
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var rows: [HazardLedgerRow]
}

/// The hazard ledger (隐患台账) of a scope as of a date, filtered, sorted and paged as a
/// `HazardLedgerQuery` asks, all in memory: status, deadline, region, industry and dates from the
/// projections (`ProjectionState`), the enterprise, description and lead department's id from a
/// `HazardDirectory` of the same events.
public struct HazardLedger {
    let state: ProjectionState
    let store: EventStore
    let directory: HazardDirectory

    /// The ledger of the projections `state` of the log `store` reads (which tells the date a
    /// query defaults to), with `directory` folded from the same events.
    public init(state: ProjectionState, store: EventStore, directory: HazardDirectory) {
        self.state = state
        self.store = store
        self.directory = directory
    }

    /// A hazard the filters keep, with what its row and its order take from the projections.
    private struct Candidate {
        var index: Int
        var id: String
        var progress: HazardProgress
        var supervisionInView: Bool
    }

    /// The page `query` asks for of the hazards in `scope`: those whose report is in view at the
    /// date (`query.asOf`, or the figures' default date), in every status unless filtered.
    public func page(_ query: HazardLedgerQuery, scope: HazardLedgerScope) -> HazardLedgerPage {
        let date = query.asOf ?? QueryDates.defaultDate(store, latest: state.latestBusinessDate)
        let knowledge = Knowledge(asOf: date)
        let search = query.text.map(HazardDirectory.Search.init)
        var candidates: [Candidate] = []
        for (index, hazard) in state.hazards.enumerated() where hazard.report.on <= date {
            let region = state.region(of: hazard)
            if case .region(let name) = scope, region != name { continue }
            if let wanted = query.region, wanted != region { continue }
            if let wanted = query.industry, wanted != state.industry(of: hazard) { continue }
            let id = state.hazardId(index)
            if case .enterprise(let creditCode) = scope, directory.report(of: id)?.enterprise?.creditCode != creditCode { continue }
            let progress = hazard.progress(at: date, knowledge)
            if !query.statuses.isEmpty, !query.statuses.contains(progress.status) { continue }
            if let wanted = query.overdue, wanted != progress.isOverdue(at: date) { continue }
            let supervised = hazard.supervisionInView(knowledge, until: date)
            if let wanted = query.department, !supervised || directory.leadDepartment(of: id)?.id != wanted { continue }
            if let search, !directory.contains(search, in: id) { continue }
            candidates.append(Candidate(index: index, id: id, progress: progress, supervisionInView: supervised))
        }
        candidates.sort(by: order(query))
        let (start, overflow) = (query.page - 1).multipliedReportingOverflow(by: query.pageSize)
        let shown = overflow || start >= candidates.count ? [] : candidates[start..<min(candidates.count, start + query.pageSize)]
        return HazardLedgerPage(asOf: date, total: candidates.count, page: query.page, pageSize: query.pageSize, rows: shown.map { row($0, at: date) })
    }

    /// `query`'s order: its key, then the hazard id ascending (ids are unique: the order is
    /// total, so pages never overlap). No deadline sorts last either way.
    private func order(_ query: HazardLedgerQuery) -> (Candidate, Candidate) -> Bool {
        let descending = query.descending
        func byKey<T: Comparable>(_ a: T, _ b: T, _ x: Candidate, _ y: Candidate) -> Bool {
            a == b ? x.id < y.id : (a < b) != descending
        }
        switch query.sort {
        case .hazardId:
            return { descending ? $0.id > $1.id : $0.id < $1.id }
        case .discoveredOn:
            return { [state] x, y in byKey(state.hazards[x.index].discoveredOn, state.hazards[y.index].discoveredOn, x, y) }
        case .status:
            // In the order of the lifecycle, as `HazardStatus` lists it.
            let rank = Dictionary(uniqueKeysWithValues: HazardStatus.allCases.enumerated().map { ($1, $0) })
            return { x, y in byKey(rank[x.progress.status] ?? 0, rank[y.progress.status] ?? 0, x, y) }
        case .deadline:
            return { x, y in
                switch (x.progress.deadline, y.progress.deadline) {
                case let (a?, b?): byKey(a, b, x, y)
                case (nil, nil): x.id < y.id
                case (_?, nil): true
                case (nil, _?): false
                }
            }
        }
    }

    /// The row of `candidate` at `date`.
    private func row(_ candidate: Candidate, at date: CalendarDate) -> HazardLedgerRow {
        let hazard = state.hazards[candidate.index]
        let overdue = candidate.progress.isOverdue(at: date)
        return HazardLedgerRow(
            hazardId: candidate.id, status: candidate.progress.status, region: state.region(of: hazard), industry: state.industry(of: hazard),
            enterprise: directory.report(of: candidate.id)?.enterprise, discoveredOn: hazard.discoveredOn, deadline: candidate.progress.deadline,
            leadDepartment: candidate.supervisionInView ? directory.leadDepartment(of: candidate.id) : nil,
            overdue: overdue, daysOverdue: overdue ? (candidate.progress.deadline?.days(to: date) ?? 0) : 0)
    }
}
