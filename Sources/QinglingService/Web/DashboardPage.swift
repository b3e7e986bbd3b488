import Foundation
import Hummingbird
import QinglingAccounts
import QinglingEvents
import QinglingProjections
import QinglingReports

/// `/dashboard` (大屏, committee, departments, analysts): the county's figures for a chosen
/// period and as-of date: the statistics by region (a bar chart beside its table) and by
/// industry, the monthly trend of open and overdue hazards (a chart beside its table), the
/// overdue alerts with the escalation due, the plan's targets and the quarter's ranking. Every
/// figure is `FigureRoutes.report`, the JSON routes' computation. The page updates itself
/// (`/assets/dashboard.js`, on the event stream) for the roles that may open the stream.
struct DashboardPage {
    let templates: WebTemplates
    let figures: FigureRoutes
    let ledger: LiveLedger

    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct ChoiceGroup {
        var label: String
        var choices: [Choice]
    }

    struct View {
        var page: PageFrame
        var periods: [ChoiceGroup]
        /// The as-of date typed, if any: empty, the page follows the log's latest date.
        var asOfInput: String
        var message: String?
        /// The last event the figures count (`data-after`: where the live update's stream starts).
        var after: String
        var facts: [HazardPage.Fact]
        var headline: [HazardPage.Fact]
        var regionChart: BarChart
        var regionTable: ReportTableView
        var industryTable: ReportTableView
        var trendChart: BarChart
        var trendTable: ReportTableView
        var tables: [ReportTableView]
    }

    /// The months of the trend, the last the month the period's end is measured in.
    static let trendMonths = 12

    func page(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
        let account = signedIn.account
        guard account.role.seesDashboard else { throw APIError.notFound }
        let asked = AnalysisPage.options(request)
        let route = "GET " + request.uri.path
        let logLength = await ledger.eventCount
        let latest: CalendarDate
        switch await ledger.query({ state, store in QueryDates.defaultDate(store, latest: state.latestBusinessDate) }) {
        case .success(let date): latest = date
        case .failure: throw APIError(.internalServerError, "log", "the log could not be read")
        }
        var message: String?
        var asOf = latest
        if let text = asked["asOf"] {
            if let date = CalendarDate(text) { asOf = date } else { message = "截止日应为日期 YYYY-MM-DD" }
        }
        var period = asked["period"].flatMap { Period($0) } ?? Period.year(asOf.components.year)
        if asked["period"] != nil, Period(asked["period"] ?? "") == nil { message = "统计期应写作 2024、2024Q3、2024-07 或 2024-03-01..2024-06-30" }
        if period.start > asOf {
            message = "统计期 \(period.name) 自 \(period.start) 开始，晚于截止日 \(asOf)；已改为 \(asOf.components.year) 年"
            period = .year(asOf.components.year)
        }
        let options = ["period": period.name, "asOf": asOf.description]
        let regions = try await figures.report(.stats, options.merging(["by": "region"]) { $1 }, in: context, route: route).report
        let industries = try await figures.report(.stats, options.merging(["by": "industry"]) { $1 }, in: context, route: route).report
        let measuredEnd = regions.facts.first { $0.key == "endMeasuredOn" }.flatMap { Self.date($0.value) } ?? asOf
        let trend = try await self.trend(endingIn: measuredEnd, asOf: asOf, in: context)
        let overdue = try await figures.report(.overdue, ["asOf": asOf.description, "only": "overdue"], in: context, route: route).report
        let targets = try await figures.report(.targets, ["asOf": asOf.description], in: context, route: route).report
        let quarter = Quarter(containing: measuredEnd)
        let ranking = try await figures.report(.ranking, ["quarter": quarter.description], in: context, route: route).report
        let regionTable = regions.tables[0]
        var tables = [ReportTableView(overdue.tables[0], title: "逾期预警与应升级问责", id: "overdue")]
        for (index, table) in targets.tables.enumerated() { tables.append(ReportTableView(table, title: table.zh, id: "targets\(index)")) }
        for (index, table) in ranking.tables.enumerated() { tables.append(ReportTableView(table, title: table.zh, id: "ranking\(index)")) }
        let view = View(
            page: PageFrame(title: "大屏", signedIn: signedIn, current: "/dashboard"),
            periods: Self.periods(through: asOf, chosen: period.name), asOfInput: asked["asOf"] ?? "", message: message,
            after: logLength > 0 ? String(logLength - 1) : "",
            facts: regions.facts.filter { ["period", "endMeasuredOn", "asOf"].contains($0.key) }.map { HazardPage.Fact(label: $0.zh, value: $0.value.text(.zh)) },
            headline: Self.headline(regionTable),
            regionChart: Self.regionChart(regionTable), regionTable: ReportTableView(regionTable, title: "分区域统计", id: "regions"),
            industryTable: ReportTableView(industries.tables[0], title: "分行业统计", id: "industries"),
            trendChart: BarChart.vertical(id: "trend-chart", title: "月末未销号与逾期隐患（近\(trend.count)个月）", categories: trend.map(\.month),
                                          series: [.init(key: "open", label: "月末未销号"), .init(key: "overdue", label: "月末逾期")],
                                          values: trend.map { [$0.open, $0.overdue] }),
            trendTable: ReportTableView(Self.trendTable(trend), title: "月度趋势", id: "trend"),
            tables: tables)
        return WebResponse.page(templates.render(.dashboard, view), live: true)
    }

