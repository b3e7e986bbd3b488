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

    /// The rules of the event's type: who may record it about the hazard it names
    /// (`permission(of:toRecord:on:_:)`), then its own values against the hazard or tip-off.
    private func typeRefusal(of event: Event, hazard lookupHazard: (String) -> HazardRecord?, tipOff lookupTipOff: (String) -> TipOffRecord) -> Rule? {
        let actor = event.actor
        let kind = actor.organization.kind
        let departmentOrCommittee = kind == .department || kind == .committee
        /// The hazard the event names, once the actor may record it there.
        func permitted(_ id: String) -> Permitted {
            let hazard = lookupHazard(id)
            if let rule = permission(of: actor, toRecord: event.type, on: id, hazard) { return .refused(rule) }
            guard let hazard else { return .refused(.unknownHazard(id)) }
            return .hazard(hazard)
        }
        switch event.body {
        case .hazardReported(let e):
            if lookupHazard(e.hazardId) != nil { return .hazardExists(e.hazardId) }
            if kind == .enterprise, e.enterprise?.creditCode != actor.organization.id { return .notOwnHazard(actorId: actor.organization.id) }
            if kind == .town, let rule = otherTownRefusal(actor, hazardId: e.hazardId, hazardRegion: e.region) { return rule }
            if e.discoveredOn > event.occurredAt.date { return .discoveredAfterReport(discoveredOn: e.discoveredOn, reportedAt: event.occurredAt) }
            if let tip = e.tipOffId, lookupTipOff(tip).received == nil { return .tipOffNotReceived(tip) }
            return nil

        case .hazardSupervised(let e):
            switch permitted(e.hazardId) {
            case .refused(let rule): return rule
            case .hazard(let hazard):
                guard e.deadline > hazard.report.discoveredOn else {
                    return .deadlineNotAfterDiscovery(deadline: e.deadline, discoveredOn: hazard.report.discoveredOn)
                }
                return nil
            }

        case .deadlineExtended(let e):
            switch permitted(e.hazardId) {
            case .refused(let rule): return rule
            case .hazard(let hazard):
                if let current = hazard.deadline, e.newDeadline <= current { return .deadlineNotLater(e.newDeadline, current: current) }
                return nil
            }

        case .hazardRectified(let e):
            if case .refused(let rule) = permitted(e.hazardId) { return rule }
            if e.completedOn > event.occurredAt.date { return .completedAfterRecorded(e.completedOn, recordedAt: event.occurredAt) }
            return nil

        case .hazardVerified(let e):
            if case .refused(let rule) = permitted(e.hazardId) { return rule }
            return nil

        case .hazardClosed(let e):
            if case .refused(let rule) = permitted(e.hazardId) { return rule }
            return nil

        case .hazardReopened(let e):
            if case .refused(let rule) = permitted(e.hazardId) { return rule }
            guard e.newDeadline > event.occurredAt.date else { return .reopenDeadlineNotAfter(e.newDeadline, reopenedOn: event.occurredAt.date) }
            return nil

        case .hazardWithdrawn(let e):
            if case .refused(let rule) = permitted(e.hazardId) { return rule }
            return nil

        case .escalationIssued(let e):
            guard kind == .committee else { return .notPermitted(kind, event.type) }
            if let missing = e.hazardIds.first(where: { lookupHazard($0) == nil }) { return .unknownHazard(missing) }
            for id in e.hazardIds {
                guard let report = lookupHazard(id)?.report else { continue }
                let outside = switch e.target.kind {
                case .enterprise: report.enterprise?.creditCode != e.target.id
                case .town: reference.region(named: report.region)?.code != e.target.id
                case .department, .committee: false
                }
                if outside { return .escalationNamesHazardOutsideTarget(hazardId: id, target: e.target) }
            }
            return nil

        case .penaltyImposed(let e):
            guard kind == .department else { return .notPermitted(kind, event.type) }
            if e.kind == .fine && e.amountFen <= 0 { return .fineWithoutAmount }
            if let missing = e.hazardIds.first(where: { lookupHazard($0) == nil }) { return .unknownHazard(missing) }
            for id in e.hazardIds {
                let owner = lookupHazard(id)?.report.enterprise?.creditCode
                if owner != e.enterprise.creditCode { return .penaltyNamesAnotherEnterprisesHazard(hazardId: id, penalised: e.enterprise.creditCode, owner: owner) }
            }
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

        case .reporterKeyDestroyed(let e):
            guard departmentOrCommittee else { return .notPermitted(kind, event.type) }
            let tip = lookupTipOff(e.tipOffId)
            guard let received = tip.received else { return .tipOffNotReceived(e.tipOffId) }
            guard let sealed = received.reporterSealed else { return .noSealedReporter(e.tipOffId) }
            guard sealed.keyId == e.keyId else { return .otherReporterKey(e.tipOffId, keyId: sealed.keyId) }
            guard !tip.reporterKeyDestroyed else { return .reporterKeyAlreadyDestroyed(e.tipOffId) }
            return nil
        }
    }

    /// Whether the actor may record an event about a hazard (`permission(of:toRecord:on:_:)`).
    private enum Permitted {
        case refused(Rule)
        case hazard(HazardRecord)
    }
}
