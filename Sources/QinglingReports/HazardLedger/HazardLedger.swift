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
/// `HazardLedgerQuery` asks. Read from the live projections (status, deadline, region, industry,
/// dates: `ProjectionState`) and, for what they do not keep (the enterprise, the description,
/// the lead department's id), from the workflow's record of each hazard (`EventStore.hazard`:
/// found through the log's index once, then kept in the store's ledger). Records are read only
/// for the hazards a page shows, and for all candidates when `department` or `text` filters or
/// the scope is an enterprise's (whose reports the log's index finds by its credit code).
public struct HazardLedger {
    let state: ProjectionState
    let store: EventStore

    public init(state: ProjectionState, store: EventStore) {
        self.state = state
        self.store = store
    }

    /// A hazard that passed the filters the projections answer.
    private struct Candidate {
        var index: Int
        var id: String
        var progress: HazardProgress
        var supervisionInView: Bool
    }

    /// The page `query` asks for of the hazards in `scope`: those whose report is in view at the
    /// date (`query.asOf`, or the figures' default date), in every status unless filtered.
    public func page(_ query: HazardLedgerQuery, scope: HazardLedgerScope) throws(StoreError) -> HazardLedgerPage {
        let date = query.asOf ?? QueryDates.defaultDate(store, latest: state.latestBusinessDate)
        let knowledge = Knowledge(asOf: date)
        let own: Set<String>?
        if case .enterprise(let creditCode) = scope { own = try reports(of: creditCode) } else { own = nil }
        var candidates: [Candidate] = []
        for (index, hazard) in state.hazards.enumerated() where hazard.report.on <= date {
            let region = state.region(of: hazard)
            if case .region(let name) = scope, region != name { continue }
            if let wanted = query.region, wanted != region { continue }
            if let wanted = query.industry, wanted != state.industry(of: hazard) { continue }
            let id = state.hazardId(index)
            if let own, !own.contains(id) { continue }
            let progress = hazard.progress(at: date, knowledge)
            if !query.statuses.isEmpty, !query.statuses.contains(progress.status) { continue }
            if let wanted = query.overdue, wanted != progress.isOverdue(at: date) { continue }
            let supervised = hazard.supervisionInView(knowledge, until: date)
            if query.department != nil, !supervised { continue }
            candidates.append(Candidate(index: index, id: id, progress: progress, supervisionInView: supervised))
        }
        if query.department != nil || query.text != nil {
            let needle = query.text?.lowercased()
            var kept: [Candidate] = []
            for candidate in candidates {
                let record = try store.hazard(candidate.id)
                if let department = query.department, record?.leadDepartmentId != department { continue }
                if let needle {
                    let report = record?.report
                    let fields = [candidate.id, report?.enterprise?.name, report?.enterprise?.creditCode, report?.description]
                    guard fields.contains(where: { $0?.lowercased().contains(needle) ?? false }) else { continue }
                }
                kept.append(candidate)
            }
            candidates = kept
        }
        candidates.sort(by: order(query))
        let (start, overflow) = (query.page - 1).multipliedReportingOverflow(by: query.pageSize)
        let shown = overflow || start >= candidates.count ? [] : candidates[start..<min(candidates.count, start + query.pageSize)]
        var rows: [HazardLedgerRow] = []
        for candidate in shown { rows.append(try row(candidate, at: date)) }
        return HazardLedgerPage(asOf: date, total: candidates.count, page: query.page, pageSize: query.pageSize, rows: rows)
    }

    /// The ids of the hazards whose reports name the enterprise `creditCode`.
    private func reports(of creditCode: String) throws(StoreError) -> Set<String> {
        var ids: Set<String> = []
        for stored in try store.events(forKey: StreamKeys.enterprise(creditCode)) {
            if case .hazardReported(let report) = stored.event.body, report.enterprise?.creditCode == creditCode { ids.insert(report.hazardId) }
        }
        return ids
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
    private func row(_ candidate: Candidate, at date: CalendarDate) throws(StoreError) -> HazardLedgerRow {
        let hazard = state.hazards[candidate.index]
        let record = try store.hazard(candidate.id)
        let overdue = candidate.progress.isOverdue(at: date)
        return HazardLedgerRow(
            hazardId: candidate.id, status: candidate.progress.status, region: state.region(of: hazard), industry: state.industry(of: hazard),
            enterprise: record?.report.enterprise, discoveredOn: hazard.discoveredOn, deadline: candidate.progress.deadline,
            leadDepartment: candidate.supervisionInView ? record?.supervision?.leadDepartment : nil,
            overdue: overdue, daysOverdue: overdue ? (candidate.progress.deadline?.days(to: date) ?? 0) : 0)
    }
}
