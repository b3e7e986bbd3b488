import QinglingEvents
import QinglingWorkflow

/// The three-year plan's targets as pass/fail checks, each with the hazards that break it.
public struct PlanTargets: Sendable {
    /// The parts of a state the checks read beyond the hazards' timelines.
    public static let needs: ProjectionParts = [.hazardIds, .persons]

    public enum Verdict: String, Sendable {
        case passed, failed
        /// Not decided yet: the date it is judged on is after the date of the check.
        case pending
    }

    public struct Breach: Sendable, Equatable {
        public var hazardId: String
        public var region: String
        public var industry: String
        public var discoveredOn: CalendarDate
        /// The date it breaks the target on (the target date, or the month end it was overdue).
        public var on: CalendarDate
        public var status: HazardStatus
        public var deadline: CalendarDate?
        /// Who the hazard's supervision names, when that supervision is in view on `on`.
        public var leadDepartment: String?
        public var enterprisePrincipal: String?
        public var departmentOfficer: String?
    }

    public struct Check: Sendable {
        /// `stockCleared` (存量清零), `newContained` (增量遏制), `dynamicZero` (动态清零).
        public var id: String
        public var verdict: Verdict
        /// What was measured; `text(_:)` words it.
        public var measure: Measure
        public var breaches: [Breach]
    }

    /// What a check measured: the figures its verdict rests on.
    public enum Measure: Sendable, Equatable {
        /// 存量清零: hazards discovered by 2023-12-31 still open on `on`.
        case stockOpen(on: CalendarDate, count: Int)
        /// 增量遏制: new hazards discovered in 2024 and in 2025.
        case newHazards(in2024: Int, in2025: Int)
        /// 动态清零: the month ends of 2026 checked so far, and the overdue hazard-month-ends.
        case monthEnds(checked: Int, overdue: Int)

        /// The measure in `lang`.
        public func text(_ lang: Language) -> String {
            switch self {
            case let .stockOpen(on, count):
                lang.pick(zh: "2023-12-31及以前发现、\(on)仍未销号的隐患：\(count)", en: "hazards discovered by 2023-12-31 still open on \(on): \(count)")
            case let .newHazards(in2024, in2025):
                lang.pick(zh: "2024年新增隐患：\(in2024)；2025年：\(in2025)", en: "new hazards discovered in 2024: \(in2024); in 2025: \(in2025)")
            case let .monthEnds(checked, overdue):
                lang.pick(zh: "2026年已检查月末：\(checked)；逾期隐患·月末：\(overdue)",
                          en: "month ends of 2026 checked: \(checked); overdue hazard-month-ends: \(overdue)")
            }
        }
    }

    public var date: CalendarDate
    public var checks: [Check]

