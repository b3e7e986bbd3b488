import QinglingEvents

/// Who may take which step on a hazard, and from which status: the part of the rules that
/// depends on the actor and the hazard as it stands, not on the event's own values. The rules
/// (`typeRefusal`) check it first for every event that names one hazard; the forms of the web
/// interface ask it (`steps(by:on:)`) to offer only what the caller may record.
extension WorkflowRules {
    /// The event types recorded about one existing hazard, in the lifecycle's order.
    public static let hazardStepTypes: [EventType] = [
        .hazardSupervised, .deadlineExtended, .hazardRectified, .hazardVerified, .hazardClosed,
        .hazardReopened, .hazardWithdrawn, .escalationIssued, .penaltyImposed,
    ]

    /// The rule that stops `actor` recording an event of `type` about hazard `hazardId` (`hazard`
    /// as the rules see it, `nil` when it was never reported), or `nil` when it may: first the
    /// actor's kind, then that the hazard exists, then the actor's own scope (its enterprise, its
    /// town, the lead department), then the status the step comes from (`LifecycleStep`), then,
    /// for a verification, that the verifier did not record the rectification.
    public func permission(of actor: Actor, toRecord type: EventType, on hazardId: String, _ hazard: HazardRecord?) -> Rule? {
        let kind = actor.organization.kind
        let departmentOrCommittee = kind == .department || kind == .committee
        switch type {
        case .hazardSupervised, .hazardVerified, .hazardReopened:
            guard departmentOrCommittee else { return .notPermitted(kind, type) }
        case .escalationIssued:
            guard kind == .committee else { return .notPermitted(kind, type) }
        case .penaltyImposed:
            guard kind == .department else { return .notPermitted(kind, type) }
        case .hazardReported, .deadlineExtended, .hazardRectified, .hazardClosed, .hazardWithdrawn, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed:
            break
        }
        guard let hazard else { return .unknownHazard(hazardId) }
        switch type {
        case .deadlineExtended, .hazardClosed:
            if let rule = leadOrCommittee(actor, hazard, type) { return rule }
        case .hazardRectified:
            switch kind {
            case .enterprise:
                guard hazard.report.enterprise?.creditCode == actor.organization.id else {
                    return .notOwnEnterprise(hazardEnterprise: hazard.report.enterprise?.creditCode)
                }
            case .town:
                if let rule = otherTownRefusal(actor, hazardId: hazardId, hazardRegion: hazard.report.region) { return rule }
            case .department, .committee:
                return .notPermitted(kind, type)
            }
        case .hazardWithdrawn:
            if hazard.leadDepartmentId == nil {
                guard departmentOrCommittee else { return .notPermitted(kind, type) }
            } else if let rule = leadOrCommittee(actor, hazard, type) {
                return rule
            }
        case .hazardReported, .hazardSupervised, .hazardVerified, .hazardReopened, .escalationIssued, .penaltyImposed, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed:
            break
        }
        if let from = type.stepsFrom, !from.contains(hazard.status) { return .wrongStatus(hazardId: hazardId, hazard.status, type) }
        if type == .hazardVerified, let rectifier = hazard.lastRectifier, rectifier.id == actor.person.id {
            return .verifierRecordedRectification(actor.person)
        }
        return nil
    }

    /// The types of `hazardStepTypes` that `actor` may record about `hazard` now
    /// (`permission(of:toRecord:on:_:)`); each event is still checked whole when it is recorded.
    public func steps(by actor: Actor, on hazard: HazardRecord) -> [EventType] {
        Self.hazardStepTypes.filter { permission(of: actor, toRecord: $0, on: hazard.hazardId, hazard) == nil }
    }

    /// A town acts only for hazards of its own region (`hazardRegion`, by name as stored: see
    /// `canonical`); the refusal says which region the town's id means.
    func otherTownRefusal(_ actor: Actor, hazardId: String, hazardRegion: String) -> Rule? {
        let townRegion = reference.region(code: actor.organization.id)?.name ?? actor.organization.id
        guard townRegion != hazardRegion else { return nil }
        return .notTheTown(townId: actor.organization.id, townRegion: townRegion, hazardId: hazardId, hazardRegion: hazardRegion)
    }

    /// The lead department (once supervised) or the committee.
    private func leadOrCommittee(_ actor: Actor, _ hazard: HazardRecord, _ type: EventType) -> Rule? {
        switch actor.organization.kind {
        case .committee: return nil
        case .department:
            guard let lead = hazard.leadDepartmentId else { return .noLeadYet(hazardId: hazard.hazardId, hazard.status, type) }
            return lead == actor.organization.id ? nil : .notLead(lead: lead, actorId: actor.organization.id, type)
        case .enterprise, .town:
            return .notPermitted(actor.organization.kind, type)
        }
    }
}
