import QinglingEvents

/// The event's body a step's form makes of its posted fields.
extension StepForm {
    /// The event's body from the posted fields, or `nil` when a field is refused (its message
    /// in `reader`); also `nil` for a penalty on a hazard without an enterprise (said at the top).
    func body(_ reader: inout FormReader, _ context: Context) -> EventBody? {
        let fields = Dictionary(uniqueKeysWithValues: self.fields(context).map { ($0.name, $0) })
        // Every name asked for is one of `fields(_:)`: the two lists are side by side above.
        func field(_ name: String) -> FormField { fields[name] ?? FormField(name, name, .line) }
        let id = context.hazard.hazardId
        switch self {
        case .supervise:
            let lead = reader.choice(field("leadDepartment")).flatMap(context.reference.department(id:))
            let level = reader.code(field("supervisionLevel"), as: SupervisionLevel.self)
            let deadline = reader.date(field("deadline"))
            let principal = Self.person(&reader, field("principalName"), field("principalId"))
            let controller = Self.person(&reader, field("controllerName"), field("controllerId"))
            let officer = Self.person(&reader, field("officerName"), field("officerId"))
            let townOfficer = Self.person(&reader, field("townOfficerName"), field("townOfficerId"))
            guard let lead, let level, let deadline, let officer, let townOfficer, reader.errors.isEmpty else { return nil }
            return .hazardSupervised(HazardSupervised(hazardId: id, leadDepartment: lead.reference, supervisionLevel: level, deadline: deadline,
                                                      responsible: ResponsiblePersons(enterprisePrincipal: principal, actualController: controller,
                                                                                      departmentOfficer: officer, townOfficer: townOfficer)))
        case .extend:
            let deadline = reader.date(field("newDeadline"))
            let reason = reader.text(field("reason"))
            guard let deadline, let reason else { return nil }
            return .deadlineExtended(DeadlineExtended(hazardId: id, newDeadline: deadline, reason: reason))
        case .rectify:
            let completed = reader.date(field("completedOn"))
            let measures = reader.text(field("measures"))
            let funds = reader.fen(field("funds"))
            guard let completed, let measures, let funds else { return nil }
            return .hazardRectified(HazardRectified(hazardId: id, completedOn: completed, measures: measures, fundsFen: funds))
        case .verify:
            let outcome = reader.code(field("outcome"), as: VerificationOutcome.self)
            let findings = reader.text(field("findings"))
            guard let outcome, let findings else { return nil }
            return .hazardVerified(HazardVerified(hazardId: id, outcome: outcome, findings: findings))
        case .close:
            return reader.text(field("note")).map { .hazardClosed(HazardClosed(hazardId: id, note: $0)) }
        case .reopen:
            let reason = reader.text(field("reason"))
            let deadline = reader.date(field("newDeadline"))
            guard let reason, let deadline else { return nil }
            return .hazardReopened(HazardReopened(hazardId: id, reason: reason, newDeadline: deadline))
        case .withdraw:
            return reader.text(field("reason")).map { .hazardWithdrawn(HazardWithdrawn(hazardId: id, reason: $0)) }
        case .escalate:
            let level = reader.code(field("level"), as: EscalationLevel.self)
            let target = reader.choice(field("target")).flatMap { key in Self.targets(context).first { Self.key($0) == key } }
            let reason = reader.text(field("reason"))
            guard let level, let target else { return nil }
            return .escalationIssued(EscalationIssued(level: level, target: target, hazardIds: [id], reason: reason))
        case .penalty:
            let kind = reader.code(field("kind"), as: PenaltyKind.self)
            let amount = reader.fen(field("amount"))
            let basis = reader.text(field("legalBasis"))
            let caseNumber = reader.text(field("caseNumber"))
            guard let enterprise = context.hazard.report.enterprise else {
                reader.refuse("此隐患没有生产经营单位，无法记录执法处罚。")
                return nil
            }
            let tipOff = fields["tipOffId"].flatMap { reader.choice($0) }
            guard let kind, let amount, let basis, let caseNumber, reader.errors.isEmpty else { return nil }
            return .penaltyImposed(PenaltyImposed(enterprise: enterprise, kind: kind, amountFen: amount, legalBasis: basis,
                                                  caseNumber: caseNumber, hazardIds: [id], tipOffId: tipOff))
        }
    }

    /// A person named by two fields (name, id): both or neither; one alone is refused.
    private static func person(_ reader: inout FormReader, _ name: FormField, _ id: FormField) -> PersonRef? {
        let personName = reader.text(name)
        let personId = reader.text(id)
        switch (personName, personId) {
        case let (name?, id?): return PersonRef(id: id, name: name)
        case (nil, nil): return nil
        case (nil, _?): reader.refuse(field: name, "请同时填写「\(name.label)」。")
        case (_?, nil): reader.refuse(field: id, "请同时填写「\(id.label)」。")
        }
        return nil
    }
}
