import QinglingEvents
import QinglingProjections

extension Report {
    /// The quarterly ranking: regions by their quarter's figures, and the enforcement
    /// departments with their penalties (零处罚 flagged); `knownAt` as a fact.
    public static func ranking(_ ranking: QuarterlyRanking, quarter: Quarter, knownAt: Int64?) -> Report {
    var report = Report(facts: [.init(key: "quarter", zh: "季度", en: "Quarter", value: .text(quarter.description)),
                                .init(key: "endMeasuredOn", zh: "期末", en: "End measured at", value: .date(ranking.measuredEnd))]
                                + knownAtFacts(knownAt))
    report.tables.append(Report.Table(key: "regions", zh: "\(quarter) 属地排名", en: "Regions, \(quarter)",
        columns: [.init(key: "rank", zh: "名次", en: "Rank"), .init(key: "region", zh: "地区", en: "Region"),
                  .init(key: "regionCode", zh: "区划代码", en: "Code"), .init(key: "overdueAtEnd", zh: "季末逾期", en: "Overdue at end"),
                  .init(key: "onTimeRate", zh: "按期率", en: "On-time rate"), .init(key: "closed", zh: "销号", en: "Closed"),
                  .init(key: "new", zh: "增量", en: "New"), .init(key: "openAtEnd", zh: "季末未销号", en: "Open at end")],
        rows: ranking.entries.map { entry in
            [.int(entry.rank), .text(entry.region), .text(entry.code), .int(entry.figures.overdueAtEnd), .rate(entry.figures.onTimeRate),
             .int(entry.figures.closed), .int(entry.figures.new), .int(entry.figures.openAtEnd)]
        }))
    report.tables.append(Report.Table(key: "departments", zh: "执法部门处罚情况（零处罚标记）", en: "Enforcement departments (zero-penalty flag)",
        columns: [.init(key: "department", zh: "部门编号", en: "Id"), .init(key: "name", zh: "部门", en: "Department"),
                  .init(key: "penalties", zh: "处罚数", en: "Penalties"), .init(key: "zeroPenalty", zh: "零处罚", en: "Zero penalty")],
        rows: ranking.departments.map { [.text($0.id), .text($0.name), .int($0.penalties), .bool($0.zeroPenalty)] }))
        return report
    }
}
