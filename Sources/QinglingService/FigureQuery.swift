import QinglingEvents
import QinglingProjections
import QinglingReports
import QinglingWorkflow

/// The analysts' figures, by the name of their route and page (`/api/v1/stats`, `/analysis/stats`).
enum Figure: String, CaseIterable, Sendable {
    case stats, overdue, targets, ranking, penalties, rewards
}

/// An option of a figure that cannot be read, in both languages: the API answers the English
/// (400 `bad-request`), a page shows its form again with the Chinese.
struct FigureOptionError: Error, Sendable, Equatable {
    var en: String
    var zh: String
}

/// What the caller may see of the figures.
enum FigureScope: Sendable {
    case county
    /// A town: only its region's rows.
    case region(String)

    /// The scope in an `AnswerCache.Key`.
    var key: String {
        switch self {
        case .county: ""
        case .region(let name): name
        }
    }
}

/// One question for a figure, read from its options (the query string of the API or a page's
/// form, the same names): what to compute on the projections (`build`), whether on the events
/// recorded by a time folded afresh (`refoldAt`), and how to cut the answer to the caller's
/// scope. The one computation of each figure, for the JSON routes and the pages alike, as the
/// command line computes it (`QinglingReports`).
struct FigureQuery: Sendable {
    /// Why a query gave no report.
    enum Failure: Error {
        case option(FigureOptionError)
        case store(StoreError)
        /// Sums past what 64 bits of fen hold (only a crafted log comes near).
        case overflow
    }

    var refoldAt: Int64?
    var build: @Sendable (ProjectionState, EventStore) throws(Failure) -> Report

    /// The question for `figure` with `options`, as seen from `scope`.
    init(_ figure: Figure, _ options: [String: String], scope: FigureScope, reference: ReferenceData) throws(FigureOptionError) {
        let (asOf, knownAt) = try Self.dates(options)
        switch figure {
        case .stats:
            let periodText = options["period"] ?? ""
            guard let period = Period(periodText) else {
                throw FigureOptionError(en: "period must be like 2024, 2024Q3, 2024-07 or 2024-03-01..2024-06-30, not \(periodText.prefix(40))",
                                        zh: "统计期应写作 2024、2024Q3、2024-07 或 2024-03-01..2024-06-30，而不是“\(periodText.prefix(40))”")
            }
            guard var grouping = ClearanceGrouping(rawValue: options["by"] ?? "region") else {
                throw FigureOptionError(en: "by is region, industry, both or total", zh: "分组应为 地区、行业、地区和行业 或 合计")
            }
            if case .region = scope, grouping == .industry || grouping == .total { grouping = .region }  // a town's figures are its region's rows
            let chosen = grouping
            build = { state, store throws(Failure) in
                let date = try Self.date(asOf, state, store, knownAt: knownAt)
                guard period.start <= date else {
                    throw .option(FigureOptionError(en: "the period \(period.name) starts on \(period.start), after the as-of date \(date)",
                                                    zh: "统计期 \(period.name) 自 \(period.start) 开始，晚于截止日 \(date)"))
                }
                let report = Report.statistics(state, period: period, grouping: chosen, knowledge: Knowledge(asOf: date, knownAt: knownAt), reference: reference)
                return Self.cut(report, to: scope)
            }
        case .overdue:
            let only = try options["only"].map { text throws(FigureOptionError) in
                guard let list = OverdueAlerts.List(rawValue: text) else {
                    throw FigureOptionError(en: "only is overdue, unsupervised, awaiting-verification or due-soon", zh: "清单应为 逾期、超期未交办、待验收超期 或 即将到期")
                }
                return list
            }
            build = { state, store throws(Failure) in
                let date = try Self.date(asOf, state, store, knownAt: knownAt)
                var alerts = OverdueAlerts(state, on: date, knownAt: knownAt)
                if case .region(let region) = scope {
                    alerts.overdue.removeAll { $0.region != region }
                    alerts.unsupervised.removeAll { $0.region != region }
                    alerts.awaitingVerification.removeAll { $0.region != region }
                    alerts.dueSoon.removeAll { $0.region != region }
                }
                return Report.overdue(alerts, thresholds: EscalationLadder.standard.description, only: only)
            }
        case .targets:
            build = { state, store throws(Failure) in
                let date = try Self.date(asOf, state, store, knownAt: knownAt)
                return Report.targets(PlanTargets(state, on: date, knownAt: knownAt))
            }
        case .ranking:
            let text = options["quarter"] ?? ""
            guard let quarter = Quarter(text) else {
                throw FigureOptionError(en: "quarter must be like 2025Q2, not \(text.prefix(40))", zh: "季度应写作 2025Q2 的形式，而不是“\(text.prefix(40))”")
            }
            refoldAt = knownAt
            build = { state, store throws(Failure) in
                let asOf = QueryDates.defaultDate(store, latest: state.latestBusinessDate)
                guard Period(quarter).start <= asOf else {
                    throw .option(FigureOptionError(en: "the quarter \(quarter) starts after the as-of date \(asOf)", zh: "季度 \(quarter) 开始于截止日 \(asOf) 之后"))
                }
                return Report.ranking(QuarterlyRanking(state, quarter: quarter, asOf: asOf, reference: reference), quarter: quarter, knownAt: knownAt)
            }
        case .penalties:
            var quarters: [Quarter?] = []
            for (name, zh) in [("from", "起始季度"), ("to", "截止季度")] {
                quarters.append(try options[name].map { text throws(FigureOptionError) in
                    guard let quarter = Quarter(text) else { throw FigureOptionError(en: "\(name) must be a quarter like 2025Q1", zh: "\(zh)应写作 2025Q1 的形式") }
                    return quarter
                })
            }
            let first = quarters[0] ?? Quarter(year: 1900, number: 1), last = quarters[1] ?? Quarter(year: 2999, number: 4)
            guard first <= last else { throw FigureOptionError(en: "from \(first) is after to \(last)", zh: "起始季度 \(first) 晚于截止季度 \(last)") }
            let department = options["department"]
            refoldAt = knownAt
            build = { state, _ throws(Failure) in
                do throws(SummaryTotalOverflow) {
                    return try Report.penalties(PenaltySummary(state, quarters: first...last, department: department, reference: reference), knownAt: knownAt)
                } catch {
                    throw .overflow
                }
            }
        case .rewards:
            let paidOnly = options["paidOnly"] == "true"
            refoldAt = knownAt
            build = { state, _ throws(Failure) in
                do throws(SummaryTotalOverflow) {
                    return try Report.rewards(RewardSummary(state, paidOnly: paidOnly), knownAt: knownAt)
                } catch {
                    throw .overflow
                }
            }
        }
    }

