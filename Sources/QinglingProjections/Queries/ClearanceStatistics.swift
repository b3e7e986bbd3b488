import QinglingEvents

/// The clearance statistics of `domain.md` (分区域、分行业重大事故隐患统计分析) for one group
/// of hazards (a region, an industry, both, or all) over a period.
public struct ClearanceFigures: Sendable, Equatable {
    /// Discovered before the start and not closed at the start (存量).
    public var stock = 0
    /// Discovered in the period (增量).
    public var new = 0
    /// Closures in the period (a hazard closed, reopened and closed again counts twice).
    public var closed = 0
    /// Closures whose passed verification fell on or before the deadline then in force.
    public var closedOnTime = 0
    /// Discovered by the end and not closed at the end (measured at
    /// `ClearanceStatistics.measuredEnd`).
    public var openAtEnd = 0
    /// Open at the end with the deadline in force before the end (measured likewise).
    public var overdueAtEnd = 0
    /// Stock hazards closed at the end.
    public var stockClosed = 0
    /// Deadline extensions and failed verifications in the period.
    public var extensions = 0
    public var failedVerifications = 0

    public init() {}

    /// closed on time / closed; `nil` when nothing was closed.
    public var onTimeRate: Double? { closed == 0 ? nil : Double(closedOnTime) / Double(closed) }
    /// stock closed by the end / stock at the start (清零率); `nil` when there was no stock.
    public var stockClearedRate: Double? { stock == 0 ? nil : Double(stockClosed) / Double(stock) }

    mutating func add(_ other: ClearanceFigures) {
        stock += other.stock
        new += other.new
        closed += other.closed
        closedOnTime += other.closedOnTime
        openAtEnd += other.openAtEnd
        overdueAtEnd += other.overdueAtEnd
        stockClosed += other.stockClosed
        extensions += other.extensions
        failedVerifications += other.failedVerifications
    }
}

/// How figures are grouped.
public enum ClearanceGrouping: String, Sendable, CaseIterable {
    case total, region, industry, regionAndIndustry = "both"
}

/// Clearance statistics over a period, grouped.
public struct ClearanceStatistics: Sendable {
    public struct Row: Sendable, Equatable {
        /// The region and industry of the group; `nil` where the grouping does not split by it.
        public var region: String?
        public var industry: String?
        public var figures: ClearanceFigures
    }

    public var period: Period
    public var knowledge: Knowledge
    /// One row per group: every region of the reference data (`.region`), every industry
    /// (`.industry`), with zeros where no hazard is in view, then any other a hazard names;
    /// each region and industry with a hazard in view (`.regionAndIndustry`); none (`.total`).
    public var rows: [Row]
    public var total: ClearanceFigures

    /// The date "open at end" and "overdue at end" are measured at: the period's end, or the
    /// as-of date when that comes first (a period still running is measured as of today).
    public var measuredEnd: CalendarDate { Self.measuredEnd(of: period, knowledge) }

    static func measuredEnd(of period: Period, _ knowledge: Knowledge) -> CalendarDate {
        min(period.end, knowledge.asOf ?? period.end)
    }

    /// The parts of a state the figures read beyond the hazards' timelines: none.
    public static let needs: ProjectionParts = []

    /// Computes the figures of every hazard that counts under `knowledge`, grouped.
    /// Regions and industries come in the order of `reference`, then any others by name.
    public init(_ state: ProjectionState, period: Period, grouping: ClearanceGrouping, knowledge: Knowledge = .everything,
                reference: ReferenceData) {
        self.init(state, period: period, grouping: grouping, knowledge: knowledge, reference: reference,
                  parts: SideBySide.parts(for: state.hazards.count))
    }

    /// The same, with the hazards split into `parts` parts computed side by side (the public
    /// initialiser takes one per processor for a state large enough to be worth it).
    init(_ state: ProjectionState, period: Period, grouping: ClearanceGrouping, knowledge: Knowledge, reference: ReferenceData, parts: Int) {
        let parts = Self.figures(of: state.hazards, in: max(1, parts), grouping: grouping, period: period, knowledge: knowledge)
        self.init(period: period, grouping: grouping, knowledge: knowledge, reference: reference, parts: parts, name: state.name)
    }

