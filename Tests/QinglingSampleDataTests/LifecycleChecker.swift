import QinglingEvents

/// An independent check of generated events against `domain.md`: a state machine per hazard
/// (reported, rectifying, awaiting-verification, verified, closed, withdrawn), who may do what,
/// the date rules, verifier ≠ rectifier, rewards only for confirmed tip-offs, escalations only
/// at their overdue thresholds, strictly increasing times and unique ids.
struct LifecycleChecker {
    enum State: String {
        case reported, rectifying, verified, closed, withdrawn
        case awaitingVerification = "awaiting-verification"
    }

    struct Hazard {
        let report: HazardReported
        /// The day of the latest lifecycle event, the report included.
        var lastStepOn: CalendarDate
        /// The date of the supervision, failed verification or reopening that began the rectification.
        var rectificationBegan: CalendarDate?
        var state = State.reported
        var deadline: CalendarDate?
        var lead: String?
        var lastRectifier: String?
        var everOverdue = false
    }

    let reference: ReferenceData
    private(set) var hazards: [String: Hazard] = [:]
    private(set) var violations: [String] = []
    private var tipOffs: Set<String> = []
    private var tipOffHazards: [String: [String]] = [:]
    private var tipOffsNamedByPenalty: Set<String> = []
    private var eventIds: Set<String> = []
    private var lastTime: ShanghaiDateTime?

    init(reference: ReferenceData) { self.reference = reference }

    /// Hazards that were rectified after their deadline or are open past it at `date`.
    func overdueHazards(asOf date: CalendarDate) -> [String] {
        hazards.filter { _, hazard in
            if hazard.everOverdue { return true }
            guard hazard.state == .rectifying || hazard.state == .awaitingVerification, let deadline = hazard.deadline else { return false }
            return deadline < date
        }.map(\.key)
    }

    private mutating func fail(_ event: Event, _ reason: String) {
        violations.append("\(event.eventId) \(event.type.rawValue) at \(event.occurredAt): \(reason)")
    }

    mutating func check(_ event: Event) {
        if !eventIds.insert(event.eventId).inserted { fail(event, "duplicate event id") }
        if let lastTime, event.occurredAt <= lastTime { fail(event, "occurredAt not after the previous event's \(lastTime)") }
        lastTime = event.occurredAt
        let kind = event.actor.organization.kind
        let date = event.occurredAt.date
        let official = kind == .department || kind == .committee
        if kind == .department, reference.department(id: event.actor.organization.id) == nil { fail(event, "unknown department") }
        if kind == .committee, event.actor.organization.id != reference.committee.id { fail(event, "not the committee's office") }
        if kind == .enterprise, !CreditCode.isValid(event.actor.organization.id) { fail(event, "enterprise actor without a valid credit code") }
        if let code = event.body.creditCode, !CreditCode.isValid(code) { fail(event, "invalid credit code \(code)") }
        switch event.body {
        case .hazardReported(let e): reported(e, event)
        case .tipOffReceived(let e):
            if !official { fail(event, "tip-off received by a \(kind)") }
            if !tipOffs.insert(e.tipOffId).inserted { fail(event, "duplicate tip-off id") }
        case .rewardPaid(let e):
            if !official { fail(event, "reward paid by a \(kind)") }
            let byHazard = (tipOffHazards[e.tipOffId] ?? []).contains { hazards[$0]?.state != .withdrawn }
            if !(byHazard || tipOffsNamedByPenalty.contains(e.tipOffId)) { fail(event, "reward for unconfirmed tip-off \(e.tipOffId)") }
            if e.amountFen <= 0 { fail(event, "reward without an amount") }
        case .penaltyImposed(let e):
            if kind != .department || reference.department(id: event.actor.organization.id)?.hasEnforcementDuty != true {
                fail(event, "penalty by \(event.actor.organization.id), which has no enforcement duty")
            }
            if e.kind == .fine && e.amountFen <= 0 { fail(event, "fine without an amount") }
            if e.kind == .warning && e.amountFen != 0 { fail(event, "warning with an amount") }
            for id in e.hazardIds where hazards[id] == nil { fail(event, "penalty names unknown hazard \(id)") }
            if let tip = e.tipOffId {
                if !tipOffs.contains(tip) { fail(event, "penalty names unknown tip-off") }
                tipOffsNamedByPenalty.insert(tip)
            }
        case .escalationIssued(let e):
            if kind != .committee { fail(event, "escalation by a \(kind)") }
            for id in e.hazardIds {
                guard let hazard = hazards[id] else { fail(event, "escalation names unknown hazard \(id)"); continue }
                guard hazard.state == .rectifying, let deadline = hazard.deadline else { fail(event, "escalation of \(id), which is \(hazard.state)"); continue }
                let threshold = [EscalationLevel.letter: 1, .notice: 15, .summons: 30, .exposure: 60][e.level] ?? 0
                if deadline.days(to: date) < threshold { fail(event, "\(e.level) for \(id) only \(deadline.days(to: date)) days overdue") }
            }
        default: lifecycle(event)
        }
    }

