import ArgumentParser
import QinglingEvents
import QinglingReports
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
    var only: OverdueAlerts.List?

    @OptionGroup var options: AnalystOptions


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
        let (store, state) = try options.loadProjections(OverdueAlerts.needs)
        let date = try parseDate(asOfText, option: "--as-of", options.lang)
            ?? options.defaultDate(store, latest: options.latestKnown(store, latest: state.latestBusinessDate))
        let alerts = OverdueAlerts(state, on: date, knownAt: try options.knownAt(), ladder: ladder ?? .standard)
        options.print(Report.overdue(alerts, thresholds: ladder?.description ?? thresholds, only: only))
    }
}

extension OverdueAlerts.List: ExpressibleByArgument {}
