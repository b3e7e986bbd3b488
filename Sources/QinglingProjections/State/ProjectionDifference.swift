import QinglingEvents

/// A figure on which two projection states of the same log disagree
/// (`ProjectionState.differences(from:)`), named by what it belongs to and the answers it feeds.
public enum ProjectionDifference: Equatable, Sendable, CustomStringConvertible {
    /// A hazard: where it counts, who answers for it, the steps of its life, or whether it is
    /// there at all. Feeds every clearance figure, alert and target that counts it, and its trace.
    case hazard(id: String)
    /// The count or sum of a department's penalties of one kind in one quarter: the penalties
    /// summary and the quarterly ranking's 零处罚.
    case penalties(department: String, quarter: Quarter, kind: PenaltyKind)
    /// A tip-off's summary: the rewards summary.
    case tipOff(id: String)
    /// The hazards a person (`P:id`) or an organisation (`O:id`) acted on or answers for: trace.
    case party(key: String)
    /// The latest business date: the date queries default to on a simulated clock.
    case latestBusinessDate
    /// The clearance figures a current checkpoint keeps for a calendar period (`2025`,
    /// `2025Q1`, `2025-03`): what a warm `stats` of it answers.
    case keptClearanceFigures(period: String)

    public var description: String {
        switch self {
        case .hazard(let id): return "hazard \(id) (clearance statistics, alerts, targets, trace)"
        case let .penalties(department, quarter, kind): return "the \(kind.rawValue) penalties of \(department) in \(quarter) (penalties, ranking)"
        case .tipOff(let id): return "tip-off \(id) (rewards)"
        case .party(let key): return "the hazards of party \(key) (trace)"
        case .latestBusinessDate: return "the latest business date (the default date of queries)"
        case .keptClearanceFigures(let period): return "the clearance figures kept for \(period) (stats)"
        }
    }
}

extension ProjectionState {
    /// The figures on which this state differs from `other`, each named once: hazards (by id,
    /// in this state's order, then those only `other` has), penalties, tip-offs, parties, the
    /// latest business date. Names are compared as text and hazards by id, however either
    /// state numbers them. Empty when they answer every query alike.
    public func differences(from other: ProjectionState) -> [ProjectionDifference] {
        guard self != other else { return [] }
        var found: [ProjectionDifference] = []
        let theirs = Dictionary(other.hazardIds.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let mine = Dictionary(hazardIds.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, id) in hazardIds.enumerated() where resolvedHazard(index) != theirs[id].map(other.resolvedHazard) {
            found.append(.hazard(id: id))
        }
        for id in other.hazardIds where mine[id] == nil { found.append(.hazard(id: id)) }
        let penaltyKeys = Set(penalties.keys).union(other.penalties.keys)
            .sorted { ($0.department, $0.quarter, $0.kind.rawValue) < ($1.department, $1.quarter, $1.kind.rawValue) }
        for key in penaltyKeys where penalties[key] != other.penalties[key] {
            found.append(.penalties(department: key.department, quarter: key.quarter, kind: key.kind))
        }
        for id in Set(tipOffs.keys).union(other.tipOffs.keys).sorted() where tipOffs[id] != other.tipOffs[id] {
            found.append(.tipOff(id: id))
        }
        let partyKeys = Set(parties.map(\.key)).union(other.parties.map(\.key)).sorted()
        for key in partyKeys where hazards(ofParty: key).map({ hazardId(Int($0)) }) != other.hazards(ofParty: key).map({ other.hazardId(Int($0)) }) {
            found.append(.party(key: key))
        }
        if latestBusinessDate != other.latestBusinessDate { found.append(.latestBusinessDate) }
        return found
    }

    /// What the queries read of hazard `index`, with its names as text.
    private func resolvedHazard(_ index: Int) -> ResolvedHazard {
        let hazard = hazards[index]
        return ResolvedHazard(
            region: name(hazard.region), industry: name(hazard.industry), discoveredOn: hazard.discoveredOn,
            leadDepartment: hazard.leadDepartment.map(name), enterprisePrincipal: hazard.enterprisePrincipal.map(label(of:)),
            departmentOfficer: hazard.departmentOfficer.map(label(of:)), report: hazard.report, steps: Array(hazard.steps))
    }
}

/// A hazard's timeline with its interned names written out: equal for two states exactly when
/// every query reads the same of it.
private struct ResolvedHazard: Equatable {
    var region: String
    var industry: String
    var discoveredOn: CalendarDate
    var leadDepartment: String?
    var enterprisePrincipal: String?
    var departmentOfficer: String?
    var report: HazardTimeline.Step
    var steps: [HazardTimeline.Step]
}
