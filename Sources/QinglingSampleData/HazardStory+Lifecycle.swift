import QinglingEvents

extension HazardStory {
    /// Why the hazard is rectifying.
    enum Phase {
        case first, afterFailure, reopened
    }

    /// The escalation ladder: level, days overdue it needs, how often the committee issues it.
    static let ladder: [(level: EscalationLevel, days: Int, odds: Double)] = [
        (.letter, 1, 0.85), (.notice, 15, 0.8), (.summons, 30, 0.75), (.exposure, 60, 0.7),
    ]

    /// Rectifying phases until the hazard is closed for good; returns the date of its first closing.
    mutating func lifecycle(from supervised: CalendarDate, deadline: CalendarDate) -> CalendarDate? {
        var start = supervised
        var deadline = deadline
        var phase = Phase.first
        var failures = 0
        var reopened = false
        var firstClosing: CalendarDate?
        while true {
            let rectifying = rectifying(from: start, deadline: deadline, phase)
            deadline = rectifying.deadline
            let completed = rectifying.completion
            let recorded = rng.chance(0.2) ? workday(completed.adding(days: 1)) : completed
            add(recorded, rectifier(), .hazardRectified(HazardRectified(
                hazardId: hazardId, completedOn: completed, measures: measures(phase), fundsFen: funds(phase))))
            let verifyDelay = rng.chance(0.8) ? rng.int(1...10) : rng.int(11...20)
            let verified = workday(recorded.adding(days: verifyDelay))
            let fails = failures < 2 && rng.chance(failures == 0 ? Odds.failedFirst : Odds.failedAgain)
            add(verified, verifier(), .hazardVerified(HazardVerified(
                hazardId: hazardId, outcome: fails ? .failed : .passed,
                findings: rng.pick(fails ? Phrases.failedFindings : Phrases.passedFindings))))
            if fails {
                failures += 1
                start = verified
                phase = .afterFailure
                continue
            }
            let closed = workday(verified.adding(days: [0, 1, 2, 3, 5][rng.weighted([40, 25, 15, 10, 10])]))
            add(closed, cast.actor(lead, officer: officer), .hazardClosed(HazardClosed(hazardId: hazardId, note: rng.pick(Phrases.closingNotes))))
            if firstClosing == nil { firstClosing = closed }
            guard !reopened, rng.chance(Odds.reopening) else { break }
            let date = workday(closed.adding(days: rng.int(60...240)))
            deadline = date.adding(days: rng.int(15...60))
            add(date, leadOrCommittee(0.6), .hazardReopened(HazardReopened(
                hazardId: hazardId, reason: rng.pick(Phrases.reopenReasons), newDeadline: deadline)))
            reopened = true
            failures = 0
            start = date
            phase = .reopened
        }
        return firstClosing
    }

    /// One rectifying phase from `start`: maybe extensions, the completion date, and escalations
    /// while it is overdue. Returns the completion and the deadline then in force.
    private mutating func rectifying(from start: CalendarDate, deadline: CalendarDate, _ phase: Phase)
        -> (completion: CalendarDate, deadline: CalendarDate) {
        var deadline = deadline
        var earliest = start.adding(days: 1)
        var completion: CalendarDate
        if phase == .afterFailure {
            completion = workday(start.adding(days: rng.int(5...30)))
        } else {
            if start.days(to: deadline) >= 5, rng.chance(Odds.extended) {
                repeat {
                    let date = max(workday(deadline.adding(days: -rng.int(1...10))), earliest)
                    deadline = deadline.adding(days: rng.int(15...60))
                    add(date, leadOrCommittee(0.85), .deadlineExtended(DeadlineExtended(
                        hazardId: hazardId, newDeadline: deadline, reason: rng.pick(Phrases.extensionReasons))))
                    earliest = date.adding(days: 1)
                } while rng.chance(Odds.secondExtension)
            }
            if rng.chance(Odds.overdue) {
                let late = [rng.int(1...29), rng.int(30...89), rng.int(90...200)][rng.weighted([60, 30, 10])]
                completion = deadline.adding(days: late)
            } else {
                completion = earliest.adding(days: rng.int(0...max(0, earliest.days(to: deadline))))
            }
            completion = max(workday(completion), earliest)
        }
        escalate(from: start, before: completion, deadline: deadline)
        return (completion, deadline)
    }

