import ArgumentParser
import QinglingEvents
import QinglingReports
import QinglingProjections

/// `qingling ranking`: the quarterly ranking of regions and the zero-penalty flag.
struct RankingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ranking",
        abstract: "Quarterly ranking of regions (一季度一考核、一季度一排名) and departments with no penalty (零处罚).",
        discussion: """
        Regions ranked by hazards overdue at the quarter's end (fewer first), then on-time rate \
        (higher first; a region that closed nothing comes after any rate), then hazards closed \
        (more first), then region code. Departments with an enforcement duty that imposed no \
        penalty in the quarter are flagged 零处罚. A quarter still running is measured at \
        today (for a demo log, its latest business date). With --known-at, every figure, the \
        penalties included, is of the events recorded by then.

        Examples:
          qingling ranking 2025Q2
          qingling ranking 2025Q2 --format json
        """
    )

    @Argument(help: ArgumentHelp("The quarter, e.g. 2025Q2.", valueName: "QUARTER"))
    var quarterText: String

    @OptionGroup var options: AnalystOptions

    func validate() throws {
        guard Quarter(quarterText) != nil else { throw ValidationError(options.lang.pick(zh: "\(quarterText) 不是季度（应如 2025Q2）", en: "\(quarterText) is not a quarter like 2025Q2")) }
        _ = try options.knownAt()
    }

    func run() throws {
        options.language.use()
        guard let quarter = Quarter(quarterText) else { throw ExitCodes.invalidInput }
        let reference = try options.reference.load()
        let knownAt = try options.knownAt()
        let (store, state) = try options.loadProjectionsAsKnown(QuarterlyRanking.needs)
        // The state holds the events recorded by --known-at: its latest business date is the one known then.
        let asOf = options.defaultDate(store, latest: state.latestBusinessDate)
        try options.requireStarted(Period(quarter), asOf: asOf)
        let ranking = QuarterlyRanking(state, quarter: quarter, asOf: asOf, reference: reference)
        options.print(Report.ranking(ranking, quarter: quarter, knownAt: knownAt))
    }
}