    /// The statistics of the figures `parts` summed (by interned names, which `name` writes out).
    init(period: Period, grouping: ClearanceGrouping, knowledge: Knowledge, reference: ReferenceData, parts: [GroupSums],
         name: (Int32) -> String) {
        self.period = period
        self.knowledge = knowledge
        var groups: [GroupKey: ClearanceFigures] = [:]
        var total = ClearanceFigures()
        for part in parts {
            total.add(part.total)
            groups.merge(part.groups.dictionary) { a, b in
                var sum = a
                sum.add(b)
                return sum
            }
        }
        self.total = total
        let regionOrder = Self.order(reference.regions.map(\.name))
        let industryOrder = Self.order(reference.industries)
        var found = groups.map { key, figures in
            Row(region: key.region.map(name), industry: key.industry.map(name), figures: figures)
        }
        // Every region (industry) of the reference data is listed, with zeros when no hazard in
        // view is in it.
        if grouping == .region {
            let listed = Set(found.compactMap(\.region))
            found += reference.regions.map(\.name).filter { !listed.contains($0) }.map { Row(region: $0, industry: nil, figures: ClearanceFigures()) }
        } else if grouping == .industry {
            let listed = Set(found.compactMap(\.industry))
            found += reference.industries.filter { !listed.contains($0) }.map { Row(region: nil, industry: $0, figures: ClearanceFigures()) }
        }
        // Each row's place worked out once, not at every comparison of the sort.
        rows = found.map { row in
            let place = RowPlace(region: row.region.map { regionOrder[$0] ?? Int.max } ?? 0, regionName: row.region ?? "",
                                 industry: row.industry.map { industryOrder[$0] ?? Int.max } ?? 0, industryName: row.industry ?? "")
            return (place, row)
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The figures of `hazards` split into `count` parts computed side by side, each totalled
    /// and grouped.
    private static func figures(of hazards: [HazardTimeline], in count: Int, grouping: ClearanceGrouping, period: Period,
                                knowledge: Knowledge) -> [GroupSums] {
        SideBySide.map(hazards.count, parts: count) { range in
            var sums = GroupSums(grouping: grouping)
            // Each timeline read in place: a copy of each would cost more than its figures.
            hazards.withUnsafeBufferPointer { hazards in
                for index in range {
                    guard let figures = Self.figures(of: hazards[index], period: period, knowledge: knowledge) else { continue }
                    sums.add(figures, region: hazards[index].region, industry: hazards[index].industry)
                }
            }
            return sums
        }
    }

    /// Figures totalled, and summed by the groups of `grouping` (none for `.total`).
    struct GroupSums {
        let grouping: ClearanceGrouping
        private(set) var total = ClearanceFigures()
        private(set) var groups = GroupFigures()

        init(grouping: ClearanceGrouping) {
            self.grouping = grouping
        }

        /// Adds the figures of a hazard, or a group of them, in `region` and `industry` (interned).
        mutating func add(_ figures: ClearanceFigures, region: Int32, industry: Int32) {
            total.add(figures)
            guard grouping != .total else { return }
            groups.add(figures, to: GroupKey(region: grouping == .industry ? nil : region, industry: grouping == .region ? nil : industry))
        }
    }

    /// Figures by group, in an open-addressing table keyed by the group's region and industry
    /// packed in one word: the statistics add to it once per hazard, and a dictionary's hashing
    /// cost more than the figures themselves.
    struct GroupFigures {
        /// The packed keys (`word(_:)`); `empty` where none. (`empty` is the key of no region and
        /// no industry, the one group `.total` never adds to.)
        private var keys = [UInt64](repeating: empty, count: 64)
        private var figures = [ClearanceFigures](repeating: ClearanceFigures(), count: 64)
        private var count = 0
        private static let empty = UInt64.max

        mutating func add(_ added: ClearanceFigures, to key: GroupKey) {
            if (count + 1) * 2 > keys.count { grow() }
            let word = Self.word(key)
            let position = place(of: word)
            if keys[position] == Self.empty {
                keys[position] = word
                count += 1
            }
            figures[position].add(added)
        }

        /// Where `word` is, or the empty place where it belongs.
        private func place(of word: UInt64) -> Int {
            let mask = keys.count - 1
            var position = Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
            while keys[position] != word && keys[position] != Self.empty { position = (position + 1) & mask }
            return position
        }

        private mutating func grow() {
            let old = zip(keys, figures).filter { $0.0 != Self.empty }
            keys = [UInt64](repeating: Self.empty, count: keys.count * 2)
            figures = [ClearanceFigures](repeating: ClearanceFigures(), count: keys.count)
            for (word, sum) in old {
                let position = place(of: word)
                keys[position] = word
                figures[position] = sum
            }
        }

        private static func word(_ key: GroupKey) -> UInt64 {
            UInt64(UInt32(bitPattern: key.region ?? -1)) << 32 | UInt64(UInt32(bitPattern: key.industry ?? -1))
        }

        private static func key(_ word: UInt64) -> GroupKey {
            let region = Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 32)), industry = Int32(bitPattern: UInt32(truncatingIfNeeded: word))
            return GroupKey(region: region < 0 ? nil : region, industry: industry < 0 ? nil : industry)
        }

        var dictionary: [GroupKey: ClearanceFigures] {
            Dictionary(uniqueKeysWithValues: zip(keys, figures).filter { $0.0 != Self.empty }.map { (Self.key($0.0), $0.1) })
        }
    }

