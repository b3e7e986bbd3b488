import QinglingEvents

/// The lifecycle and role rules of `domain.md`, checked for one event against the state of the
/// hazards and tip-offs it names. Returns the reason an event is refused, or `nil`.
public struct WorkflowRules: Sendable {
    public let reference: ReferenceData
    /// Events may not have happened later than this (the log's clock, with a little slack).
    public let latestOccurrence: ShanghaiDateTime?

    public init(reference: ReferenceData, latestOccurrence: ShanghaiDateTime? = nil) {
        self.reference = reference
        self.latestOccurrence = latestOccurrence
    }

    /// Why `event` is refused given the current state, or `nil` when it is accepted.
    public func refusal(of event: Event, hazard lookupHazard: (String) -> HazardRecord?, tipOff lookupTipOff: (String) -> TipOffRecord) -> String? {
        let actor = event.actor
        let kind = actor.organization.kind
        if let latest = latestOccurrence, event.occurredAt > latest {
            return "it happened at \(event.occurredAt), which is in the future (now \(latest))"
        }
        if let expected = event.expectedVersion, let id = event.body.hazardId {
            let found = lookupHazard(id)?.version ?? 0
            if found != expected { return "expected version \(expected) of hazard \(id), found version \(found)" }
        }
        switch event.body {
        case .hazardReported(let e):
            if lookupHazard(e.hazardId) != nil { return "hazard \(e.hazardId) already exists; hazard ids are unique" }
            if kind == .enterprise {
                guard let enterprise = e.enterprise, enterprise.creditCode == actor.organization.id else {
                    return "an enterprise reports only its own hazards: the hazard's enterprise must be the actor (\(actor.organization.id))"
                }
            }
            if e.discoveredOn > event.occurredAt.date {
                return "discovered on \(e.discoveredOn), after the report at \(event.occurredAt); the discovered date cannot be in the future"
            }
            if reference.region(named: e.region) == nil { return "region \(e.region) is not in the reference data of \(reference.county)" }
            if !reference.isIndustry(e.industry) { return "industry \(e.industry) is not in the reference data of \(reference.county)" }
            if let tip = e.tipOffId, lookupTipOff(tip).received == nil { return "tip-off \(tip) has not been received" }
            return nil

        case .hazardSupervised(let e):
            guard kind == .department || kind == .committee else { return onlyDepartments(kind, "supervise") }
            guard let hazard = lookupHazard(e.hazardId) else { return unknown(e.hazardId) }
            guard hazard.status == .reported else { return "hazard \(e.hazardId) is \(hazard.status.rawValue); supervision is only from reported" }
            guard e.deadline > hazard.report.discoveredOn else {
                return "deadline \(e.deadline) is not after the discovered date \(hazard.report.discoveredOn)"
            }
            if reference.department(id: e.leadDepartment.id) == nil {
                return "lead department \(e.leadDepartment.id) is not in the reference data of \(reference.county)"
            }
            return nil

        case .deadlineExtended(let e):
            guard let hazard = lookupHazard(e.hazardId) else { return unknown(e.hazardId) }
            if let refusal = leadOrCommittee(actor, hazard, "extend its deadline") { return refusal }
            guard hazard.status == .rectifying || hazard.status == .awaitingVerification else {
                return "hazard \(e.hazardId) is \(hazard.status.rawValue); a deadline is extended only while rectifying or awaiting verification"
            }
            if let current = hazard.deadline, e.newDeadline <= current {
                return "new deadline \(e.newDeadline) is not later than the current deadline \(current)"
            }
            return nil

        case .hazardRectified(let e):
            guard let hazard = lookupHazard(e.hazardId) else { return unknown(e.hazardId) }
            switch kind {
            case .enterprise:
                guard hazard.report.enterprise?.creditCode == actor.organization.id else {
                    return "only the hazard's own enterprise (\(hazard.report.enterprise?.creditCode ?? "none: the hazard has no operator")) or its town records its rectification"
                }
            case .town:
                guard isTown(actor.organization, of: hazard) else {
                    return "\(actor.organization.name) is not the town of hazard \(e.hazardId) (\(hazard.report.region))"
                }
            case .department, .committee:
                return "only the hazard's own enterprise or its town records its rectification, not \(Self.named(kind))"
            }
            guard hazard.status == .rectifying else {
                return "hazard \(e.hazardId) is \(hazard.status.rawValue); rectification is recorded only while rectifying"
            }
            if e.completedOn > event.occurredAt.date { return "completed on \(e.completedOn), after it was recorded at \(event.occurredAt)" }
            if e.completedOn < hazard.report.discoveredOn { return "completed on \(e.completedOn), before the hazard was discovered (\(hazard.report.discoveredOn))" }
            return nil

        case .hazardVerified(let e):
            guard kind == .department || kind == .committee else { return onlyDepartments(kind, "verify") }
            guard let hazard = lookupHazard(e.hazardId) else { return unknown(e.hazardId) }
            guard hazard.status == .awaitingVerification else {
                return "hazard \(e.hazardId) is \(hazard.status.rawValue); verification is only while awaiting verification"
            }
            if let rectifier = hazard.lastRectifier, rectifier.id == actor.person.id {
                return "\(actor.person.name) (\(actor.person.id)) recorded the rectification and may not verify it"
            }
            return nil

        case .hazardClosed(let e):
            guard let hazard = lookupHazard(e.hazardId) else { return unknown(e.hazardId) }
            if let refusal = leadOrCommittee(actor, hazard, "close it") { return refusal }
            guard hazard.status == .verified else {
                return "hazard \(e.hazardId) is \(hazard.status.rawValue); closing needs a passed verification"
            }
            return nil

        case .hazardReopened(let e):
            guard kind == .department || kind == .committee else { return onlyDepartments(kind, "reopen") }
            guard let hazard = lookupHazard(e.hazardId) else { return unknown(e.hazardId) }
            guard hazard.status == .closed else { return "hazard \(e.hazardId) is \(hazard.status.rawValue); only a closed hazard is reopened" }
            guard e.newDeadline > event.occurredAt.date else { return "new deadline \(e.newDeadline) is not after the reopening on \(event.occurredAt.date)" }
            return nil

        case .hazardWithdrawn(let e):
            guard let hazard = lookupHazard(e.hazardId) else { return unknown(e.hazardId) }
            if hazard.leadDepartmentId == nil {
                guard kind == .department || kind == .committee else { return onlyDepartments(kind, "withdraw") }
            } else if let refusal = leadOrCommittee(actor, hazard, "withdraw it") {
                return refusal
            }
            guard hazard.status != .closed, hazard.status != .withdrawn else {
                return "hazard \(e.hazardId) is \(hazard.status.rawValue); a closed or withdrawn hazard cannot be withdrawn"
            }
            return nil

        case .escalationIssued(let e):
            guard kind == .committee else { return "only the committee (市安委办) issues escalations, not \(Self.named(kind))" }
            if let missing = e.hazardIds.first(where: { lookupHazard($0) == nil }) { return unknown(missing) }
            return nil

        case .penaltyImposed(let e):
            guard kind == .department else { return "only a department imposes penalties, not \(Self.named(kind))" }
            if e.kind == .fine && e.amountFen <= 0 { return "a fine needs an amount above 0 fen" }
            if let missing = e.hazardIds.first(where: { lookupHazard($0) == nil }) { return unknown(missing) }
            if let tip = e.tipOffId, lookupTipOff(tip).received == nil { return "tip-off \(tip) has not been received" }
            return nil

        case .tipOffReceived(let e):
            guard kind == .department || kind == .committee else { return onlyDepartments(kind, "receive tip-offs") }
            if lookupTipOff(e.tipOffId).received != nil { return "tip-off \(e.tipOffId) already exists; tip-off ids are unique" }
            return nil

        case .rewardPaid(let e):
            guard kind == .department || kind == .committee else { return onlyDepartments(kind, "pay rewards") }
            let tip = lookupTipOff(e.tipOffId)
            guard tip.received != nil else { return "tip-off \(e.tipOffId) has not been received" }
            let confirmedByHazard = tip.hazardIds.contains { lookupHazard($0).map { $0.status != .withdrawn } ?? false }
            guard confirmedByHazard || tip.namedByPenalty else {
                return "tip-off \(e.tipOffId) is not confirmed: no hazard reported with it stands (not withdrawn) and no penalty names it"
            }
            return nil
        }
    }

