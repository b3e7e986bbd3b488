import ArgumentParser
import QinglingEvents
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
        let (store, state) = try options.loadProjectionsAsKnown()
        // The state holds the events recorded by --known-at: its latest business date is the one known then.
        let asOf = options.defaultDate(store, latest: state.latestBusinessDate)
        try options.requireStarted(Period(quarter), asOf: asOf)
        let ranking = QuarterlyRanking(state, quarter: quarter, asOf: asOf, reference: reference)
        var report = Report(facts: [.init(key: "quarter", zh: "季度", en: "Quarter", value: .text(quarter.description)),
                                    .init(key: "endMeasuredOn", zh: "期末", en: "End measured at", value: .date(ranking.measuredEnd))]
                                    + options.knownAtFacts(knownAt))
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
        options.print(report)
    }
}
