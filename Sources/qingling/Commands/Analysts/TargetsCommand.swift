import ArgumentParser
import QinglingEvents
import QinglingReports
import QinglingProjections

/// `qingling targets`: the three-year plan's targets as pass/fail checks.
struct TargetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "The plan's targets: 存量清零 by 2024-12-31, 增量遏制 in 2025, 动态清零 in 2026.",
        discussion: """
        Each target passes, fails, or is pending (its date not reached yet), with the hazards \
        that break it and who answers for each (lead department, department officer, \
        enterprise principal).

        Examples:
          qingling targets
          qingling targets --as-of 2024-12-31 --format csv
        """
    )

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "The business date of the check (default: today; for a demo log, its latest business date).", valueName: "YYYY-MM-DD"))
    var asOfText: String?

    @OptionGroup var options: AnalystOptions

    func validate() throws {
        _ = try parseDate(asOfText, option: "--as-of", options.lang)
        _ = try options.knownAt()
    }

    func run() throws {
        options.language.use()
        let (store, state) = try options.loadProjections(PlanTargets.needs)
        let date = try parseDate(asOfText, option: "--as-of", options.lang)
            ?? options.defaultDate(store, latest: options.latestKnown(store, latest: state.latestBusinessDate))
        options.print(Report.targets(PlanTargets(state, on: date, knownAt: try options.knownAt())))
    }
}
