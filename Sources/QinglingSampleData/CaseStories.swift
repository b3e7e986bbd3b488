import QinglingEvents

/// Stories that are not a hazard's: enforcement cases (打非治违) and tip-offs that lead to a
/// penalty or to nothing.
struct CaseStories {
    let cast: Cast
    let pool: EnterprisePool
    let numbering: Numbering

    /// A penalty found in an enforcement campaign, naming no hazard.
    func enforcementCase(anchor: CalendarDate, _ rng: inout SplitMix64) -> [PlannedStep] {
        let enterprise = pool.pick(&rng)
        guard let department = cast.enforcer(for: enterprise.industryIndex) else { return [] }
        let penalty = Documents.penalty(on: enterprise, by: department, on: anchor, hazardIds: [], tipOffId: nil, numbering: numbering, &rng)
        return [PlannedStep(date: anchor, actor: cast.actor(department, &rng), body: .penaltyImposed(penalty))]
    }

    /// A tip-off about illegal operation (非法违法生产经营) confirmed by a penalty naming it, then
    /// rewarded.
    func tipOffWithPenalty(anchor: CalendarDate, _ rng: inout SplitMix64) -> [PlannedStep] {
        let enterprise = pool.pick(&rng)
        guard let department = cast.enforcer(for: enterprise.industryIndex) else { return [] }
        let id = numbering.tipOffId(year: anchor.components.year)
        let receiver = cast.actor(department, &rng)
        let penaltyDate = WorkCalendar.workday(anchor.adding(days: rng.int(5...30)), &rng)
        let penalty = Documents.penalty(on: enterprise, by: department, on: penaltyDate, hazardIds: [], tipOffId: id, numbering: numbering, &rng)
        let rewardDate = WorkCalendar.workday(penaltyDate.adding(days: rng.int(14...45)), &rng)
        return [
            PlannedStep(date: anchor, actor: receiver, body: .tipOffReceived(
                Documents.tipOff(id: id, profile: enterprise.profile, region: enterprise.region, &rng))),
            PlannedStep(date: penaltyDate, actor: cast.actor(department, &rng), body: .penaltyImposed(penalty)),
            PlannedStep(date: rewardDate, actor: receiver, body: .rewardPaid(Documents.reward(id, &rng))),
        ]
    }

    /// A tip-off that checking did not confirm: received, never rewarded.
    func unfoundedTipOff(anchor: CalendarDate, _ rng: inout SplitMix64) -> [PlannedStep] {
        let enterprise = pool.pick(&rng)
        let id = numbering.tipOffId(year: anchor.components.year)
        let receiver = rng.chance(0.3) ? cast.committeeActor(&rng) : cast.generalActor(&rng)
        return [PlannedStep(date: anchor, actor: receiver, body: .tipOffReceived(
            Documents.tipOff(id: id, profile: enterprise.profile, region: enterprise.region, &rng)))]
    }
}
