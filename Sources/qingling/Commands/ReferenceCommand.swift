import ArgumentParser
import QinglingEvents
import QinglingReports
import QinglingWorkflow

/// `qingling reference [LIST]`: the valid codes, ids and names an event may use.
struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "List the valid codes, ids and Chinese names: regions, industries, departments and the vocabularies of the events.",
        discussion: """
        Regions (region in HazardReported; a town acts under its code), industries, departments \
        (leadDepartment, actor ids) and the committee come from the reference data: the built-in \
        Linxiang data, or --reference FILE for another county. The vocabularies (source, kind, \
        level, channel, outcome, supervisionLevel, the event types and the statuses of a hazard) \
        are the same everywhere: JSON takes the code, tables and reports show the name. Without \
        LIST, every list.

        Examples:
          qingling reference regions
          qingling reference departments --format csv > departments.csv
          qingling reference sources --lang en
          qingling reference --reference other-county.json --format json
        """
    )

    /// The lists `reference` knows.
    enum List: String, ExpressibleByArgument, CaseIterable {
        case regions, industries, departments, sources
        case organizationKinds = "organization-kinds", supervisionLevels = "supervision-levels", outcomes
        case escalationLevels = "escalation-levels", penaltyKinds = "penalty-kinds", channels
        case eventTypes = "event-types", statuses
    }

    @Argument(help: ArgumentHelp("Only this list: \(List.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "LIST"))
    var list: List?

    @OptionGroup var reference: ReferenceOption

    @Option(help: "Output: table (aligned for a terminal), json (stable English keys) or csv (one table with one header row, UTF-8 with BOM).")
    var format: OutputFormat = .table

    @OptionGroup var language: LanguageOption

    func run() throws {
        language.use()
        let lang = language.lang
        let data = try reference.load()
        var report = Report(facts: [
            .init(key: "county", zh: "县市", en: "County", value: .text(data.county)),
            .init(key: "divisionCode", zh: "行政区划代码", en: "Division code", value: .text(data.divisionCode)),
            .init(key: "hazardIdPrefix", zh: "隐患编号前缀", en: "Hazard id prefix", value: .text(data.hazardIdPrefix)),
            .init(key: "reference", zh: "参考数据", en: "Reference data",
                  value: .text(reference.file ?? lang.pick(zh: "内置（临湘市）", en: "built in (Linxiang)"))),
        ])
        let lists = list.map { [$0] } ?? List.allCases
        report.tables = lists.map { Self.table($0, data, lang: lang, json: format == .json) }
        if lists.count == 1 { report.tables[0].key = "rows" }
        Swift.print(report.render(format, lang), terminator: "")
    }

    /// One list as a table. The vocabularies show their code and their name in `lang`; in
    /// English (and in JSON) their Chinese name too, which the county's documents use.
    static func table(_ list: List, _ data: ReferenceData, lang: Language, json: Bool) -> Report.Table {
        let name = Report.Column(key: "name", zh: "名称", en: "Name")
        switch list {
        case .regions:
            return Report.Table(key: list.rawValue, zh: "属地镇（街道）", en: "Regions (towns, subdistricts, zones)",
                columns: [.init(key: "code", zh: "区划代码", en: "Code"), name, .init(key: "authority", zh: "办事机构", en: "Acting body"),
                          .init(key: "abbreviation", zh: "人员编号前缀", en: "Officer id prefix")],
                rows: data.regions.map { [.text($0.code), .text($0.name), .text($0.authority), .text($0.abbreviation)] })
        case .industries:
            return Report.Table(key: list.rawValue, zh: "行业", en: "Industries",
                columns: [name] + (lang == .en || json ? [.init(key: "en", zh: "英文名", en: "In English")] : [])
                    + [.init(key: "leadDepartment", zh: "牵头部门", en: "Lead department"), .init(key: "leadDepartmentName", zh: "牵头部门名称", en: "Lead department name")],
                rows: data.industries.map { industry in
                    let lead = data.leadDepartment(forIndustry: industry)
                    return [.text(industry)] + (lang == .en || json ? [.text(IndustryNames.text(industry, .en))] : [])
                        + [lead.map { .text($0.id) } ?? .none, lead.map { .text($0.name) } ?? .none]
                })
        case .departments:
            let kind = Report.Column(key: "kind", zh: "类别", en: "Kind")
            return Report.Table(key: list.rawValue, zh: "部门与安委办", en: "Departments and the committee",
                columns: [.init(key: "id", zh: "编号", en: "Id"), name, kind, .init(key: "abbreviation", zh: "简称", en: "Short name"),
                          .init(key: "hasEnforcementDuty", zh: "执法职责", en: "Enforcement duty"), .init(key: "industries", zh: "主管行业", en: "Industries led")],
                rows: (data.departments + [data.committee]).map { department in
                    let kindCode: OrganizationKind = department == data.committee ? .committee : .department
                    return [.text(department.id), .text(department.name), .term(code: kindCode.rawValue, zh: kindCode.text(.zh), en: kindCode.text(.en)),
                            .text(department.abbreviation), .bool(department.hasEnforcementDuty),
                            .words { lang in department.industries.map { IndustryNames.text($0, lang) }.joined(separator: " ") }]
                })
        case .sources: return vocabulary(list, zh: "隐患来源（source）", en: "Hazard sources (source)", HazardSource.allCases.map { ($0.rawValue, $0.text) }, lang, json)
        case .organizationKinds:
            return vocabulary(list, zh: "单位类别（kind）", en: "Organisation kinds (kind)", OrganizationKind.allCases.map { ($0.rawValue, $0.text) }, lang, json)
        case .supervisionLevels:
            return vocabulary(list, zh: "挂牌督办级别（supervisionLevel）", en: "Supervision levels (supervisionLevel)",
                              SupervisionLevel.allCases.map { ($0.rawValue, $0.text) }, lang, json)
        case .outcomes:
            return vocabulary(list, zh: "审核结果（outcome）", en: "Verification outcomes (outcome)", VerificationOutcome.allCases.map { ($0.rawValue, $0.text) }, lang, json)
        case .escalationLevels:
            return vocabulary(list, zh: "问责层级（level）", en: "Escalation levels (level)", EscalationLevel.allCases.map { ($0.rawValue, $0.text) }, lang, json)
        case .penaltyKinds:
            return vocabulary(list, zh: "处罚种类（kind）", en: "Penalty kinds (kind)", PenaltyKind.allCases.map { ($0.rawValue, $0.text) }, lang, json)
        case .channels:
            return vocabulary(list, zh: "举报渠道（channel）", en: "Tip-off channels (channel)", TipOffChannel.allCases.map { ($0.rawValue, $0.text) }, lang, json)
        case .eventTypes:
            return vocabulary(list, zh: "事件类型（type）", en: "Event types (type)", EventType.allCases.map { ($0.rawValue, $0.text) }, lang, json)
        case .statuses:
            return vocabulary(list, zh: "隐患状态", en: "Hazard statuses", HazardStatus.allCases.map { ($0.rawValue, $0.text) }, lang, json)
        }
    }

    private static func vocabulary(_ list: List, zh: String, en: String, _ values: [(code: String, text: (Language) -> String)],
                                   _ lang: Language, _ json: Bool) -> Report.Table {
        let chinese = lang == .en || json
        return Report.Table(key: list.rawValue, zh: zh, en: en,
            columns: [.init(key: "code", zh: "代码", en: "Code"), .init(key: chinese ? "en" : "zh", zh: "名称", en: "Name")]
                + (chinese ? [.init(key: "zh", zh: "中文名", en: "Chinese name")] : []),
            rows: values.map { value in [.text(value.code), .text(value.text(chinese ? .en : .zh))] + (chinese ? [.text(value.text(.zh))] : []) })
    }
}