    private mutating func reported(_ e: HazardReported, _ event: Event) {
        if hazards[e.hazardId] != nil { fail(event, "duplicate hazard id") }
        if !Syntax.isHazardId(e.hazardId) { fail(event, "bad hazard id") }
        if e.discoveredOn > event.occurredAt.date { fail(event, "discovered in the future") }
        if e.discoveredOn.days(to: event.occurredAt.date) > 2 { fail(event, "reported more than two days after discovery") }
        if reference.region(named: e.region) == nil { fail(event, "unknown region") }
        if !reference.isIndustry(e.industry) { fail(event, "unknown industry") }
        if event.actor.organization.kind == .enterprise, e.enterprise?.creditCode != event.actor.organization.id {
            fail(event, "enterprise reports another's hazard")
        }
        if e.enterprise == nil, event.actor.organization.kind == .enterprise { fail(event, "no-operator hazard reported by an enterprise") }
        if event.actor.organization.kind == .town, reference.region(named: e.region)?.code != event.actor.organization.id {
            fail(event, "town reports another region's hazard")
        }
        if let tip = e.tipOffId {
            if !tipOffs.contains(tip) { fail(event, "hazard names unknown tip-off") }
            tipOffHazards[tip, default: []].append(e.hazardId)
        }
        hazards[e.hazardId] = Hazard(report: e, lastStepOn: event.occurredAt.date)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func lifecycle(_ event: Event) {
        guard let id = event.body.hazardId, var hazard = hazards[id] else { return fail(event, "unknown hazard") }
        let actor = event.actor
        let kind = actor.organization.kind
        let official = kind == .department || kind == .committee
        let leadOrCommittee = kind == .committee || (kind == .department && actor.organization.id == hazard.lead)
        func require(_ condition: Bool, _ reason: String) { if !condition { fail(event, reason) } }
        require(event.occurredAt.date >= hazard.lastStepOn, "dated before the previous step (\(hazard.lastStepOn))")
        switch event.body {
        case .hazardSupervised(let e):
            require(official, "supervised by a \(kind)")
            require(hazard.state == .reported, "supervised while \(hazard.state.rawValue)")
            require(e.deadline > hazard.report.discoveredOn, "deadline not after discovery")
            require(reference.leadDepartment(forIndustry: hazard.report.industry)?.id == e.leadDepartment.id, "lead department is not the industry's")
            require((e.responsible.enterprisePrincipal == nil) == (hazard.report.enterprise == nil), "principal without enterprise or missing")
            hazard.state = .rectifying
            hazard.rectificationBegan = event.occurredAt.date
            hazard.deadline = e.deadline
            hazard.lead = e.leadDepartment.id
        case .deadlineExtended(let e):
            require(leadOrCommittee, "extended by \(actor.organization.id), not the lead or committee")
            require(hazard.state == .rectifying || hazard.state == .awaitingVerification, "extended while \(hazard.state.rawValue)")
            require(hazard.deadline.map { e.newDeadline > $0 } ?? false, "new deadline not later")
            hazard.deadline = e.newDeadline
        case .hazardRectified(let e):
            switch kind {
            case .enterprise: require(hazard.report.enterprise?.creditCode == actor.organization.id, "rectified by another enterprise")
            case .town: require(reference.region(named: hazard.report.region)?.code == actor.organization.id, "rectified by another town")
            default: fail(event, "rectified by a \(kind)")
            }
            require(hazard.state == .rectifying, "rectified while \(hazard.state.rawValue)")
            require(e.completedOn <= event.occurredAt.date, "completed after it was recorded")
            require(e.completedOn >= (hazard.rectificationBegan ?? hazard.lastStepOn), "completed before the step it answers")
            require(e.fundsFen >= 0, "negative funds")
            if let deadline = hazard.deadline, e.completedOn > deadline { hazard.everOverdue = true }
            hazard.state = .awaitingVerification
            hazard.lastRectifier = actor.person.id
        case .hazardVerified(let e):
            require(official, "verified by a \(kind)")
            require(hazard.state == .awaitingVerification, "verified while \(hazard.state.rawValue)")
            require(hazard.lastRectifier != actor.person.id, "verified by the rectifier \(actor.person.id)")
            hazard.state = e.outcome == .passed ? .verified : .rectifying
            if e.outcome != .passed { hazard.rectificationBegan = event.occurredAt.date }
        case .hazardClosed:
            require(leadOrCommittee, "closed by \(actor.organization.id), not the lead or committee")
            require(hazard.state == .verified, "closed while \(hazard.state.rawValue)")
            hazard.state = .closed
        case .hazardReopened(let e):
            require(official, "reopened by a \(kind)")
            require(hazard.state == .closed, "reopened while \(hazard.state.rawValue)")
            require(e.newDeadline > event.occurredAt.date, "reopened with a past deadline")
            hazard.state = .rectifying
            hazard.rectificationBegan = event.occurredAt.date
            hazard.deadline = e.newDeadline
        case .hazardWithdrawn:
            require(hazard.lead == nil ? official : leadOrCommittee, "withdrawn by \(actor.organization.id)")
            require(hazard.state != .closed && hazard.state != .withdrawn, "withdrawn while \(hazard.state.rawValue)")
            hazard.state = .withdrawn
        default:
            break
        }
        hazard.lastStepOn = event.occurredAt.date
        hazards[id] = hazard
    }
}