    /// Where a row sorts: by region (in the reference's order, then others by name), then by
    /// industry likewise.
    private struct RowPlace: Comparable {
        var region: Int
        var regionName: String
        var industry: Int
        var industryName: String

        static func < (a: RowPlace, b: RowPlace) -> Bool {
            (a.region, a.regionName, a.industry, a.industryName) < (b.region, b.regionName, b.industry, b.industryName)
        }
    }

    struct GroupKey: Hashable {
        var region: Int32?
        var industry: Int32?
    }

    private static func order(_ names: [String]) -> [String: Int] {
        Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// One hazard's contribution to the figures of `period`, or `nil` when it does not count
    /// under `knowledge` (its report not known, or it was withdrawn: withdrawn hazards leave
    /// every statistic).
    ///
    /// One walk over the steps finds what three walks of `HazardTimeline.walk` would: the
    /// status at the end of the day before the period (stock), the progress at its end, and
    /// the status with no date limit (withdrawn). Each is the same prefix of lifecycle steps in
    /// log order, cut at the first step after its date; escalations count only towards the
    /// progress at the end, and change no status.
    public static func figures(of hazard: HazardTimeline, period: Period, knowledge: Knowledge) -> ClearanceFigures? {
        guard knowledge.admits(hazard.report) else { return nil }
        let dayBefore = period.start.adding(days: -1)
        var atStart = HazardProgress(), atEnd = HazardProgress(), latest = HazardProgress()
        var startReached = false, endReached = false  // a lifecycle step after the day before / the end met
        var figures = ClearanceFigures()
        // By index: iterating would copy the steps kept inside the entry.
        for index in hazard.steps.indices {
            let step = hazard.steps[index]
            let known = knowledge.admits(step)
            if step.kind == .escalated {
                if known, !endReached, step.on <= period.end { atEnd.apply(step) }
                continue
            }
            guard known else { break }
            latest.apply(step)
            if !startReached {
                if step.on > dayBefore { startReached = true } else { atStart.apply(step) }
            }
            guard !endReached else { continue }
            guard step.on <= period.end else {
                endReached = true
                continue
            }
            let before = atEnd
            atEnd.apply(step)
            guard period.contains(step.on) else { continue }
            switch step.kind {
            case .closed:
                figures.closed += 1
                if before.closesOnTime { figures.closedOnTime += 1 }
            case .extended: figures.extensions += 1
            case .verifiedFailed: figures.failedVerifications += 1
            default: break
            }
        }
        guard latest.status != .withdrawn else { return nil }
        let discovered = hazard.discoveredOn
        let isStock = discovered < period.start && atStart.status != .closed
        if isStock { figures.stock = 1 }
        if period.contains(discovered) { figures.new = 1 }
        if discovered <= period.end, atEnd.status != .closed {
            figures.openAtEnd = 1
            if atEnd.isOverdue(at: measuredEnd(of: period, knowledge)) { figures.overdueAtEnd = 1 }
        }
        if isStock, atEnd.status == .closed { figures.stockClosed = 1 }
        return figures
    }
}
