import ArgumentParser
import QinglingEvents
import QinglingProjections

/// `qingling stats`: clearance statistics by region and industry.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Clearance statistics (分区域、分行业重大事故隐患统计分析) for a period.",
        discussion: """
        For each group and in total: stock at the start (存量), new in the period (增量), closed \
        in the period and on time, the on-time rate, open and overdue at the end, the stock \
        cleared rate (清零率), deadline extensions and failed verifications. Withdrawn hazards \
        are left out. Definitions: docs/analyst-guide.md.

        Examples:
          qingling stats 2024Q3
          qingling stats 2024 --by both --format csv > 2024.csv
          qingling stats 2024-01-01..2024-06-30 --by industry --lang en
          qingling stats 2024 --known-at 2025-01-05      # what the ledger said on 5 January
        """
    )

    @Argument(help: ArgumentHelp("The period: a year (2024), a quarter (2024Q3), a month (2024-07) or a range (2024-03-01..2024-06-30).", valueName: "PERIOD"))
    var periodText: String

    @Option(help: "Group by region, industry, both, or total only.")
    var by: ClearanceGrouping = .region

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Count only actions that happened by this business date; the end of a period still running is measured then (default: today; for a demo log, its latest business date).",
        valueName: "YYYY-MM-DD"))
    var asOfText: String?

    @OptionGroup var options: AnalystOptions

    func validate() throws {
        guard Period(periodText) != nil else {
            throw ValidationError(options.lang.pick(zh: "\(periodText) 不是统计期：请用 2024、2024Q3、2024-07 或 2024-03-01..2024-06-30",
                                                    en: "\(periodText) is not a period: use 2024, 2024Q3, 2024-07 or 2024-03-01..2024-06-30"))
        }
        _ = try parseDate(asOfText, option: "--as-of", options.lang)
        _ = try options.knownAt()
    }

    func run() throws {
        options.language.use()
        guard let period = Period(periodText) else { throw ExitCodes.invalidInput }
        let reference = try options.reference.load()
        let (store, state) = try options.loadProjections()
        let asOf = try parseDate(asOfText, option: "--as-of", options.lang)
            ?? options.defaultDate(store, latest: options.latestKnown(store, latest: state.latestBusinessDate))
        try options.requireStarted(period, asOf: asOf)
        let knowledge = Knowledge(asOf: asOf, knownAt: try options.knownAt())
        options.print(StatsCommand.report(state, period: period, grouping: by, knowledge: knowledge, reference: reference, lang: options.lang))
    }

    /// The statistics of `period` as a report: one row per group, then the total.
    static func report(_ state: ProjectionState, period: Period, grouping by: ClearanceGrouping, knowledge: Knowledge,
                       reference: ReferenceData, lang: Language) -> Report {
        let statistics = ClearanceStatistics(state, period: period, grouping: by, knowledge: knowledge, reference: reference)
        var report = Report(facts: facts(period: period, knowledge: knowledge, measuredEnd: statistics.measuredEnd))
        var columns: [Report.Column] = []
        if by == .region || by == .regionAndIndustry {
            columns += [.init(key: "region", zh: "地区", en: "Region"), .init(key: "regionCode", zh: "区划代码", en: "Code")]
        }
        if by == .industry || by == .regionAndIndustry { columns.append(.init(key: "industry", zh: "行业", en: "Industry")) }
        if by == .total { columns.append(.init(key: "group", zh: "范围", en: "Group")) }
        var table = Report.Table(key: "rows", zh: "重大事故隐患清零统计（\(period)）", en: "Clearance statistics, \(period)",
                                 columns: columns + figureColumns)
        for row in statistics.rows {
            var cells: [Report.Cell] = []
            if let region = row.region { cells += [.text(region), .text(reference.region(named: region)?.code ?? "—")] }
            if let industry = row.industry { cells.append(.industry(industry)) }
            table.rows.append(cells + Self.cells(row.figures))
        }
        table.total = [.term(code: "total", zh: "合计", en: "Total")] + Array(repeating: .none, count: columns.count - 1) + Self.cells(statistics.total)
        report.tables = [table]
        return report
    }

    /// The period, the date its end is measured at, and the viewpoint.
    static func facts(period: Period, knowledge: Knowledge, measuredEnd: CalendarDate) -> [Report.Fact] {
        [.init(key: "period", zh: "统计期", en: "Period", value: .text(period.name)),
         .init(key: "start", zh: "起", en: "From", value: .date(period.start)),
         .init(key: "end", zh: "止", en: "To", value: .date(period.end)),
         .init(key: "endMeasuredOn", zh: "期末", en: "End measured at", value: .date(measuredEnd)),
         .init(key: "asOf", zh: "业务截止日", en: "As of", value: knowledge.asOf.map { .date($0) } ?? .none),
         .init(key: "knownAt", zh: "记录截止", en: "Known at", value: knowledge.knownAt.map { .text(ShanghaiDateTime(microseconds: $0).description) } ?? .none)]
    }

    static let figureColumns: [Report.Column] = [
        .init(key: "stock", zh: "存量", en: "Stock"),
        .init(key: "new", zh: "增量", en: "New"),
        .init(key: "closed", zh: "销号", en: "Closed"),
        .init(key: "closedOnTime", zh: "按期销号", en: "On time"),
        .init(key: "onTimeRate", zh: "按期率", en: "On-time rate"),
        .init(key: "openAtEnd", zh: "期末未销号", en: "Open at end"),
        .init(key: "overdueAtEnd", zh: "期末逾期", en: "Overdue at end"),
        .init(key: "stockClosed", zh: "存量已销号", en: "Stock closed"),
        .init(key: "stockClearedRate", zh: "清零率", en: "Stock cleared"),
        .init(key: "extensions", zh: "延期", en: "Extensions"),
        .init(key: "failedVerifications", zh: "审核未通过", en: "Failed verifications"),
    ]

    static func cells(_ f: ClearanceFigures) -> [Report.Cell] {
        [.int(f.stock), .int(f.new), .int(f.closed), .int(f.closedOnTime), .rate(f.onTimeRate), .int(f.openAtEnd), .int(f.overdueAtEnd),
         .int(f.stockClosed), .rate(f.stockClearedRate), .int(f.extensions), .int(f.failedVerifications)]
    }
}

extension ClearanceGrouping: ExpressibleByArgument {}