    /// One month of the trend: the hazards open and overdue at its end.
    struct TrendPoint {
        var month: String
        var open: Int
        var overdue: Int
    }

    /// The months up to the one of `end` (at most `trendMonths`, none starting after `asOf`),
    /// each the total of the month's statistics (`GET /stats?period=YYYY-MM&by=total`):
    /// open and overdue at the month's end, or at `asOf` for the month still running.
    func trend(endingIn end: CalendarDate, asOf: CalendarDate, in context: ServiceContext) async throws -> [TrendPoint] {
        let route = "GET /dashboard"
        let (year, month, _) = end.components
        var points: [TrendPoint] = []
        for back in (0..<Self.trendMonths).reversed() {
            let index = year * 12 + month - 1 - back
            let name = String(format: "%04d-%02d", index / 12, index % 12 + 1)
            let report = try await figures.report(.stats, ["period": name, "by": "total", "asOf": asOf.description], in: context, route: route).report
            let table = report.tables[0]
            points.append(TrendPoint(month: name, open: Self.int(table, "openAtEnd"), overdue: Self.int(table, "overdueAtEnd")))
        }
        return points
    }

    /// The value of column `key` in the table's total row.
    static func int(_ table: Report.Table, _ key: String) -> Int {
        guard let column = table.columns.firstIndex(where: { $0.key == key }), let total = table.total else { return 0 }
        return number(total[column]) ?? 0
    }

    static func number(_ cell: Report.Cell) -> Int? {
        guard case .int(let value) = cell else { return nil }
        return value
    }

    static func date(_ cell: Report.Cell) -> CalendarDate? {
        guard case .date(let value) = cell else { return nil }
        return value
    }

    static func trendTable(_ points: [TrendPoint]) -> Report.Table {
        Report.Table(key: "trend", zh: "月度趋势", en: "Monthly trend",
                     columns: [.init(key: "month", zh: "月份", en: "Month"), .init(key: "openAtEnd", zh: "月末未销号", en: "Open at end"),
                               .init(key: "overdueAtEnd", zh: "月末逾期", en: "Overdue at end")],
                     rows: points.map { [.text($0.month), .int($0.open), .int($0.overdue)] })
    }

    /// Bars by region: new (发现), closed (销号) and overdue at the end, one group per row.
    static func regionChart(_ table: Report.Table) -> BarChart {
        let keys = ["new", "closed", "overdueAtEnd"]
        let columns = keys.map { key in table.columns.firstIndex { $0.key == key } }
        let values = table.rows.map { row in columns.map { column in column.flatMap { number(row[$0]) } ?? 0 } }
        return BarChart.horizontal(id: "region-chart", title: "各地区发现、销号与期末逾期隐患", categories: table.rows.map { $0[0].text(.zh) },
                                   series: [.init(key: "new", label: "发现（增量）"), .init(key: "closed", label: "销号"), .init(key: "overdue", label: "期末逾期")],
                                   values: values)
    }

    /// The county's totals shown large: new, closed, on-time rate, open and overdue, stock cleared.
    static func headline(_ table: Report.Table) -> [HazardPage.Fact] {
        guard let total = table.total else { return [] }
        return ["new", "closed", "onTimeRate", "openAtEnd", "overdueAtEnd", "stockClearedRate"].compactMap { key in
            table.columns.firstIndex { $0.key == key }.map { HazardPage.Fact(label: table.columns[$0].zh, value: total[$0].text(.zh)) }
        }
    }

    /// The periods offered: each year from three before `asOf`'s, its quarters and months
    /// that started by `asOf`; `chosen` selected (added if typed in the address).
    static func periods(through asOf: CalendarDate, chosen: String) -> [ChoiceGroup] {
        let last = asOf.components.year
        var groups: [ChoiceGroup] = []
        for year in (last - 3...last).reversed() {
            var names = [String(year)] + (1...4).map { "\(year)Q\($0)" } + (1...12).map { String(format: "%04d-%02d", year, $0) }
            names.removeAll { (Period($0)?.start ?? asOf) > asOf }
            groups.append(ChoiceGroup(label: "\(year)年", choices: names.map { Choice(value: $0, label: label($0), selected: $0 == chosen) }))
        }
        if !groups.contains(where: { $0.choices.contains { $0.selected } }) {
            groups.insert(ChoiceGroup(label: "自定", choices: [Choice(value: chosen, label: chosen, selected: true)]), at: 0)
        }
        return groups
    }

    private static func label(_ name: String) -> String {
        if let quarter = Quarter(name) { return "\(quarter.year)年第\(quarter.number)季度" }
        if name.count == 4 { return name + "年" }
        let parts = name.split(separator: "-")
        return parts.count == 2 ? "\(parts[0])年\(Int(parts[1]) ?? 0)月" : name
    }
}
