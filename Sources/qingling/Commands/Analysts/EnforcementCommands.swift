import ArgumentParser
import QinglingEvents
import QinglingReports
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
        let (_, state) = try options.loadProjectionsAsKnown(PenaltySummary.needs)
        let first = from.flatMap(Quarter.init) ?? Quarter(year: 1900, number: 1)
        let last = to.flatMap(Quarter.init) ?? Quarter(year: 2999, number: 4)
        guard first <= last else { throw ValidationError(options.lang.pick(zh: "--from \(first) 晚于 --to \(last)", en: "--from \(first) is after --to \(last)")) }
        let summary = PenaltySummary(state, quarters: first...last, department: department, reference: reference)
        options.print(try Report.penalties(summary, knownAt: knownAt))
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
        let (_, state) = try options.loadProjectionsAsKnown(RewardSummary.needs)
        let summary = RewardSummary(state, paidOnly: paidOnly)
        options.print(try Report.rewards(summary, knownAt: knownAt))
    }
}
