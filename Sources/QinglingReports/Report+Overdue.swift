import QinglingEvents
import QinglingProjections

extension OverdueAlerts {
    /// One of the four lists of the overdue alerts.
    public enum List: String, Sendable, CaseIterable {
        case overdue, unsupervised, awaitingVerification = "awaiting-verification", dueSoon = "due-soon"
    }
}

extension Report {
    /// The overdue alerts: the four lists (or `only` one), each hazard with its region,
    /// industry, lead department and status; `thresholds` (the escalation ladder's days) as a fact.
    public static func overdue(_ alerts: OverdueAlerts, thresholds: String, only: OverdueAlerts.List?) -> Report {
    var report = Report(facts: [
        .init(key: "asOf", zh: "截止日", en: "As of", value: .date(alerts.date)),
        .init(key: "thresholds", zh: "问责阈值（天）", en: "Escalation thresholds (days)", value: .text(thresholds)),
    ])
    let base: [Report.Column] = [
        .init(key: "hazardId", zh: "隐患编号", en: "Hazard"), .init(key: "region", zh: "地区", en: "Region"),
        .init(key: "industry", zh: "行业", en: "Industry"), .init(key: "leadDepartment", zh: "牵头部门", en: "Lead department"),
        .init(key: "status", zh: "状态", en: "Status"),
    ]
    func rows(_ list: [OverdueAlerts.Alert], extra: (OverdueAlerts.Alert) -> [Report.Cell]) -> [[Report.Cell]] {
        list.map { alert in
            [.text(alert.hazardId), .text(alert.region), .industry(alert.industry), alert.leadDepartment.map { .text($0) } ?? .none,
             .status(alert.status)] + extra(alert)
        }
    }
    if only == nil || only == .overdue {
        report.tables.append(Report.Table(key: "overdue", zh: "逾期未销号（\(alerts.overdue.count)）", en: "Overdue (\(alerts.overdue.count))",
            columns: base + [.init(key: "deadline", zh: "整改期限", en: "Deadline"), .init(key: "daysOverdue", zh: "逾期天数", en: "Days overdue"),
                             .init(key: "levelDue", zh: "应问责", en: "Level due"), .init(key: "levelIssued", zh: "已问责", en: "Issued"),
                             .init(key: "higherDue", zh: "需升级", en: "Higher due")],
            rows: rows(alerts.overdue) { alert in
                [.date(alert.since), .int(alert.days), .level(alert.levelDue), .level(alert.levelIssued), .bool(alert.higherDue)]
            }, rowKind: ("逾期未销号", "overdue")))
    }
    if only == nil || only == .unsupervised {
        report.tables.append(Report.Table(key: "unsupervised", zh: "上报超过7天未交办（\(alerts.unsupervised.count)）",
            en: "Not supervised within 7 days (\(alerts.unsupervised.count))",
            columns: base + [.init(key: "reportedOn", zh: "上报日期", en: "Reported"), .init(key: "days", zh: "天数", en: "Days")],
            rows: rows(alerts.unsupervised) { [.date($0.since), .int($0.days)] }, rowKind: ("超期未交办", "not supervised")))
    }
    if only == nil || only == .awaitingVerification {
        report.tables.append(Report.Table(key: "awaitingVerification", zh: "待审核超过10天（\(alerts.awaitingVerification.count)）",
            en: "Awaiting verification over 10 days (\(alerts.awaitingVerification.count))",
            columns: base + [.init(key: "rectifiedOn", zh: "申请销号日期", en: "Rectified"), .init(key: "days", zh: "天数", en: "Days")],
            rows: rows(alerts.awaitingVerification) { [.date($0.since), .int($0.days)] }, rowKind: ("超期待审核", "awaiting verification")))
    }
    if only == nil || only == .dueSoon {
        report.tables.append(Report.Table(key: "dueSoon", zh: "7天内到期（\(alerts.dueSoon.count)）", en: "Due within 7 days (\(alerts.dueSoon.count))",
            columns: base + [.init(key: "deadline", zh: "整改期限", en: "Deadline"), .init(key: "daysLeft", zh: "剩余天数", en: "Days left")],
            rows: rows(alerts.dueSoon) { [.date($0.since), .int(-$0.days)] }, rowKind: ("即将到期", "due soon")))
    }
        return report
    }
}