    /// The committee's escalations of an overdue hazard, each on a date at least its threshold
    /// past the deadline, after `start` and before the rectification is completed.
    private mutating func escalate(from start: CalendarDate, before completion: CalendarDate, deadline: CalendarDate) {
        var previous: CalendarDate?
        for rung in HazardStory.ladder {
            var date = workday(deadline.adding(days: rung.days + rng.int(0...4)))
            date = max(date, previous.map { $0.adding(days: rng.int(7...14)) } ?? start.adding(days: 1))
            guard date < completion else { break }
            guard rng.chance(rung.odds) else { continue }
            previous = date
            add(date, cast.committeeActor(&rng), .escalationIssued(EscalationIssued(
                level: rung.level, target: escalationTarget(rung.level), hazardIds: [hazardId],
                reason: Phrases.escalationReason(hazardId: hazardId, daysOverdue: deadline.days(to: date), level: rung.level))))
            if rung.level == .summons, let enterprise, let enforcer = cast.enforcer(for: industryIndex), rng.chance(0.3) {
                let penaltyDate = workday(date.adding(days: rng.int(3...10)))
                let penalty = Documents.penalty(on: enterprise, by: enforcer, on: penaltyDate, kind: rng.chance(0.6) ? .suspension : .fine,
                                                hazardIds: [hazardId], tipOffId: nil, numbering: numbering, &rng)
                add(penaltyDate, cast.actor(enforcer, &rng), .penaltyImposed(penalty))
            }
        }
    }

    /// The business (or, for a hazard with no operator, the town); a notice may go to the lead
    /// department, a notice or summons to the town.
    private mutating func escalationTarget(_ level: EscalationLevel) -> OrganizationRef {
        let owner = enterprise?.organization ?? region.organization
        switch level {
        case .notice:
            switch rng.weighted([50, 30, 20]) {
            case 0: return owner
            case 1: return region.organization
            default: return lead.organization(kind: .department)
            }
        case .summons:
            return rng.chance(0.7) ? owner : region.organization
        case .letter, .exposure:
            return owner
        }
    }

    // MARK: who acts

    /// The business's principal or safety officer; its town now and then, and always for a
    /// hazard with no operator.
    private mutating func rectifier() -> Actor {
        guard let enterprise, !rng.chance(Odds.townRectifies) else { return cast.actor(region, officer: townOfficer) }
        return Actor(organization: enterprise.organization, person: rng.chance(0.4) ? enterprise.principal : enterprise.safetyOfficer)
    }

    /// An officer of the lead department (the answerable one, or a colleague) — never the
    /// rectifier, who is of a business or a town.
    private mutating func verifier() -> Actor {
        rng.chance(0.65) ? cast.actor(lead, officer: officer) : cast.actor(lead, &rng)
    }

    /// The lead department's answerable officer with probability `odds`, else the committee.
    mutating func leadOrCommittee(_ odds: Double) -> Actor {
        rng.chance(odds) ? cast.actor(lead, officer: officer) : cast.committeeActor(&rng)
    }

    private func measures(_ phase: Phase) -> String {
        switch phase {
        case .first: entry.measures
        case .afterFailure: "按验收意见补充整改：" + entry.measures
        case .reopened: "针对复发问题再次整改：" + entry.measures
        }
    }

    /// Funds spent, in fen: the industry's typical range, less for a follow-up.
    private mutating func funds(_ phase: Phase) -> Int64 {
        let range = profile.fundsYuan
        var yuan = rng.logUniform(range.lowerBound, range.upperBound)
        if phase == .afterFailure { yuan = max(500, yuan / 4) }
        return Int64(yuan / 10 * 10) * 100
    }
}
