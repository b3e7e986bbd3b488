import QinglingEvents

/// Penalties by department, kind and quarter (打非治违一月一通报), with totals.
public struct PenaltySummary: Sendable {
    /// The parts of a state the summary reads beyond the hazards' timelines.
    public static let needs: ProjectionParts = [.enforcement]

    public struct Row: Sendable, Equatable {
        public var department: String
        public var departmentName: String
        public var quarter: Quarter
        public var kind: PenaltyKind
        public var count: Int
        public var amountFen: Int64
    }

    public var rows: [Row]
    public var count: Int { rows.reduce(0) { $0 + $1.count } }
    /// The amount of every row; throws when it is more fen than 64 bits hold (each row fits,
    /// their sum need not: only a crafted log comes near, at 9.2 × 10^18 fen).
    public var amountFen: Int64 {
        get throws(SummaryTotalOverflow) { try SummaryTotalOverflow.sum(rows.lazy.map(\.amountFen), of: .penalties) }
    }

    /// Every penalty whose business date falls in `quarters` (all when `nil`), optionally of one
    /// department; ordered by quarter, department, kind. A department is named as `reference`
    /// names it (as the ranking does), by the name its penalties recorded only when `reference`
    /// does not hold its id.
    public init(_ state: ProjectionState, quarters: ClosedRange<Quarter>? = nil, department: String? = nil, reference: ReferenceData) {
        state.require(Self.needs)
        rows = state.penalties.compactMap { key, total in
            if let quarters, !quarters.contains(key.quarter) { return nil }
            if let department, key.department != department { return nil }
            let name = reference.organizationName(id: key.department) ?? total.departmentName
            return Row(department: key.department, departmentName: name, quarter: key.quarter, kind: key.kind,
                       count: total.count, amountFen: total.amountFen)
        }.sorted {
            ($0.quarter, $0.department, PenaltyKind.allCases.firstIndex(of: $0.kind) ?? 0)
                < ($1.quarter, $1.department, PenaltyKind.allCases.firstIndex(of: $1.kind) ?? 0)
        }
    }
}

/// Rewards paid per tip-off (举报奖励), and their total.
public struct RewardSummary: Sendable {
    /// The parts of a state the summary reads beyond the hazards' timelines.
    public static let needs: ProjectionParts = [.enforcement]

    public var tipOffs: [TipOffSummary]
    /// The rewards paid for every tip-off listed; throws as `PenaltySummary.amountFen` does.
    public var paidFen: Int64 {
        get throws(SummaryTotalOverflow) { try SummaryTotalOverflow.sum(tipOffs.lazy.map(\.paidFen), of: .rewards) }
    }
    public var payments: Int { tipOffs.reduce(0) { $0 + $1.payments } }

    /// Every tip-off received (or paid), by id; `paidOnly` keeps those with a reward.
    public init(_ state: ProjectionState, paidOnly: Bool = false) {
        state.require(Self.needs)
        tipOffs = state.tipOffs.values.filter { !paidOnly || $0.payments > 0 }.sorted { $0.id < $1.id }
    }
}
