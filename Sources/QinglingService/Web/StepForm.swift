import QinglingEvents
import QinglingWorkflow

/// The forms of the steps one may record about an existing hazard, at
/// `/hazards/{id}/{step}` (`StepPage`): one per type of `WorkflowRules.hazardStepTypes`. Each
/// says its fields (codes and dates from lists, `FormField`), their first values, and how the
/// posted fields make the event's body; who may take it is the rules' (`steps(by:on:)`).
enum StepForm: String, CaseIterable {
    case supervise, extend, rectify, verify, close, reopen, withdraw, escalate, penalty

    /// What a step's form is shown for: the hazard as the rules see it, who acts, the county, today.
    struct Context {
        var hazard: HazardRecord
        var actor: Actor
        var reference: ReferenceData
        var today: CalendarDate
        /// The tip-offs received, which a penalty may name (filled for the penalty's form only).
        var tipOffs: [String] = []
    }

    /// The form that records events of `type`, if one does.
    init?(type: EventType) {
        guard let form = Self.allCases.first(where: { $0.type == type }) else { return nil }
        self = form
    }

    /// The type of the event the form records.
    var type: EventType {
        switch self {
        case .supervise: .hazardSupervised
        case .extend: .deadlineExtended
        case .rectify: .hazardRectified
        case .verify: .hazardVerified
        case .close: .hazardClosed
        case .reopen: .hazardReopened
        case .withdraw: .hazardWithdrawn
        case .escalate: .escalationIssued
        case .penalty: .penaltyImposed
        }
    }

    /// The form's heading and button.
    var title: String {
        switch self {
        case .supervise: "交办督办"
        case .extend: "延长整改期限"
        case .rectify: "整改完成、申请销号"
        case .verify: "审核验收"
        case .close: "销号"
        case .reopen: "回头看复发、重新整改"
        case .withdraw: "撤销"
        case .escalate: "函告、通报、约谈、曝光"
        case .penalty: "执法处罚"
        }
    }

    /// The form's fields for `context`, in the order shown.
    func fields(_ context: Context) -> [FormField] {
        switch self {
        case .supervise:
            let principalRequired = context.hazard.report.enterprise != nil
            return [
                FormField("leadDepartment", "牵头部门", .choice(context.reference.departments.map { .init(value: $0.id, label: $0.name) })),
                FormField("supervisionLevel", "督办级别", .choice(SupervisionLevel.allCases.map { .init(value: $0.rawValue, label: $0.text(.zh)) })),
                FormField("deadline", "整改期限", .date, hint: "须晚于发现日期 \(context.hazard.report.discoveredOn)。"),
                FormField("principalName", "主要负责人姓名", .line, required: principalRequired),
                FormField("principalId", "主要负责人编号", .line, required: principalRequired),
                FormField("controllerName", "实际控制人姓名（如有）", .line, required: false),
                FormField("controllerId", "实际控制人编号（如有）", .line, required: false),
                FormField("officerName", "部门责任人姓名", .line),
                FormField("officerId", "部门责任人编号", .line),
                FormField("townOfficerName", "属地责任人姓名", .line),
                FormField("townOfficerId", "属地责任人编号", .line),
            ]
        case .extend:
            return [FormField("newDeadline", "新整改期限", .date, hint: context.hazard.deadline.map { "须晚于现行期限 \($0)。" }),
                    FormField("reason", "延期理由", .paragraph)]
        case .rectify:
            return [FormField("completedOn", "整改完成日期", .date), FormField("measures", "整改措施", .paragraph),
                    FormField("funds", "整改资金（元）", .yuan)]
        case .verify:
            return [FormField("outcome", "审核结论", .choice(VerificationOutcome.allCases.map { .init(value: $0.rawValue, label: $0.text(.zh)) })),
                    FormField("findings", "审核意见", .paragraph)]
        case .close:
            return [FormField("note", "销号说明", .paragraph)]
        case .reopen:
            return [FormField("reason", "复发原因", .paragraph), FormField("newDeadline", "新整改期限", .date)]
        case .withdraw:
            return [FormField("reason", "撤销理由", .paragraph, hint: "如：经复核不属于重大事故隐患。")]
        case .escalate:
            return [FormField("level", "问责方式", .choice(EscalationLevel.allCases.map { .init(value: $0.rawValue, label: $0.text(.zh)) })),
                    FormField("target", "对象", .choice(Self.targets(context).map { .init(value: Self.key($0), label: "\($0.kind.label)：\($0.name)") })),
                    FormField("reason", "事由", .paragraph, required: false)]
        case .penalty:
            return [FormField("kind", "处罚种类", .choice(PenaltyKind.allCases.map { .init(value: $0.rawValue, label: $0.text(.zh)) })),
                    FormField("amount", "罚款金额（元）", .yuan, required: false, hint: "罚款须大于 0；其他种类可不填。"),
                    FormField("legalBasis", "法律依据", .line), FormField("caseNumber", "案号", .line)]
                + (context.tipOffs.isEmpty ? [] : [FormField("tipOffId", "所据举报编号（如有）", FormField.names(context.tipOffs), required: false,
                                                              hint: "由举报查实而处罚的，选择受理时的举报编号。")])
        }
    }

    /// The first values of the fields: today for the day of a step, the actor's own department
    /// and person where they are the likely answer, the persons named before.
    func defaults(_ context: Context) -> [String: String] {
        switch self {
        case .supervise:
            let report = context.hazard.report
            let ownDepartment = context.actor.organization.kind == .department ? context.actor.organization.id : nil
            var values = ["supervisionLevel": SupervisionLevel.county.rawValue,
                          "leadDepartment": ownDepartment ?? context.reference.leadDepartment(forIndustry: report.industry)?.id ?? ""]
            if ownDepartment != nil {
                values["officerName"] = context.actor.person.name
                values["officerId"] = context.actor.person.id
            }
            return values
        case .rectify: return ["completedOn": context.today.description]
        case .verify: return ["outcome": VerificationOutcome.passed.rawValue]
        case .escalate: return ["level": EscalationLevel.letter.rawValue]
        case .extend, .close, .reopen, .withdraw, .penalty: return [:]
        }
    }

    /// Whom an escalation about the hazard may be addressed to: its enterprise, its town, its
    /// lead department.
    static func targets(_ context: Context) -> [OrganizationRef] {
        var targets: [OrganizationRef] = []
        if let enterprise = context.hazard.report.enterprise {
            targets.append(OrganizationRef(kind: .enterprise, id: enterprise.creditCode, name: enterprise.name))
        }
        if let region = context.reference.region(named: context.hazard.report.region) { targets.append(region.organization) }
        if let lead = context.hazard.supervision?.leadDepartment {
            targets.append(OrganizationRef(kind: .department, id: lead.id, name: lead.name))
        }
        return targets
    }

    /// An organisation as the value of a list entry.
    static func key(_ organization: OrganizationRef) -> String {
        organization.kind.rawValue + ":" + organization.id
    }
}
