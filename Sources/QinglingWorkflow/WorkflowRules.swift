import QinglingEvents

/// The lifecycle and role rules of `domain.md` (listed per type in `docs/events.md`), checked for
/// one event against the state of the hazards and tip-offs it names. Returns the rule an event
/// breaks, or `nil`.
public struct WorkflowRules: Sendable {
    public typealias Rule = WorkflowViolation.Rule

    public let reference: ReferenceData
    /// The log's clock: events may not have happened more than `futureSlackMinutes` after it.
    /// `nil` checks no time.
    public let now: ShanghaiDateTime?

    /// How far ahead of the log's clock an event may be dated, for clocks that differ.
    public static let futureSlackMinutes = 5

    /// The rules over `reference`, refusing events dated more than `futureSlackMinutes` after
    /// `now` (no time is refused when it is `nil`).
    public init(reference: ReferenceData, now: ShanghaiDateTime? = nil) {
        self.reference = reference
        self.now = now
    }

    /// The rule `event` breaks given the current state, or `nil` when it is accepted. Checked in
    /// this order: time, the event's own values (`shapeRefusal`), the reference data
    /// (`referenceRefusal`), the expected version, the rules of its type, the order of its dates
    /// (`orderRefusal`).
    public func refusal(of event: Event, hazard lookupHazard: (String) -> HazardRecord?, tipOff lookupTipOff: (String) -> TipOffRecord) -> Rule? {
        if let now, event.occurredAt.microseconds > now.microseconds + Int64(Self.futureSlackMinutes) * 60_000_000 {
            return .inTheFuture(event.occurredAt, now: now)
        }
        if let rule = shapeRefusal(of: event) ?? referenceRefusal(of: event) { return rule }
        if let expected = event.expectedVersion, let id = event.body.hazardId {
            let found = lookupHazard(id)?.version ?? 0
            if found != expected { return .versionMismatch(hazardId: id, expected: expected, found: found) }
        }
        if let rule = typeRefusal(of: event, hazard: lookupHazard, tipOff: lookupTipOff) { return rule }
        return orderRefusal(of: event, hazard: lookupHazard, tipOff: lookupTipOff)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func typeRefusal(of event: Event, hazard lookupHazard: (String) -> HazardRecord?, tipOff lookupTipOff: (String) -> TipOffRecord) -> Rule? {
        let actor = event.actor
        let kind = actor.organization.kind
        let departmentOrCommittee = kind == .department || kind == .committee
        switch event.body {
        case .hazardReported(let e):
            if lookupHazard(e.hazardId) != nil { return .hazardExists(e.hazardId) }
            if kind == .enterprise, e.enterprise?.creditCode != actor.organization.id { return .notOwnHazard(actorId: actor.organization.id) }
            if kind == .town, let rule = otherTownRefusal(actor, hazardId: e.hazardId, hazardRegion: e.region) { return rule }
            if e.discoveredOn > event.occurredAt.date { return .discoveredAfterReport(discoveredOn: e.discoveredOn, reportedAt: event.occurredAt) }
            if let tip = e.tipOffId, lookupTipOff(tip).received == nil { return .tipOffNotReceived(tip) }
            return nil

        case .hazardSupervised(let e):
            guard departmentOrCommittee else { return .notPermitted(kind, event.type) }
            guard let hazard = lookupHazard(e.hazardId) else { return .unknownHazard(e.hazardId) }
            if let rule = statusRefusal(of: event, hazard) { return rule }
            guard e.deadline > hazard.report.discoveredOn else {
                return .deadlineNotAfterDiscovery(deadline: e.deadline, discoveredOn: hazard.report.discoveredOn)
            }
            return nil

        case .deadlineExtended(let e):
            guard let hazard = lookupHazard(e.hazardId) else { return .unknownHazard(e.hazardId) }
            if let rule = leadOrCommittee(actor, hazard, event.type) { return rule }
            if let rule = statusRefusal(of: event, hazard) { return rule }
            if let current = hazard.deadline, e.newDeadline <= current { return .deadlineNotLater(e.newDeadline, current: current) }
            return nil

        case .hazardRectified(let e):
            guard let hazard = lookupHazard(e.hazardId) else { return .unknownHazard(e.hazardId) }
            switch kind {
            case .enterprise:
                guard hazard.report.enterprise?.creditCode == actor.organization.id else {
                    return .notOwnEnterprise(hazardEnterprise: hazard.report.enterprise?.creditCode)
                }
            case .town:
                if let rule = otherTownRefusal(actor, hazardId: e.hazardId, hazardRegion: hazard.report.region) { return rule }
            case .department, .committee:
                return .notPermitted(kind, event.type)
            }
            if let rule = statusRefusal(of: event, hazard) { return rule }
            if e.completedOn > event.occurredAt.date { return .completedAfterRecorded(e.completedOn, recordedAt: event.occurredAt) }
            return nil

        case .hazardVerified(let e):
            guard departmentOrCommittee else { return .notPermitted(kind, event.type) }
            guard let hazard = lookupHazard(e.hazardId) else { return .unknownHazard(e.hazardId) }
            if let rule = statusRefusal(of: event, hazard) { return rule }
            if let rectifier = hazard.lastRectifier, rectifier.id == actor.person.id { return .verifierRecordedRectification(actor.person) }
            return nil

        case .hazardClosed(let e):
            guard let hazard = lookupHazard(e.hazardId) else { return .unknownHazard(e.hazardId) }
            if let rule = leadOrCommittee(actor, hazard, event.type) { return rule }
            if let rule = statusRefusal(of: event, hazard) { return rule }
            return nil

        case .hazardReopened(let e):
            guard departmentOrCommittee else { return .notPermitted(kind, event.type) }
            guard let hazard = lookupHazard(e.hazardId) else { return .unknownHazard(e.hazardId) }
            if let rule = statusRefusal(of: event, hazard) { return rule }
            guard e.newDeadline > event.occurredAt.date else { return .reopenDeadlineNotAfter(e.newDeadline, reopenedOn: event.occurredAt.date) }
            return nil

        case .hazardWithdrawn(let e):
            guard let hazard = lookupHazard(e.hazardId) else { return .unknownHazard(e.hazardId) }
            if hazard.leadDepartmentId == nil {
                guard departmentOrCommittee else { return .notPermitted(kind, event.type) }
            } else if let rule = leadOrCommittee(actor, hazard, event.type) {
                return rule
            }
            if let rule = statusRefusal(of: event, hazard) { return rule }
            return nil

        case .escalationIssued(let e):
            guard kind == .committee else { return .notPermitted(kind, event.type) }
            if let missing = e.hazardIds.first(where: { lookupHazard($0) == nil }) { return .unknownHazard(missing) }
            return nil

        case .penaltyImposed(let e):
            guard kind == .department else { return .notPermitted(kind, event.type) }
            if e.kind == .fine && e.amountFen <= 0 { return .fineWithoutAmount }
            if let missing = e.hazardIds.first(where: { lookupHazard($0) == nil }) { return .unknownHazard(missing) }
            if let tip = e.tipOffId, lookupTipOff(tip).received == nil { return .tipOffNotReceived(tip) }
            return nil

        case .tipOffReceived(let e):
            guard departmentOrCommittee else { return .notPermitted(kind, event.type) }
            if lookupTipOff(e.tipOffId).received != nil { return .tipOffExists(e.tipOffId) }
            return nil

        case .rewardPaid(let e):
            guard departmentOrCommittee else { return .notPermitted(kind, event.type) }
            let tip = lookupTipOff(e.tipOffId)
            guard tip.received != nil else { return .tipOffNotReceived(e.tipOffId) }
            let confirmedByHazard = tip.hazardIds.contains { lookupHazard($0).map { $0.status != .withdrawn } ?? false }
            guard confirmedByHazard || tip.namedByPenalty else { return .tipOffNotConfirmed(e.tipOffId) }
            return nil
        }
    }

    /// The hazard's status is not one the step `event` takes may come from (the table of the
    /// lifecycle, `LifecycleStep.transition`). A report has no status to come from: its hazard
    /// must be new (`hazardExists`), as its row (from no status) says.
    private func statusRefusal(of event: Event, _ hazard: HazardRecord) -> Rule? {
        guard case let (step, _)? = event.body.lifecycleStep, !step.transition.from.contains(hazard.status) else { return nil }
        return .wrongStatus(hazardId: hazard.hazardId, hazard.status, event.type)
    }

    /// A town acts only for hazards of its own region (`hazardRegion`, by name as stored: see
    /// `canonical`); the refusal says which region the town's id means.
    private func otherTownRefusal(_ actor: Actor, hazardId: String, hazardRegion: String) -> Rule? {
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