    private func unknown(_ hazardId: String) -> String { "hazard \(hazardId) does not exist" }

    private func onlyDepartments(_ kind: OrganizationKind, _ action: String) -> String {
        "only a department or the committee may \(action), not \(Self.named(kind))"
    }

    /// The lead department (once supervised) or the committee.
    private func leadOrCommittee(_ actor: Actor, _ hazard: HazardRecord, _ action: String) -> String? {
        switch actor.organization.kind {
        case .committee: return nil
        case .department:
            guard let lead = hazard.leadDepartmentId else {
                return "hazard \(hazard.hazardId) has no lead department yet (it is \(hazard.status.rawValue)); only the committee may \(action)"
            }
            return lead == actor.organization.id ? nil : "only the lead department (\(lead)) or the committee may \(action); \(actor.organization.id) is not the lead"
        case .enterprise, .town:
            return "only the lead department or the committee may \(action), not \(Self.named(actor.organization.kind))"
        }
    }

    /// A town acts for the hazards of its region: its id is the region's code or its name the region's name.
    private func isTown(_ organization: OrganizationRef, of hazard: HazardRecord) -> Bool {
        let region = reference.region(named: hazard.report.region)
        return organization.name == hazard.report.region || (region.map { $0.code == organization.id } ?? false)
    }

    /// The kind of organisation with its article, for messages: "an enterprise", "a town".
    static func named(_ kind: OrganizationKind) -> String {
        kind == .enterprise ? "an enterprise" : kind == .committee ? "the committee" : "a \(kind.rawValue)"
    }
}
