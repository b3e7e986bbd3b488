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
                report.facts = facts(lookup) + hazardFacts(trace)
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
                report.facts = facts(lookup) + [.init(key: "enterprise", zh: "企业", en: "Enterprise", value: .text(enterprise))]
            } else {
                let (store, state) = try options.loadProjections()
                let lookup = try self.lookup(store, latest: state.latestBusinessDate)
                report.facts = facts(lookup)
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
        report.facts.append(.init(key: "hazards", zh: "涉及隐患", en: "Hazards", value: .int(traces.count)))
        let many = traces.count != 1 || hazard == nil
        let hazardColumn: [Report.Column] = many ? [.init(key: "hazardId", zh: "隐患编号", en: "Hazard")] : []
        if !reopened {
            report.tables.append(Report.Table(key: "links", zh: "责任链", en: "Chain of actions",
                columns: hazardColumn + [.init(key: "sequence", zh: "日志序号", en: "Seq"), .init(key: "occurredAt", zh: "发生时间", en: "Occurred"),
                    .init(key: "recordedAt", zh: "记录时间", en: "Recorded"), .init(key: "type", zh: "事项", en: "Event"),
                    .init(key: "role", zh: "角色", en: "Role"), .init(key: "organization", zh: "单位", en: "Organisation"),
                    .init(key: "person", zh: "人员", en: "Person"), .init(key: "detail", zh: "内容", en: "Detail"),
                    .init(key: "laterReopened", zh: "后被复发", en: "Later reopened")],
                rows: traces.flatMap { trace in
                    trace.links.filter(linkFilter).map { link in
                        (many ? [.text(trace.hazardId)] : []) + [
                            .int(Int(link.sequence)), .text(link.occurredAt.description), .text(link.recordedAt.description),
                            .eventType(link.type), .role(link.role),
                            .text(link.organization.name), .text("\(link.person.name) (\(link.person.id))"), .words(link.detail),
                            .bool(link.laterReopened)]
                    }
                }))
        }
        report.tables.append(Report.Table(key: "findings", zh: "问责发现", en: "Findings",
            columns: hazardColumn + [.init(key: "kind", zh: "类别", en: "Finding"), .init(key: "from", zh: "起", en: "From"),
                .init(key: "to", zh: "止", en: "To"), .init(key: "days", zh: "天数", en: "Days"),
                .init(key: "responsible", zh: "责任主体", en: "Answerable"), .init(key: "sequences", zh: "相关日志序号", en: "Seqs"),
                .init(key: "detail", zh: "说明", en: "Detail")],
            rows: traces.flatMap { trace in
                trace.findings.filter(findingFilter).map { (many ? [.text(trace.hazardId)] : []) + cells($0) }
            }))
        if enterprise != nil {
            report.tables.append(Report.Table(key: "penalties", zh: "处罚", en: "Penalties",
                columns: [.init(key: "sequence", zh: "日志序号", en: "Seq"), .init(key: "occurredAt", zh: "发生时间", en: "Occurred"),
                          .init(key: "organization", zh: "执法部门", en: "Department"), .init(key: "detail", zh: "内容", en: "Detail")],
                rows: penalties.map { stored in
                    [.int(Int(stored.sequence)), .text(stored.event.occurredAt.description), .text(stored.event.actor.organization.name),
                     .words { HazardTrace.detail(of: stored.event.body, $0) }]
                }))
        }
        options.print(report)
    }

    private func cells(_ finding: TraceFinding) -> [Report.Cell] {
        let to: Report.Cell = finding.to.map { .date($0) } ?? .words { $0.pick(zh: "仍在持续", en: "ongoing") }
        let sequences = finding.sequences.map(String.init).joined(separator: " ")
        return [.finding(finding.kind), .date(finding.from), to, .int(finding.days),
                .words { lang in finding.responsible.map { Self.describe($0, lang) }.joined(separator: "; ") }, .text(sequences),
                .words(finding.detail.text)]
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

    private func facts(_ lookup: TraceLookup) -> [Report.Fact] {
        [.init(key: "asOf", zh: "截止日", en: "As of", value: .date(lookup.asOf)),
         .init(key: "knownAt", zh: "记录截止", en: "Known at", value: lookup.knownAt.map { .text(ShanghaiDateTime(microseconds: $0).description) } ?? .none)]
    }

    private func hazardFacts(_ trace: HazardTrace) -> [Report.Fact] {
        guard let report = trace.report else { return [.init(key: "hazardId", zh: "隐患编号", en: "Hazard", value: .text(trace.hazardId))] }
        return [.init(key: "hazardId", zh: "隐患编号", en: "Hazard", value: .text(trace.hazardId)),
                .init(key: "region", zh: "地区", en: "Region", value: .text(report.region)),
                .init(key: "industry", zh: "行业", en: "Industry", value: .industry(report.industry)),
                .init(key: "enterprise", zh: "企业", en: "Enterprise", value: report.enterprise.map { .text("\($0.name) (\($0.creditCode))") } ?? .none),
                .init(key: "discoveredOn", zh: "发现日期", en: "Discovered", value: .date(report.discoveredOn))]
    }

    /// `capacity: organisation person (id)`, the capacity in `lang`.
    static func describe(_ party: TraceFinding.Party, _ lang: Language) -> String {
        let who = [party.organization, party.person.map { "\($0.name) (\($0.id))" }].compactMap { $0 }.joined(separator: " ")
        return "\(party.capacityText(lang)): \(who.isEmpty ? "—" : who)"
    }
}
