import ArgumentParser
import QinglingEvents
import QinglingReports
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
        if let kept = try keptAnswer(period, reference: reference) {
            options.print(kept)
            return
        }
        let (store, state) = try options.loadProjections(ClearanceStatistics.needs)
        let asOf = try parseDate(asOfText, option: "--as-of", options.lang)
            ?? options.defaultDate(store, latest: options.latestKnown(store, latest: state.latestBusinessDate))
        try options.requireStarted(period, asOf: asOf)
        let knowledge = Knowledge(asOf: asOf, knownAt: try options.knownAt())
        options.print(Report.statistics(state, period: period, grouping: by, knowledge: knowledge, reference: reference))
    }

    /// The answer from the figures a current checkpoint keeps for every calendar month, quarter
    /// and year (`ProjectionStore.keptClearanceFigures`), when they answer this question: no
    /// `--known-at`, a calendar period that ended by the as-of date, nothing in the log after
    /// it. `nil` to compute it from the hazards' timelines: the same figures, read from more.
    private func keptAnswer(_ period: Period, reference: ReferenceData) throws -> Report? {
        guard try options.knownAt() == nil else { return nil }
        let store = try options.openStore()
        let found: KeptClearanceFigures?
        do throws(CheckpointError) { found = try ProjectionStore.keptClearanceFigures(store) } catch {
            printError("qingling: " + options.lang.pick(zh: "注意：检查点保存的分期统计数字未使用（qingling rebuild 会重写）：",
                                                        en: "note: the checkpoint's kept clearance figures were not used (qingling rebuild writes them again): ")
                       + "\(error)")
            return nil
        }
        guard let kept = found else { return nil }
        let asOf = try parseDate(asOfText, option: "--as-of", options.lang)
            ?? options.defaultDate(store, latest: options.latestKnown(store, latest: kept.latestBusinessDate))
        try options.requireStarted(period, asOf: asOf)
        guard let statistics = ClearanceStatistics(kept: kept, period: period, grouping: by, knowledge: Knowledge(asOf: asOf), reference: reference) else {
            return nil
        }
        return Report.statistics(statistics, grouping: by, reference: reference)
    }
}

extension ClearanceGrouping: ExpressibleByArgument {}
