import QinglingEvents

/// The form that reports a hazard (排查上报) at `/report` (`ReportPage`): an enterprise reports
/// for itself only (its credit code and name fixed), a town for its own region only (fixed),
/// departments and the committee for any enterprise and region.
struct ReportForm {
    var actor: Actor
    var reference: ReferenceData
    var today: CalendarDate
    /// The tip-offs received, which a department's or the committee's report may name.
    var tipOffs: [String] = []

    /// The region a town reports for, fixed to its own.
    var ownRegion: Region? {
        actor.organization.kind == .town ? reference.region(code: actor.organization.id) : nil
    }

    /// The enterprise an enterprise reports for, fixed to itself.
    var ownEnterprise: EnterpriseRef? {
        actor.organization.kind == .enterprise ? EnterpriseRef(creditCode: actor.organization.id, name: actor.organization.name) : nil
    }

    /// The values the form does not let the caller choose, shown above the fields.
    var fixed: [HazardPage.Fact] {
        var facts: [HazardPage.Fact] = []
        if let enterprise = ownEnterprise {
            facts.append(.init(label: "生产经营单位", value: "\(enterprise.name)（\(enterprise.creditCode)）"))
        }
        if let region = ownRegion { facts.append(.init(label: "所在区域", value: region.name)) }
        return facts
    }

    /// The fields, in the order shown.
    var fields: [FormField] {
        var fields: [FormField] = []
        if ownEnterprise == nil {
            fields.append(FormField("creditCode", "生产经营单位统一社会信用代码", .line, required: false, hint: "18 位；无生产经营单位的隐患不填。"))
            fields.append(FormField("enterpriseName", "生产经营单位名称", .line, required: false))
        }
        if ownRegion == nil { fields.append(FormField("region", "所在区域", FormField.names(reference.regions.map(\.name)))) }
        fields.append(FormField("industry", "行业领域", FormField.names(reference.industries)))
        fields.append(FormField("criterionClause", "判定标准条款", .line, hint: "如：烟花爆竹生产经营单位重大事故隐患判定标准第三条。"))
        fields.append(FormField("description", "隐患描述", .paragraph))
        fields.append(FormField("source", "隐患来源", .choice(HazardSource.allCases.map { .init(value: $0.rawValue, label: $0.text(.zh)) })))
        fields.append(FormField("discoveredOn", "发现日期", .date, hint: "不得晚于今天。"))
        if !tipOffs.isEmpty {
            fields.append(FormField("tipOffId", "所据举报编号（如有）", FormField.names(tipOffs), required: false, hint: "由举报查实的隐患，选择受理时的举报编号。"))
        }
        return fields
    }

    /// The first values: discovered today, by self-check for an enterprise, by inspection otherwise.
    var defaults: [String: String] {
        let source: HazardSource = ownEnterprise == nil ? .departmentInspection : .selfCheck
        return ["discoveredOn": today.description, "source": source.rawValue]
    }

    /// The report from the posted fields, numbered by `hazardId` for the year of its discovery,
    /// or `nil` when a field is refused (its message in `reader`).
    func body(_ reader: inout FormReader, hazardId: (Int) -> String) -> EventBody? {
        let fields = Dictionary(uniqueKeysWithValues: self.fields.map { ($0.name, $0) })
        var enterprise = ownEnterprise
        if let code = fields["creditCode"], let name = fields["enterpriseName"] {
            let creditCode = reader.text(code)
            let enterpriseName = reader.text(name)
            switch (creditCode, enterpriseName) {
            case let (creditCode?, name?):
                if let problem = CreditCode.problem(creditCode) {
                    reader.refuse(field: code, "「\(creditCode)」不是有效的统一社会信用代码：\(problem.message(.zh))。")
                } else {
                    enterprise = EnterpriseRef(creditCode: creditCode, name: name)
                }
            case (nil, nil): break
            case (nil, _?): reader.refuse(field: code, "请同时填写「\(code.label)」，或都不填（无生产经营单位）。")
            case (_?, nil): reader.refuse(field: name, "请同时填写「\(name.label)」。")
            }
        }
        let region = ownRegion?.name ?? fields["region"].flatMap { reader.choice($0) }
        let industry = fields["industry"].flatMap { reader.choice($0) }
        let clause = fields["criterionClause"].flatMap { reader.text($0) }
        let description = fields["description"].flatMap { reader.text($0) }
        let source = fields["source"].flatMap { reader.code($0, as: HazardSource.self) }
        let discovered = fields["discoveredOn"].flatMap { reader.date($0) }
        let tipOff = fields["tipOffId"].flatMap { reader.choice($0) }
        guard let region, let industry, let clause, let description, let source, let discovered, reader.errors.isEmpty else { return nil }
        return .hazardReported(HazardReported(hazardId: hazardId(discovered.components.year), enterprise: enterprise, region: region,
                                              industry: industry, criterionClause: clause, description: description, source: source,
                                              discoveredOn: discovered, tipOffId: tipOff))
    }
}
