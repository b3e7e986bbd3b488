import QinglingEvents
import QinglingProjections

extension Report {
    /// The statistics of `period` as a report: one row per group, then the total.
    public static func statistics(_ state: ProjectionState, period: Period, grouping by: ClearanceGrouping, knowledge: Knowledge,
                                  reference: ReferenceData) -> Report {
        statistics(ClearanceStatistics(state, period: period, grouping: by, knowledge: knowledge, reference: reference), grouping: by,
                   reference: reference)
    }

    /// The report of `statistics`, grouped `by`.
    public static func statistics(_ statistics: ClearanceStatistics, grouping by: ClearanceGrouping, reference: ReferenceData) -> Report {
        let (period, knowledge) = (statistics.period, statistics.knowledge)
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
            table.rows.append(cells + figureCells(row.figures))
        }
        table.total = [.term(code: "total", zh: "合计", en: "Total")] + Array(repeating: .none, count: columns.count - 1) + figureCells(statistics.total)
        report.tables = [table]
        return report
    }

    /// The period, the date its end is measured at, and the viewpoint.
    public static func facts(period: Period, knowledge: Knowledge, measuredEnd: CalendarDate) -> [Report.Fact] {
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

    static func figureCells(_ f: ClearanceFigures) -> [Report.Cell] {
        [.int(f.stock), .int(f.new), .int(f.closed), .int(f.closedOnTime), .rate(f.onTimeRate), .int(f.openAtEnd), .int(f.overdueAtEnd),
         .int(f.stockClosed), .rate(f.stockClearedRate), .int(f.extensions), .int(f.failedVerifications)]
    }
}