    /// `asOf` (a date) and `knownAt` (a date or a time) from the options (also `/trace`'s).
    static func dates(_ options: [String: String]) throws(FigureOptionError) -> (asOf: CalendarDate?, knownAt: Int64?) {
        let asOf = try options["asOf"].map { text throws(FigureOptionError) in
            guard let date = CalendarDate(text) else { throw FigureOptionError(en: "asOf must be a date YYYY-MM-DD", zh: "截止日应为日期 YYYY-MM-DD") }
            return date
        }
        let knownAt = try options["knownAt"].map { text throws(FigureOptionError) in
            guard let time = QueryDates.knownAt(text) else {
                throw FigureOptionError(en: "knownAt must be a date YYYY-MM-DD or a time like 2025-01-05T18:00:00+08:00",
                                        zh: "记录截止应为日期 YYYY-MM-DD 或时间，如 2025-01-05T18:00:00+08:00")
            }
            return time
        }
        return (asOf, knownAt)
    }

    /// `asOf`, or without it the date the command line answers at.
    static func date(_ asOf: CalendarDate?, _ state: ProjectionState, _ store: EventStore, knownAt: Int64?) throws(Failure) -> CalendarDate {
        if let asOf { return asOf }
        do throws(StoreError) {
            return QueryDates.defaultDate(store, latest: try QueryDates.latestKnown(store, knownAt: knownAt, latest: state.latestBusinessDate))
        } catch {
            throw .store(error)
        }
    }

    /// A town sees its own region's rows, and no county total.
    private static func cut(_ report: Report, to scope: FigureScope) -> Report {
        guard case .region(let region) = scope else { return report }
        var own = report
        own.tables = report.tables.map { table in
            var table = table
            table.rows = table.rows.filter { if case .text(let name) = $0.first { name == region } else { false } }
            table.total = nil
            return table
        }
        return own
    }
}
