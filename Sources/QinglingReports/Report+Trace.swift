import QinglingEvents
import QinglingProjections
import QinglingWorkflow

extension Report {
    /// The accountability trace-back of `traces`: the chain of actions (the links `links` keeps;
    /// none when `nil`), the findings `findings` keeps, and an enterprise's `penalties`; a
    /// hazard column unless the report is of `oneHazard`.
    public static func trace(_ traces: [HazardTrace], penalties: [StoredEvent]?, facts: [Fact], oneHazard: Bool,
                             links: ((HazardTrace.Link) -> Bool)?, findings: (TraceFinding) -> Bool) -> Report {
        var report = Report(facts: facts)
        report.facts.append(.init(key: "hazards", zh: "涉及隐患", en: "Hazards", value: .int(traces.count)))
        let many = !oneHazard
        let hazardColumn: [Report.Column] = many ? [.init(key: "hazardId", zh: "隐患编号", en: "Hazard")] : []
        if let linkFilter = links {
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
                trace.findings.filter(findings).map { (many ? [.text(trace.hazardId)] : []) + findingCells($0) }
            }))
        if let penalties {
            report.tables.append(Report.Table(key: "penalties", zh: "处罚", en: "Penalties",
                columns: [.init(key: "sequence", zh: "日志序号", en: "Seq"), .init(key: "occurredAt", zh: "发生时间", en: "Occurred"),
                          .init(key: "organization", zh: "执法部门", en: "Department"), .init(key: "detail", zh: "内容", en: "Detail")],
                rows: penalties.map { stored in
                    [.int(Int(stored.sequence)), .text(stored.event.occurredAt.description), .text(stored.event.actor.organization.name),
                     .words { HazardTrace.detail(of: stored.event.body, $0) }]
                }))
        }
        return report
    }

    /// The facts of a trace: the as-of date and the recording time it is known at.
    public static func traceFacts(asOf: CalendarDate, knownAt: Int64?) -> [Fact] {
        [.init(key: "asOf", zh: "截止日", en: "As of", value: .date(asOf)),
         .init(key: "knownAt", zh: "记录截止", en: "Known at", value: knownAt.map { .text(ShanghaiDateTime(microseconds: $0).description) } ?? .none)]
    }

    /// A hazard's own facts: its id, region, industry, enterprise and discovery date.
    public static func hazardFacts(_ trace: HazardTrace) -> [Fact] {
        guard let report = trace.report else { return [.init(key: "hazardId", zh: "隐患编号", en: "Hazard", value: .text(trace.hazardId))] }
        return [.init(key: "hazardId", zh: "隐患编号", en: "Hazard", value: .text(trace.hazardId)),
                .init(key: "region", zh: "地区", en: "Region", value: .text(report.region)),
                .init(key: "industry", zh: "行业", en: "Industry", value: .industry(report.industry)),
                .init(key: "enterprise", zh: "企业", en: "Enterprise", value: report.enterprise.map { .text("\($0.name) (\($0.creditCode))") } ?? .none),
                .init(key: "discoveredOn", zh: "发现日期", en: "Discovered", value: .date(report.discoveredOn))]
    }

    static func findingCells(_ finding: TraceFinding) -> [Cell] {
        let to: Cell = finding.to.map { .date($0) } ?? .words { $0.pick(zh: "仍在持续", en: "ongoing") }
        let sequences = finding.sequences.map(String.init).joined(separator: " ")
        return [.finding(finding.kind), .date(finding.from), to, .int(finding.days),
                .words { lang in finding.responsible.map { describe($0, lang) }.joined(separator: "; ") }, .text(sequences),
                .words(finding.detail.text)]
    }

    /// `capacity: organisation person (id)`, the capacity in `lang`.
    static func describe(_ party: TraceFinding.Party, _ lang: Language) -> String {
        let who = [party.organization, party.person.map { "\($0.name) (\($0.id))" }].compactMap { $0 }.joined(separator: " ")
        return "\(party.capacityText(lang)): \(who.isEmpty ? "—" : who)"
    }
}
