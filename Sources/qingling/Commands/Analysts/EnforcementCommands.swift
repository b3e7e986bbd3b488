import ArgumentParser
import QinglingEvents
import QinglingProjections

/// `qingling penalties`: penalties by department, kind and quarter.
struct PenaltiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "penalties",
        abstract: "Enforcement penalties by department, kind and quarter (打非治违通报).",
        discussion: """
        Counts and amounts (yuan in tables and CSV, fen in JSON) of every penalty, by the \
        quarter of its business date, the imposing department and the kind of penalty.

        Examples:
          qingling penalties
          qingling penalties --from 2025Q1 --to 2025Q4 --department lx-yjj
          qingling penalties --known-at 2025-01-05      # as the ledger stood on 5 January
        """
    )

    @Option(help: ArgumentHelp("First quarter (default: the first with penalties).", valueName: "QUARTER"))
    var from: String?

    @Option(help: ArgumentHelp("Last quarter (default: the last with penalties).", valueName: "QUARTER"))
    var to: String?

    @Option(help: ArgumentHelp("Only this department (its id, e.g. lx-yjj).", valueName: "ID"))
    var department: String?

    @OptionGroup var options: AnalystOptions

    func validate() throws {
        for (name, text) in [("--from", from), ("--to", to)] {
            if let text, Quarter(text) == nil { throw ValidationError(options.lang.pick(zh: "\(name) \(text) 不是季度（应如 2025Q1）", en: "\(name) \(text) is not a quarter like 2025Q1")) }
        }
        _ = try options.knownAt()
    }

    func run() throws {
        options.language.use()
        let knownAt = try options.knownAt()
        let reference = try options.reference.load()
        let (_, state) = try options.loadProjectionsAsKnown()
        let first = from.flatMap(Quarter.init) ?? Quarter(year: 1900, number: 1)
        let last = to.flatMap(Quarter.init) ?? Quarter(year: 2999, number: 4)
        guard first <= last else { throw ValidationError(options.lang.pick(zh: "--from \(first) 晚于 --to \(last)", en: "--from \(first) is after --to \(last)")) }
        let summary = PenaltySummary(state, quarters: first...last, department: department, reference: reference)
        var report = Report(facts: [
            .init(key: "penalties", zh: "处罚总数", en: "Penalties", value: .int(summary.count)),
            .init(key: "amountFen", zh: "罚没金额（元）", en: "Amount (yuan)", value: .fen(try summary.amountFen)),
        ] + options.knownAtFacts(knownAt))
        report.tables.append(Report.Table(key: "rows", zh: "按季度、部门、处罚种类", en: "By quarter, department and kind",
            columns: [.init(key: "quarter", zh: "季度", en: "Quarter"), .init(key: "department", zh: "部门编号", en: "Id"),
                      .init(key: "departmentName", zh: "部门", en: "Department"), .init(key: "kind", zh: "处罚种类", en: "Kind"),
                      .init(key: "count", zh: "件数", en: "Count"), .init(key: "amountFen", zh: "金额（元）", en: "Amount (yuan)")],
            rows: summary.rows.map { row in
                [.text(row.quarter.description), .text(row.department), .text(row.departmentName),
                 .penaltyKind(row.kind), .int(row.count), .fen(row.amountFen)]
            }))
        options.print(report)
    }
}

/// `qingling rewards`: rewards paid per tip-off.
struct RewardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewards",
        abstract: "Tip-off rewards (举报奖励): every tip-off, what confirms it, rewards paid, and the total.",
        discussion: """
        Examples:
          qingling rewards
          qingling rewards --paid-only --format csv
          qingling rewards --known-at 2025-06-30
        """
    )

    @Flag(help: "Only tip-offs with a reward paid.")
    var paidOnly = false

    @OptionGroup var options: AnalystOptions

    func validate() throws {
        _ = try options.knownAt()
    }

    func run() throws {
        options.language.use()
        let knownAt = try options.knownAt()
        let (_, state) = try options.loadProjectionsAsKnown()
        let summary = RewardSummary(state, paidOnly: paidOnly)
        var report = Report(facts: [
            .init(key: "payments", zh: "奖励笔数", en: "Payments", value: .int(summary.payments)),
            .init(key: "paidFen", zh: "奖励总额（元）", en: "Total paid (yuan)", value: .fen(try summary.paidFen)),
        ] + options.knownAtFacts(knownAt))
        report.tables.append(Report.Table(key: "tipOffs", zh: "举报及奖励", en: "Tip-offs and rewards",
            columns: [.init(key: "tipOffId", zh: "举报编号", en: "Tip-off"), .init(key: "receivedOn", zh: "受理日期", en: "Received"),
                      .init(key: "channel", zh: "渠道", en: "Channel"), .init(key: "hazardIds", zh: "查实隐患", en: "Hazards"),
                      .init(key: "confirmingPenalties", zh: "关联处罚", en: "Penalties"), .init(key: "payments", zh: "奖励笔数", en: "Payments"),
                      .init(key: "paidFen", zh: "奖励金额（元）", en: "Paid (yuan)"), .init(key: "lastPaidOn", zh: "最近发放", en: "Last paid")],
            rows: summary.tipOffs.map { tip in
                [.text(tip.id), .date(tip.receivedOn), .channel(tip.channel),
                 .text(tip.hazardIds.joined(separator: " ")), .int(tip.confirmingPenalties), .int(tip.payments), .fen(tip.paidFen), .date(tip.lastPaidOn)]
            }))
        options.print(report)
    }
}
