import ArgumentParser
import QinglingEvents
import QinglingProjections

/// `qingling overdue`: overdue alerts with the escalation ladder.
struct OverdueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue",
        abstract: "Overdue alerts (进展缓慢 → 函告、通报、约谈、曝光) as of a date.",
        discussion: """
        Lists every open hazard past its deadline in force, with days overdue, the escalation \
        level due by the ladder, the highest escalation already issued since it fell overdue, \
        and whether a higher one is due; hazards reported but not supervised within 7 days; \
        hazards awaiting verification more than 10 days; hazards due within 7 days.

        Examples:
          qingling overdue
          qingling overdue --as-of 2025-06-30 --thresholds 1,10,20,40
          qingling overdue --only overdue --format csv > overdue.csv
        """
    )

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "The business date (default: today; for a demo log on the simulated clock, its latest business date).", valueName: "YYYY-MM-DD"))
    var asOfText: String?

    @Option(help: ArgumentHelp("Days overdue at which a letter, notice, summons and exposure are due.", valueName: "L,N,S,E"))
    var thresholds = EscalationLadder.standard.description

    @Option(help: "Only one list: overdue, unsupervised, awaiting-verification or due-soon.")
    var only: AlertList?

    @OptionGroup var options: AnalystOptions

    enum AlertList: String, ExpressibleByArgument, CaseIterable {
        case overdue, unsupervised, awaitingVerification = "awaiting-verification", dueSoon = "due-soon"
    }

    func validate() throws {
        guard ladder != nil else { throw ValidationError(options.lang.pick(
            zh: "--thresholds \(thresholds) 应为四个递增的整天数，第一个至少为 1（如 1,15,30,60）",
            en: "--thresholds \(thresholds) must be four ascending whole numbers of days, the first at least 1 (e.g. 1,15,30,60)"))
        }
        _ = try parseDate(asOfText, option: "--as-of", options.lang)
        _ = try options.knownAt()
    }

    private var ladder: EscalationLadder? {
        EscalationLadder(thresholds.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
    }

    func run() throws {
        options.language.use()
        let (store, state) = try options.loadProjections()
        let date = try parseDate(asOfText, option: "--as-of", options.lang)
            ?? options.defaultDate(store, latest: options.latestKnown(store, latest: state.latestBusinessDate))
        let alerts = OverdueAlerts(state, on: date, knownAt: try options.knownAt(), ladder: ladder ?? .standard)
        var report = Report(facts: [
            .init(key: "asOf", zh: "截止日", en: "As of", value: .date(date)),
            .init(key: "thresholds", zh: "问责阈值（天）", en: "Escalation thresholds (days)", value: .text(ladder?.description ?? thresholds)),
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
        options.print(report)
    }
}