    /// The checks as of `date` (by default the latest business date in the log), as known at
    /// `knownAt`. A hazard is measured on a date only once its report is in view on that date.
    /// Each hazard is measured once, for every check, in parts side by side; the breaches are
    /// listed check by check, each month's in hazard order.
    public init(_ state: ProjectionState, on date: CalendarDate? = nil, knownAt: Int64? = nil) {
        state.require(Self.needs)
        let date = date ?? state.latestBusinessDate ?? CalendarDate(daysSinceEpoch: 0)
        self.date = date
        let knowledge = Knowledge(asOf: date, knownAt: knownAt)
        func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day) ?? date }
        // 存量清零: by 2024-12-31 no hazard discovered on or before 2023-12-31 is open.
        let stockDay = day(2024, 12, 31), stockDiscovered = day(2023, 12, 31)
        let checkDay = min(stockDay, date)
        // 动态清零: in 2026 no hazard overdue at any month end (those up to the date).
        let monthEnds = (1...12).map { month in month == 12 ? day(2026, 12, 31) : day(2026, month + 1, 1).adding(days: -1) }.filter { $0 <= date }
        let hazards = state.hazards, year2024 = Period.year(2024), year2025 = Period.year(2025)
        let measured = SideBySide.map(hazards.count, parts: SideBySide.parts(for: hazards.count)) { range in
            var part = Measured(monthEnds: monthEnds.count)
            // Each timeline read in place: a copy of each would cost as much as its checks.
            hazards.withUnsafeBufferPointer { hazards in
                for index in range where hazards[index].counts(knowledge) {
                    let hazard = hazards[index]
                    if year2024.contains(hazard.discoveredOn) { part.new2024 += 1 }
                    if year2025.contains(hazard.discoveredOn) { part.new2025 += 1 }
                    if hazard.discoveredOn <= stockDiscovered, hazard.report.on <= checkDay, hazard.progress(at: checkDay, knowledge).isOpen {
                        part.stock.append(index)
                    }
                    hazard.forEachLifecycleProgress(at: monthEnds, knowledge) { month, progress in
                        let end = monthEnds[month]
                        if hazard.report.on <= end, progress.isOverdue(at: end) { part.overdue[month].append(index) }
                    }
                }
            }
            return part
        }
        let stock = measured.flatMap(\.stock)
        let overdue = monthEnds.indices.flatMap { month in measured.flatMap { $0.overdue[month].map { (index: $0, on: monthEnds[month]) } } }
        let breaches = Self.breaches(of: stock.map { (index: $0, on: checkDay) } + overdue, in: state, knowledge)
        let stockBreaches = Array(breaches[..<stock.count]), overdueBreaches = Array(breaches[stock.count...])
        checks = [Check(id: "stockCleared",
                        verdict: stock.isEmpty ? (date >= stockDay ? .passed : .pending) : (date >= stockDay ? .failed : .pending),
                        measure: .stockOpen(on: checkDay, count: stock.count), breaches: stockBreaches)]
        // 增量遏制: 2025's new hazards fewer than 2024's.
        let new2024 = measured.reduce(0) { $0 + $1.new2024 }, new2025 = measured.reduce(0) { $0 + $1.new2025 }
        checks.append(Check(id: "newContained",
                            verdict: date < day(2025, 12, 31) ? .pending : (new2025 < new2024 ? .passed : .failed),
                            measure: .newHazards(in2024: new2024, in2025: new2025), breaches: []))
        checks.append(Check(id: "dynamicZero",
                            verdict: !overdueBreaches.isEmpty ? .failed : (date >= day(2026, 12, 31) ? .passed : .pending),
                            measure: .monthEnds(checked: monthEnds.count, overdue: overdueBreaches.count), breaches: overdueBreaches))
    }

    /// What one part of the hazards gives the checks: the stock still open on the check day,
    /// the new hazards of 2024 and 2025, and for each month end the hazards overdue at it (by
    /// index, in order).
    private struct Measured: Sendable {
        var stock: [Int] = []
        var new2024 = 0, new2025 = 0
        var overdue: [[Int]]

        init(monthEnds: Int) { overdue = Array(repeating: [], count: monthEnds) }
    }

    /// The breach of each hazard (by index) on its date, in order, made side by side.
    private static func breaches(of listed: [(index: Int, on: CalendarDate)], in state: ProjectionState, _ knowledge: Knowledge) -> [Breach] {
        SideBySide.map(listed.count, parts: SideBySide.parts(for: listed.count)) { range in
            listed[range].map { index, day in
                let hazard = state.hazards[index], progress = hazard.progress(at: day, knowledge)
                let supervised = hazard.supervisionInView(knowledge, until: day)
                return Breach(hazardId: state.hazardId(index), region: state.name(hazard.region), industry: state.name(hazard.industry),
                              discoveredOn: hazard.discoveredOn, on: day, status: progress.status, deadline: progress.deadline,
                              leadDepartment: supervised ? hazard.leadDepartment.map(state.name) : nil,
                              enterprisePrincipal: supervised ? hazard.enterprisePrincipal.map(state.label(of:)) : nil,
                              departmentOfficer: supervised ? hazard.departmentOfficer.map(state.label(of:)) : nil)
            }
        }.flatMap { $0 }
    }
}
