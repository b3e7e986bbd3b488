import QinglingEvents
import QinglingProjections

extension Report {
    /// Penalties by quarter, department and kind, with their count and amount; `knownAt` as a fact.
    public static func penalties(_ summary: PenaltySummary, knownAt: Int64?) throws(SummaryTotalOverflow) -> Report {
    var report = Report(facts: [
        .init(key: "penalties", zh: "处罚总数", en: "Penalties", value: .int(summary.count)),
        .init(key: "amountFen", zh: "罚没金额（元）", en: "Amount (yuan)", value: .fen(try summary.amountFen)),
    ] + knownAtFacts(knownAt))
    report.tables.append(Report.Table(key: "rows", zh: "按季度、部门、处罚种类", en: "By quarter, department and kind",
        columns: [.init(key: "quarter", zh: "季度", en: "Quarter"), .init(key: "department", zh: "部门编号", en: "Id"),
                  .init(key: "departmentName", zh: "部门", en: "Department"), .init(key: "kind", zh: "处罚种类", en: "Kind"),
                  .init(key: "count", zh: "件数", en: "Count"), .init(key: "amountFen", zh: "金额（元）", en: "Amount (yuan)")],
        rows: summary.rows.map { row in
            [.text(row.quarter.description), .text(row.department), .text(row.departmentName),
             .penaltyKind(row.kind), .int(row.count), .fen(row.amountFen)]
        }))
        return report
    }

    /// Every tip-off with what confirms it and the rewards paid; `knownAt` as a fact.
    public static func rewards(_ summary: RewardSummary, knownAt: Int64?) throws(SummaryTotalOverflow) -> Report {
    var report = Report(facts: [
        .init(key: "payments", zh: "奖励笔数", en: "Payments", value: .int(summary.payments)),
        .init(key: "paidFen", zh: "奖励总额（元）", en: "Total paid (yuan)", value: .fen(try summary.paidFen)),
    ] + knownAtFacts(knownAt))
    report.tables.append(Report.Table(key: "tipOffs", zh: "举报及奖励", en: "Tip-offs and rewards",
        columns: [.init(key: "tipOffId", zh: "举报编号", en: "Tip-off"), .init(key: "receivedOn", zh: "受理日期", en: "Received"),
                  .init(key: "channel", zh: "渠道", en: "Channel"), .init(key: "hazardIds", zh: "查实隐患", en: "Hazards"),
                  .init(key: "confirmingPenalties", zh: "关联处罚", en: "Penalties"), .init(key: "payments", zh: "奖励笔数", en: "Payments"),
                  .init(key: "paidFen", zh: "奖励金额（元）", en: "Paid (yuan)"), .init(key: "lastPaidOn", zh: "最近发放", en: "Last paid")],
        rows: summary.tipOffs.map { tip in
            [.text(tip.id), .date(tip.receivedOn), .channel(tip.channel),
             .text(tip.hazardIds.joined(separator: " ")), .int(tip.confirmingPenalties), .int(tip.payments), .fen(tip.paidFen), .date(tip.lastPaidOn)]
        }))
        return report
    }
}
