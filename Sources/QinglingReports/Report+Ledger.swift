import QinglingEvents

extension Report {
    /// One page of the hazard ledger (隐患台账) as a table: what the web page shows and its CSV
    /// download gives, row for row; the date it was read at, the hazards the filters keep and
    /// the page as facts.
    public static func ledger(_ page: HazardLedgerPage) -> Report {
        Report(facts: [
            .init(key: "asOf", zh: "截止日", en: "As of", value: .date(page.asOf)),
            .init(key: "total", zh: "符合条件的隐患", en: "Hazards matching", value: .int(page.total)),
            .init(key: "page", zh: "页码", en: "Page", value: .int(page.page)),
        ], tables: [
            Report.Table(key: "hazards", zh: "隐患台账", en: "Hazard ledger", columns: [
                .init(key: "hazardId", zh: "隐患编号", en: "Hazard"), .init(key: "status", zh: "状态", en: "Status"),
                .init(key: "region", zh: "地区", en: "Region"), .init(key: "industry", zh: "行业", en: "Industry"),
                .init(key: "enterprise", zh: "生产经营单位", en: "Enterprise"), .init(key: "creditCode", zh: "统一社会信用代码", en: "Credit code"),
                .init(key: "discoveredOn", zh: "发现日期", en: "Discovered"), .init(key: "deadline", zh: "整改期限", en: "Deadline"),
                .init(key: "leadDepartment", zh: "牵头部门", en: "Lead department"), .init(key: "overdue", zh: "逾期", en: "Overdue"),
                .init(key: "daysOverdue", zh: "逾期天数", en: "Days overdue"),
            ], rows: page.rows.map { row in
                [.text(row.hazardId), .status(row.status), .text(row.region), .industry(row.industry),
                 row.enterprise.map { .text($0.name) } ?? .none, row.enterprise.map { .text($0.creditCode) } ?? .none,
                 .date(row.discoveredOn), .date(row.deadline), row.leadDepartment.map { .text($0.name) } ?? .none,
                 .bool(row.overdue), .int(row.daysOverdue)]
            }),
        ])
    }
}
