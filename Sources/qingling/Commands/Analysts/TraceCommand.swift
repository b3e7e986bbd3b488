import ArgumentParser
import QinglingEvents
import QinglingReports
import QinglingProjections
import QinglingWorkflow

/// `qingling trace`: accountability trace-back.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Accountability trace-back (责任倒查): the chain of actions and the findings, by hazard, enterprise, person or organisation.",
        discussion: """
        Every link names the log sequence of its event (check it with `qingling export --from \
        SEQ --to SEQ`), the organisation, the person and their role. Findings: supervised more \
        than 7 days after the report, each span overdue, verification more than 10 days after \
        rectification, failed verifications, closures later reopened (with the verifier and \
        closer), escalations and penalties. Hazards are found through the log's index.

        Examples:
          qingling trace --hazard LX-2024-0032
          qingling trace --enterprise 91430682MA4PBX3D25
          qingling trace --person yjj-017          # what this officer did, and what was later reopened
          qingling trace --organization lx-zjj
          qingling trace --reopened                # every closure later reopened, verifier and closer
        """
    )

    @Option(help: ArgumentHelp("One hazard.", valueName: "ID")) var hazard: String?
    @Option(help: ArgumentHelp("Every hazard and penalty of an enterprise.", valueName: "CREDIT-CODE")) var enterprise: String?
    @Option(help: ArgumentHelp("Everything a person did or answers for.", valueName: "PERSON-ID")) var person: String?
    @Option(help: ArgumentHelp("Everything an organisation did or answers for.", valueName: "ORG-ID")) var organization: String?
    @Flag(help: "Every hazard closed and later reopened.") var reopened = false

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Spans still running are measured to this date (default: today; for a demo log, its latest business date).", valueName: "YYYY-MM-DD"))
    var asOfText: String?

    @OptionGroup var options: AnalystOptions

    func validate() throws {
        let chosen = [hazard != nil, enterprise != nil, person != nil, organization != nil, reopened].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError(options.lang.pick(
            zh: "请只给出 --hazard、--enterprise、--person、--organization、--reopened 中的一个",
            en: "give exactly one of --hazard, --enterprise, --person, --organization, --reopened")) }
        _ = try parseDate(asOfText, option: "--as-of", options.lang)
        _ = try options.knownAt()
    }

    func run() throws {
        options.language.use()
        let lang = options.lang
        var traces: [HazardTrace] = []
        var penalties: [StoredEvent] = []
        var report = Report()
        var linkFilter: (HazardTrace.Link) -> Bool = { _ in true }
        var findingFilter: (TraceFinding) -> Bool = { _ in true }
        do {
            if let hazard {
                let store = try openStore()
                let lookup = try self.lookup(store, latest: options.latestBusinessDate(store))
                guard let trace = try lookup.hazard(hazard) else {
                    throw nowhere(lang.pick(zh: "隐患 \(hazard)", en: "hazard \(hazard)"), lookup,
                                  outOfView: try lookup.outOfViewToo.hazard(hazard) != nil,
                                  find: lang.pick(zh: "`qingling overdue` 或 `qingling export --type HazardReported` 列出隐患编号",
                                                  en: "`qingling overdue` or `qingling export --type HazardReported` lists hazard ids"))
                }
                traces = [trace]
                report.facts = Report.traceFacts(asOf: lookup.asOf, knownAt: lookup.knownAt) + Report.hazardFacts(trace)
            } else if let enterprise {
                let store = try openStore()
                let lookup = try self.lookup(store, latest: options.latestBusinessDate(store))
                (traces, penalties) = try lookup.enterprise(enterprise)
                guard !traces.isEmpty || !penalties.isEmpty else {
                    let all = try lookup.outOfViewToo.enterprise(enterprise)
                    throw nowhere(lang.pick(zh: "统一社会信用代码 \(enterprise)", en: "credit code \(enterprise)"), lookup,
                                  outOfView: !all.hazards.isEmpty || !all.penalties.isEmpty,
                                  find: lang.pick(zh: "`qingling export --type HazardReported` 列出上报隐患的企业及其代码",
                                                  en: "`qingling export --type HazardReported` lists the enterprises reported and their codes"))
                }
                report.facts = Report.traceFacts(asOf: lookup.asOf, knownAt: lookup.knownAt) + [.init(key: "enterprise", zh: "企业", en: "Enterprise", value: .text(enterprise))]
            } else {
                let (store, state) = try options.loadProjections(TraceLookup.needs)
                let lookup = try self.lookup(store, latest: state.latestBusinessDate)
                report.facts = Report.traceFacts(asOf: lookup.asOf, knownAt: lookup.knownAt)
                if let person {
                    traces = try lookup.party("P:" + person, in: state)
                    guard !traces.isEmpty else {
                        throw nowhere(lang.pick(zh: "人员 \(person)", en: "person \(person)"), lookup,
                                      outOfView: !(try lookup.outOfViewToo.party("P:" + person, in: state)).isEmpty,
                                      find: lang.pick(zh: "`qingling export --hazard ID` 列出对一个隐患办事的人员及其编号",
                                                      en: "`qingling export --hazard ID` shows the people who acted on a hazard, with their ids"))
                    }
                    linkFilter = { $0.person.id == person }
                    findingFilter = { $0.responsible.contains { $0.person?.id == person } }
                    report.facts.append(.init(key: "person", zh: "人员", en: "Person", value: .text(person)))
                } else if let organization {
                    traces = try lookup.party("O:" + organization, in: state)
                    guard !traces.isEmpty else {
                        throw nowhere(lang.pick(zh: "单位 \(organization)", en: "organisation \(organization)"), lookup,
                                      outOfView: !(try lookup.outOfViewToo.party("O:" + organization, in: state)).isEmpty,
                                      find: lang.pick(zh: "`qingling reference departments` 列出部门编号，`qingling reference regions` 列出镇街代码",
                                                      en: "`qingling reference departments` lists the departments' ids, `qingling reference regions` the towns' codes"))
                    }
                    let names = Set(traces.flatMap(\.links).filter { $0.organization.id == organization }.map(\.organization.name))
                    linkFilter = { $0.organization.id == organization }
                    findingFilter = { $0.responsible.contains { $0.organization.map(names.contains) ?? false } }
                    report.facts.append(.init(key: "organization", zh: "单位", en: "Organisation", value: .text(organization)))
                } else {
                    traces = try lookup.reopened(in: state)
                    findingFilter = { $0.kind == .reopenedAfterClosure }
                }
            }
        } catch let error as StoreError {
            throw ExitCodes.report(error)
        }
        let links: ((HazardTrace.Link) -> Bool)? = reopened ? nil : linkFilter
        let enterprisePenalties: [StoredEvent]? = enterprise == nil ? nil : penalties
        options.print(Report.trace(traces, penalties: enterprisePenalties, facts: report.facts, oneHazard: hazard != nil && traces.count == 1,
                                   links: links, findings: findingFilter))
    }

    /// The error for an id that no event in view names (exit 2): which id, and either the view
    /// that leaves out the events naming it (`outOfView`: they happened after `--as-of` or
    /// were recorded after `--known-at`) or, when no event of the log names it, how to find
    /// valid ones (`find`).
    private func nowhere(_ what: String, _ lookup: TraceLookup, outOfView: Bool, find: String) -> ExitCode {
        let lang = options.lang
        guard outOfView else {
            printError("qingling: " + lang.pick(zh: "\(options.log.directory) 中没有事件涉及\(what)；\(find)",
                                                en: "no event in \(options.log.directory) names \(what); \(find)"))
            return ExitCodes.invalidInput
        }
        let knownAt = lookup.knownAt.map { ShanghaiDateTime(microseconds: $0).description }
        let later = knownAt == nil ? "--as-of" : lang.pick(zh: "--as-of 或 --known-at", en: "--as-of or --known-at")
        printError("qingling: " + lang.pick(
            zh: "截至 \(lookup.asOf)\(knownAt.map { "、记录截至 \($0)" } ?? "")，在视图内的事件都不涉及\(what)；涉及它的事件发生或记录得更晚，请用更晚的 \(later)",
            en: "no event in view (as of \(lookup.asOf)\(knownAt.map { ", known at \($0)" } ?? "")) names \(what); "
                + "the events that name it happened or were recorded later: give a later \(later)"))
        return ExitCodes.invalidInput
    }

    private func openStore() throws(StoreError) -> EventStore { try EventStore(readingFrom: options.log.directory) }

    /// The look-up as of `--as-of` (by default today, or on a log on the simulated clock its
    /// latest business date `latest`, as known at `--known-at`) and as known at `--known-at`.
    private func lookup(_ store: EventStore, latest: CalendarDate?) throws -> TraceLookup {
        let asOf = try parseDate(asOfText, option: "--as-of", options.lang)
            ?? options.defaultDate(store, latest: options.latestKnown(store, latest: latest))
        return TraceLookup(store: store, asOf: asOf, knownAt: try options.knownAt())
    }

}
